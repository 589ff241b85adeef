"""Reading and checking the vocabulary data files, without touching the database.

Every problem names the file and the item, so whoever edits a file can find the line to fix.
All problems in a directory are collected and reported together.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from csehub.datafiles import DataFileError, StrictYamlLoader

from .models import CODE_PATTERN

DEFAULT_DATA_DIR = Path(__file__).resolve().parent / "data"

FILE_KEYS_REQUIRED = frozenset({"vocabulary", "name", "description", "version", "items"})
FILE_KEYS_OPTIONAL = frozenset({"position", "parent_vocabulary"})
ITEM_KEYS_REQUIRED = frozenset({"code", "label", "explanation"})
ITEM_KEYS_OPTIONAL = frozenset({"examples", "parent", "significant"})
MAX_CODE = 64
MAX_LABEL = 200

_CODE = re.compile(CODE_PATTERN)

# Given a vocabulary code that is not among the files, the codes of its current items (or None
# when it is unknown). Lets a file name a parent vocabulary already loaded in the database.
ParentCodes = Callable[[str], "set[str] | None"]


class TaxonomyFileError(DataFileError):
    """One or more problems in the vocabulary files; nothing should be loaded."""


@dataclass(frozen=True)
class ItemSpec:
    code: str
    label: str
    explanation: str
    examples: tuple[str, ...]
    parent: str | None
    significant: bool
    position: int


@dataclass(frozen=True)
class VocabularySpec:
    file_name: str
    code: str
    name: str
    description: str
    version: int
    position: int
    parent_vocabulary: str  # where `parent` codes are looked up; this vocabulary by default
    items: tuple[ItemSpec, ...]

    def items_parents_first(self) -> list[ItemSpec]:
        """Items ordered so that a parent in this vocabulary comes before its children."""
        if self.parent_vocabulary != self.code:
            return list(self.items)
        by_code = {item.code: item for item in self.items}

        def depth(item: ItemSpec) -> int:
            steps = 0
            while item.parent is not None:
                item = by_code[item.parent]
                steps += 1
            return steps

        return sorted(self.items, key=depth)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _code_problem(value: object) -> str | None:
    if not isinstance(value, str) or not _CODE.match(value):
        return "code must be lower_snake_case (lower case letters, digits, single underscores)"
    if len(value) > MAX_CODE:
        return f"code must be {MAX_CODE} characters or fewer"
    return None


def _item_name(index: int, raw: object) -> str:
    code = raw.get("code") if isinstance(raw, dict) else None
    return f"item {index + 1} ({code!r})" if isinstance(code, str) else f"item {index + 1}"


def _read_item(where: str, index: int, raw: object, problems: list[str]) -> ItemSpec | None:
    name = _item_name(index, raw)
    if not isinstance(raw, dict):
        problems.append(f"{where}: {name}: must be a mapping with code, label and explanation")
        return None
    before = len(problems)
    unknown = sorted(str(k) for k in raw if k not in ITEM_KEYS_REQUIRED | ITEM_KEYS_OPTIONAL)
    if unknown:
        problems.append(f"{where}: {name}: unknown key(s) {', '.join(unknown)}")
    for key in sorted(ITEM_KEYS_REQUIRED - raw.keys()):
        problems.append(f"{where}: {name}: {key} is missing")
    if "code" in raw and (problem := _code_problem(raw["code"])):
        problems.append(f"{where}: {name}: {problem}")
    for key in ("label", "explanation"):
        if key in raw and not _text(raw[key]):
            problems.append(f"{where}: {name}: {key} must be non-empty text")
    if _text(raw.get("label")) and len(raw["label"].strip()) > MAX_LABEL:
        problems.append(f"{where}: {name}: label must be {MAX_LABEL} characters or fewer")
    examples = raw.get("examples", [])
    if not isinstance(examples, list) or not all(_text(e) for e in examples):
        problems.append(f"{where}: {name}: examples must be a list of non-empty text")
    parent = raw.get("parent")
    if parent is not None and (problem := _code_problem(parent)):
        problems.append(f"{where}: {name}: parent {problem.removeprefix('code ')}")
    significant = raw.get("significant", False)
    if not isinstance(significant, bool):
        problems.append(f"{where}: {name}: significant must be true or false")
    if len(problems) > before:
        return None
    return ItemSpec(
        code=raw["code"],
        label=raw["label"].strip(),
        explanation=" ".join(raw["explanation"].split()),
        examples=tuple(e.strip() for e in examples),
        parent=parent,
        significant=significant,
        position=index + 1,
    )


def _read_file(path: Path, problems: list[str]) -> VocabularySpec | None:
    where = path.name
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=StrictYamlLoader)  # noqa: S506 - a SafeLoader subclass
    except (OSError, UnicodeDecodeError) as error:
        problems.append(f"{where}: cannot be read ({error})")
        return None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark is not None else ""
        reason = getattr(error, "problem", None) or "not valid YAML"
        problems.append(f"{where}: not valid YAML{at}: {reason}")
        return None
    if not isinstance(raw, dict):
        problems.append(
            f"{where}: must be a mapping with vocabulary, name, description, version and items"
        )
        return None
    before = len(problems)
    unknown = sorted(str(k) for k in raw if k not in FILE_KEYS_REQUIRED | FILE_KEYS_OPTIONAL)
    if unknown:
        problems.append(f"{where}: unknown key(s) {', '.join(unknown)}")
    for key in sorted(FILE_KEYS_REQUIRED - raw.keys()):
        problems.append(f"{where}: {key} is missing")
    if "vocabulary" in raw and (problem := _code_problem(raw["vocabulary"])):
        problems.append(f"{where}: vocabulary {problem.removeprefix('code ')}")
    for key in ("name", "description"):
        if key in raw and not _text(raw[key]):
            problems.append(f"{where}: {key} must be non-empty text")
    if "version" in raw and not (_is_int(raw["version"]) and raw["version"] >= 1):
        problems.append(f"{where}: version must be a whole number of 1 or more")
    if "position" in raw and not (_is_int(raw["position"]) and raw["position"] >= 0):
        problems.append(f"{where}: position must be a whole number of 0 or more")
    if "parent_vocabulary" in raw and (problem := _code_problem(raw["parent_vocabulary"])):
        problems.append(f"{where}: parent_vocabulary {problem.removeprefix('code ')}")
    raw_items = raw.get("items")
    if "items" in raw and (not isinstance(raw_items, list) or not raw_items):
        problems.append(f"{where}: items must be a list with at least one item")
        raw_items = []
    items: list[ItemSpec] = []
    seen: set[str] = set()
    for index, raw_item in enumerate(raw_items or []):
        item = _read_item(where, index, raw_item, problems)
        if item is None:
            continue
        if item.code in seen:
            problems.append(f"{where}: {_item_name(index, raw_item)}: duplicate code {item.code!r}")
            continue
        seen.add(item.code)
        items.append(item)
    if len(problems) > before:
        return None
    code: str = raw["vocabulary"]
    parent_vocabulary: str = raw.get("parent_vocabulary", code)
    return VocabularySpec(
        file_name=where,
        code=code,
        name=raw["name"].strip(),
        description=" ".join(raw["description"].split()),
        version=raw["version"],
        position=raw.get("position", 0),
        parent_vocabulary=parent_vocabulary,
        items=tuple(items),
    )


def _check_parents_within(spec: VocabularySpec, problems: list[str]) -> None:
    by_code = {item.code: item for item in spec.items}
    for item in spec.items:
        if item.parent is None:
            continue
        if item.parent not in by_code:
            problems.append(
                f"{spec.file_name}: item {item.position} ({item.code!r}): "
                f"parent {item.parent!r} not found in {spec.code}"
            )
            continue
        # Walk up the chain; meeting the item again means a loop.
        seen = {item.code}
        current: ItemSpec | None = by_code[item.parent]
        while current is not None:
            if current.code in seen:
                problems.append(
                    f"{spec.file_name}: item {item.position} ({item.code!r}): "
                    f"parent chain loops back to {current.code!r}"
                )
                break
            seen.add(current.code)
            current = by_code.get(current.parent) if current.parent else None


def _check_parents_across(
    spec: VocabularySpec,
    specs: dict[str, VocabularySpec],
    parent_codes: ParentCodes | None,
    problems: list[str],
) -> None:
    target = spec.parent_vocabulary
    if target in specs:
        codes: set[str] | None = {item.code for item in specs[target].items}
    else:
        codes = parent_codes(target) if parent_codes is not None else None
    if codes is None:
        problems.append(
            f"{spec.file_name}: parent_vocabulary {target!r} is neither among the files "
            "nor already loaded"
        )
        return
    for item in spec.items:
        if item.parent is not None and item.parent not in codes:
            problems.append(
                f"{spec.file_name}: item {item.position} ({item.code!r}): "
                f"parent {item.parent!r} not found in {target}"
            )


def _parents_first(specs: dict[str, VocabularySpec], problems: list[str]) -> list[VocabularySpec]:
    """Vocabularies ordered so that one naming a parent vocabulary comes after it."""
    ordered: list[VocabularySpec] = []
    placed: set[str] = set()
    for code in sorted(specs, key=lambda c: (specs[c].position, c)):
        chain: list[str] = []
        current: str | None = code
        while current is not None and current in specs and current not in placed:
            if current in chain:
                problems.append(
                    f"{specs[current].file_name}: parent_vocabulary forms a loop through "
                    + " -> ".join([*chain[chain.index(current) :], current])
                )
                return []
            chain.append(current)
            parent = specs[current].parent_vocabulary
            current = parent if parent != current else None
        for member in reversed(chain):
            placed.add(member)
            ordered.append(specs[member])
    return ordered


def vocabulary_files_check(
    *, data_dir: Path | None = None, parent_codes: ParentCodes | None = None
) -> list[VocabularySpec]:
    """Read and check every *.yaml file in the directory.

    Returns the vocabularies, parents first, or raises TaxonomyFileError listing every problem.
    """
    directory = Path(data_dir) if data_dir is not None else DEFAULT_DATA_DIR
    if not directory.is_dir():
        raise TaxonomyFileError([f"{directory}: not a directory"])
    paths = sorted(directory.glob("*.yaml"))
    if not paths:
        raise TaxonomyFileError([f"{directory}: no vocabulary files (*.yaml) found"])
    problems: list[str] = []
    specs: dict[str, VocabularySpec] = {}
    for path in paths:
        spec = _read_file(path, problems)
        if spec is None:
            continue
        if spec.code in specs:
            problems.append(
                f"{spec.file_name}: vocabulary {spec.code!r} is also defined in "
                f"{specs[spec.code].file_name}"
            )
            continue
        specs[spec.code] = spec
    for spec in specs.values():
        if spec.parent_vocabulary == spec.code:
            _check_parents_within(spec, problems)
        else:
            _check_parents_across(spec, specs, parent_codes, problems)
    ordered = _parents_first(specs, problems)
    if problems:
        raise TaxonomyFileError(problems)
    return ordered
