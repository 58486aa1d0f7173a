"""What an open-source research tool carries: licence, citation file, changelog, data licences."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import yaml

import parley

ROOT = Path(__file__).resolve().parents[1]

#: Top-level keys the Citation File Format 1.2.0 allows (its schema sets additionalProperties to
#: false), and the ones it requires (CFF 1.2.0 specification, "Valid keys").
CFF_KEYS = {
    "abstract", "authors", "cff-version", "commit", "contact", "date-released", "doi",
    "identifiers", "keywords", "license", "license-url", "message", "preferred-citation",
    "references", "repository", "repository-artifact", "repository-code", "title", "type",
    "url", "version",
}  # fmt: skip
CFF_REQUIRED = {"cff-version", "message", "title", "authors"}


def _pyproject() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as fh:
        project: dict[str, object] = tomllib.load(fh)["project"]
    return project


def test_licence_file_matches_pyproject() -> None:
    text = (ROOT / "LICENSE").read_text()
    assert _pyproject()["license"] == "MIT"
    assert text.startswith("MIT License\n")
    assert "Copyright (c) " in text and "the parley authors" in text
    assert "Permission is hereby granted, free of charge" in text


def test_citation_file_is_valid_cff_1_2() -> None:
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert set(cff) <= CFF_KEYS and CFF_REQUIRED <= set(cff)
    assert cff["cff-version"] == "1.2.0"
    assert cff["type"] in ("software", "dataset")
    assert all(isinstance(a, dict) and a.get("name") for a in cff["authors"])
    assert cff["license"] == _pyproject()["license"]
    assert str(cff["version"]) == parley.__version__
    if "date-released" in cff:
        date.fromisoformat(str(cff["date-released"]))


def test_changelog_starts_from_this_release() -> None:
    text = (ROOT / "CHANGELOG.md").read_text()
    assert text.startswith("# Changelog\n")
    assert "## [Unreleased]" in text and f"## [{parley.__version__}]" in text


def test_every_shipped_data_file_has_its_licence_listed() -> None:
    listing = (ROOT / "docs" / "data-licences.md").read_text()
    data = ROOT / "src" / "parley" / "data"
    skip = {"PROVENANCE.md", "__init__.py", "LICENSE.KTAB"}
    missing = []
    for path in sorted(data.rglob("*")):
        if not path.is_file() or path.name in skip or "__pycache__" in path.parts:
            continue
        folder = path.parent.relative_to(data).as_posix()
        if folder == "ktab":  # KTAB's inputs are listed as one group under its licence
            ok = "`ktab/`" in listing
        else:
            ok = f"`{folder}/`" in listing and f"`{path.name}`" in listing
        if not ok:
            missing.append(path.relative_to(data).as_posix())
    assert not missing, f"not in docs/data-licences.md: {missing}"
