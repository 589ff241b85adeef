"""The further reading on the guidance pages, from data/references.yaml.

A small file read once per process rather than loaded into the database: nothing points at a
reference, so there is nothing to retire. It is checked like the other data files, every problem
named, and a test loads the shipped file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from csehub.datafiles import DataFileError, yaml_load_strict

REFERENCES_FILE = Path(__file__).resolve().parent / "data" / "references.yaml"


@dataclass(frozen=True)
class Reference:
    title: str
    source: str
    url: str = ""
    description: str = ""


@dataclass(frozen=True)
class ReferenceGroup:
    code: str
    title: str
    description: str
    references: tuple[Reference, ...]


def _clean(value: str) -> str:
    return " ".join(value.split())


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _reference(where: str, raw: Any, problems: list[str]) -> Reference | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: must be a mapping with title and source")
        return None
    before = len(problems)
    unknown = sorted(set(raw) - {"title", "source", "url", "description"})
    if unknown:
        problems.append(f"{where}: unknown key(s) {', '.join(unknown)}")
    for key in ("title", "source"):
        if not _text(raw.get(key)):
            problems.append(f"{where}: {key} must be non-empty text")
    url = raw.get("url", "")
    if url and not (isinstance(url, str) and url.startswith("https://")):
        problems.append(f"{where}: url must start with https://")
    if "description" in raw and not _text(raw["description"]):
        problems.append(f"{where}: description must be non-empty text")
    if len(problems) > before:
        return None
    return Reference(
        title=_clean(raw["title"]),
        source=_clean(raw["source"]),
        url=url,
        description=_clean(raw.get("description", "")),
    )


def references_read(path: Path = REFERENCES_FILE) -> tuple[ReferenceGroup, ...]:
    """Read and check the file; raises DataFileError listing every problem."""
    where = path.name
    try:
        raw = yaml_load_strict(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise DataFileError([f"{where}: cannot be read ({error})"]) from error
    problems: list[str] = []
    if not isinstance(raw, dict) or not isinstance(raw.get("groups"), list):
        raise DataFileError([f"{where}: must be a mapping with version and groups"])
    if not (isinstance(raw.get("version"), int) and raw["version"] >= 1):
        problems.append(f"{where}: version must be a whole number of 1 or more")
    groups = []
    for index, raw_group in enumerate(raw["groups"]):
        name = f"{where}: group {index + 1}"
        if not isinstance(raw_group, dict) or not isinstance(raw_group.get("references"), list):
            problems.append(f"{name}: must be a mapping with code, title and references")
            continue
        for key in ("code", "title", "description"):
            if not _text(raw_group.get(key)):
                problems.append(f"{name}: {key} must be non-empty text")
        references = [
            _reference(f"{name}: reference {number + 1}", item, problems)
            for number, item in enumerate(raw_group["references"])
        ]
        groups.append(
            ReferenceGroup(
                code=str(raw_group.get("code", "")),
                title=_clean(str(raw_group.get("title", ""))),
                description=_clean(str(raw_group.get("description", ""))),
                references=tuple(r for r in references if r is not None),
            )
        )
    if problems:
        raise DataFileError(problems)
    return tuple(groups)


@lru_cache(maxsize=1)
def references_shipped() -> tuple[ReferenceGroup, ...]:
    return references_read()
