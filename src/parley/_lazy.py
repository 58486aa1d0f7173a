"""Load a package's public names on first use (PEP 562), so importing it stays cheap.

A package lists ``name -> (module, attribute)`` and binds the two functions this returns to its
module-level ``__getattr__`` and ``__dir__``; a name is imported the first time it is read.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(
    package: str, exports: Mapping[str, tuple[str, str]], namespace: dict[str, Any]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for ``package`` exporting ``exports`` into ``namespace``.

    Parameters
    ----------
    package : str
        The package's name (for the error message).
    exports : mapping
        Public name -> ``(module, attribute)``.
    namespace : dict
        The package's ``globals()``; a loaded name is cached there.

    Returns
    -------
    tuple
        The package's ``__getattr__`` and ``__dir__``.
    """

    def getattr_(name: str) -> Any:
        if name not in exports:
            raise AttributeError(f"module '{package}' has no attribute '{name}'")
        module, attr = exports[name]
        value = getattr(importlib.import_module(module), attr)
        namespace[name] = value
        return value

    def dir_() -> list[str]:
        return sorted(set(namespace) | set(exports))

    return getattr_, dir_
