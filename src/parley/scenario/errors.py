"""Errors raised for bad scenario input.

Every mistake in a user's file becomes one :class:`ScenarioError` that names the file, the field path
and, where it is known, the line, so that the CLI can print it in one or two lines and exit with
status 2 instead of showing a traceback.
"""

from __future__ import annotations

from pathlib import Path


class ScenarioError(ValueError):
    """A problem with scenario input, located by file, field path and line.

    Parameters
    ----------
    message:
        What was wrong and what was expected, in plain words.
    file:
        The file being read, if any.
    field:
        Dotted path of the offending field (``actors[2].positions.territory.salience``).
    line:
        1-based line number in the file, where known.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        field: str | None = None,
        line: int | None = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.field = field
        self.line = line
        super().__init__(self.format())

    def format(self) -> str:
        """Render the error as ``file:line: field: message``, omitting unknown parts."""
        where = ""
        if self.file:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
        parts = [p for p in (where, self.field) if p]
        prefix = ": ".join(parts)
        return f"{prefix}: {self.message}" if prefix else self.message

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        """Pickle with every part (the error crosses process boundaries in the dashboard)."""
        return _rebuild, (self.message, self.file, self.field, self.line)

    def located(self, *, file: str | Path | None = None, line: int | None = None) -> ScenarioError:
        """Return a copy with the file (and line) filled in where they were unknown."""
        return ScenarioError(
            self.message,
            file=self.file or (str(file) if file is not None else None),
            field=self.field,
            line=self.line if self.line is not None else line,
        )


def _rebuild(message: str, file: str | None, field: str | None, line: int | None) -> ScenarioError:
    return ScenarioError(message, file=file, field=field, line=line)
