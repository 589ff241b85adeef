"""What both kinds of file share: the YAML reader, the results and small checks."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from csehub.datafiles import DataFileError, StrictYamlLoader

from ..directory import Directory
from ..graph import PathwayGraph

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
PATHWAY_FILE = "pathway.yaml"
CONTACTS_FILE = "contacts.yaml"

_ID = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_RANGE = re.compile(r"^(\d{2}):(\d{2})\s*-\s*(\d{2}):(\d{2})$")
MAX_ID = 64


class PathwayFileError(DataFileError):
    """One or more problems in a pathway or contacts file; nothing should be loaded."""


@dataclass(frozen=True)
class PartnershipInfo:
    slug: str
    name: str
    is_example: bool


@dataclass(frozen=True)
class PathwayFile:
    partnership: PartnershipInfo
    graph: PathwayGraph
    checksum: str


@dataclass(frozen=True)
class ContactsFile:
    directory: Directory
    checksum: str


@dataclass(frozen=True)
class PartnershipFiles:
    partnership: PartnershipInfo
    pathway: PathwayFile
    contacts: ContactsFile | None


def _read_yaml(path: Path) -> tuple[Any, str]:
    """The parsed file and a checksum of its content (comments and layout do not count)."""
    where = path.name
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=StrictYamlLoader)  # noqa: S506 - a SafeLoader subclass
    except FileNotFoundError:
        raise PathwayFileError([f"{path}: no such file"]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise PathwayFileError([f"{where}: cannot be read ({error})"]) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark is not None else ""
        reason = getattr(error, "problem", None) or "not valid YAML"
        raise PathwayFileError([f"{where}: not valid YAML{at}: {reason}"]) from None
    canonical = json.dumps(raw, sort_keys=True, default=str, ensure_ascii=False)
    return raw, hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _clean(value: str) -> str:
    return " ".join(value.split())


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _id_problem(value: object) -> str | None:
    if not isinstance(value, str) or not _ID.match(value) or len(value) > MAX_ID:
        return (
            f"must be lower_snake_case (letters, digits, single underscores), "
            f"{MAX_ID} characters or fewer"
        )
    return None


def _string_list(value: object) -> list[str] | None:
    """A single string or a list of strings, as a list; None when it is neither."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    return None
