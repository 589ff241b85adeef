"""Reading and checking the phrases file that drives the language checker.

The file is read once per process and its patterns compiled then, so checking text as someone
types costs only the matching. Every problem names the entry, so whoever edits the file can find
the line to fix; all problems are collected and reported together.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from csehub.datafiles import DataFileError, StrictYamlLoader

DEFAULT_PHRASES_FILE = Path(__file__).resolve().parent / "data" / "phrases.yaml"

FILE_KEYS = frozenset({"version", "categories", "phrases"})
ENTRY_KEYS_REQUIRED = frozenset({"code", "label", "category", "patterns", "why", "suggestions"})
ENTRY_KEYS_OPTIONAL = frozenset({"examples", "not_examples"})
MAX_CODE = 64
MAX_LABEL = 120
MAX_PATTERN = 400
MIN_SUGGESTIONS = 2
MAX_SUGGESTIONS = 5

_CODE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")


class PhrasesFileError(DataFileError):
    """One or more problems in the phrases file; the file must not be used."""


@dataclass(frozen=True)
class Phrase:
    code: str
    label: str
    category: str
    category_label: str
    why: str
    suggestions: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]
    position: int


@dataclass(frozen=True)
class PhraseBook:
    version: int
    categories: dict[str, str]
    phrases: tuple[Phrase, ...]

    @functools.cached_property
    def by_code(self) -> dict[str, Phrase]:
        return {phrase.code: phrase for phrase in self.phrases}

    def label_for(self, code: str) -> str:
        """The phrase's label, or its code when the phrase has since left the file."""
        phrase = self.by_code.get(code)
        return phrase.label if phrase else code


def _spaces_to_whitespace(source: str) -> str:
    """A space outside a character class matches any run of whitespace (line breaks too)."""
    out: list[str] = []
    in_class = escaped = False
    for char in source:
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            out.append(char)
            escaped = True
        elif char == "[":
            in_class = True
            out.append(char)
        elif char == "]":
            in_class = False
            out.append(char)
        elif char == " " and not in_class:
            out.append(r"\s+")
        else:
            out.append(char)
    return "".join(out)


# "{gap}" in a pattern: up to three words (a name, "who she says") and the spaces or commas
# around them, so that "her boyfriend Dean, who is 24" is found as "her boyfriend, 24" is.
GAP = "{gap}"
GAP_PATTERN = r"(?:[\s,]+[\w'\u2019.-]+){0,3}?[\s,]+"


def compile_pattern(source: str) -> re.Pattern[str]:
    """Compile one pattern from the file: case-insensitive, matched as whole words."""
    expanded = _spaces_to_whitespace(source).replace(GAP, GAP_PATTERN)
    return re.compile(r"(?<!\w)(?:" + expanded + r")(?!\w)", re.IGNORECASE)


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _tidy(value: str) -> str:
    return " ".join(value.split())


def _entry_name(index: int, raw: object) -> str:
    code = raw.get("code") if isinstance(raw, dict) else None
    return f"entry {index + 1} ({code!r})" if isinstance(code, str) else f"entry {index + 1}"


def _text_list(
    raw: dict[str, Any], key: str, name: str, problems: list[str], *, required: bool
) -> list[str]:
    value = raw.get(key, [] if not required else None)
    if not isinstance(value, list) or not all(_text(item) for item in value):
        problems.append(f"{name}: {key} must be a list of non-empty text")
        return []
    return [str(item) for item in value]


def _read_patterns(raw: dict[str, Any], name: str, problems: list[str]) -> list[re.Pattern[str]]:
    sources = _text_list(raw, "patterns", name, problems, required=True)
    if "patterns" in raw and isinstance(raw["patterns"], list) and not raw["patterns"]:
        problems.append(f"{name}: patterns must list at least one pattern")
    compiled: list[re.Pattern[str]] = []
    for number, source in enumerate(sources, start=1):
        if len(source) > MAX_PATTERN:
            problems.append(f"{name}: pattern {number} is longer than {MAX_PATTERN} characters")
            continue
        try:
            pattern = compile_pattern(source)
        except re.error as error:
            problems.append(f"{name}: pattern {number} is not a valid regular expression ({error})")
            continue
        if pattern.search("") is not None or pattern.search(" ") is not None:
            problems.append(f"{name}: pattern {number} matches empty text")
            continue
        compiled.append(pattern)
    return compiled


def _read_entry(
    index: int, raw: object, categories: dict[str, str], problems: list[str]
) -> Phrase | None:
    name = _entry_name(index, raw)
    if not isinstance(raw, dict):
        problems.append(
            f"{name}: must be a mapping with code, label, category, patterns, why and suggestions"
        )
        return None
    before = len(problems)
    unknown = sorted(str(k) for k in raw if k not in ENTRY_KEYS_REQUIRED | ENTRY_KEYS_OPTIONAL)
    if unknown:
        problems.append(f"{name}: unknown key(s) {', '.join(unknown)}")
    for key in sorted(ENTRY_KEYS_REQUIRED - raw.keys()):
        problems.append(f"{name}: {key} is missing")
    code = raw.get("code")
    if "code" in raw and not (isinstance(code, str) and _CODE.match(code)):
        problems.append(
            f"{name}: code must be lower_snake_case (lower case letters, digits, single "
            "underscores)"
        )
    elif isinstance(code, str) and len(code) > MAX_CODE:
        problems.append(f"{name}: code must be {MAX_CODE} characters or fewer")
    for key in ("label", "why"):
        if key in raw and not _text(raw[key]):
            problems.append(f"{name}: {key} must be non-empty text")
    if _text(raw.get("label")) and len(_tidy(raw["label"])) > MAX_LABEL:
        problems.append(f"{name}: label must be {MAX_LABEL} characters or fewer")
    category = raw.get("category")
    if "category" in raw and category not in categories:
        problems.append(
            f"{name}: category {category!r} is not one of the file's categories "
            f"({', '.join(sorted(categories))})"
        )
    patterns = _read_patterns(raw, name, problems) if "patterns" in raw else []
    suggestions: list[str] = []
    if "suggestions" in raw:
        suggestions = _text_list(raw, "suggestions", name, problems, required=True)
        if suggestions and not MIN_SUGGESTIONS <= len(suggestions) <= MAX_SUGGESTIONS:
            problems.append(
                f"{name}: suggestions must list {MIN_SUGGESTIONS} to {MAX_SUGGESTIONS} alternatives"
            )
    examples = _text_list(raw, "examples", name, problems, required=False)
    not_examples = _text_list(raw, "not_examples", name, problems, required=False)
    if len(problems) > before:
        return None
    for number, sentence in enumerate(examples, start=1):
        if not any(p.search(sentence) for p in patterns):
            problems.append(f"{name}: example {number} is not flagged by its patterns")
    for number, sentence in enumerate(not_examples, start=1):
        if any(p.search(sentence) for p in patterns):
            problems.append(f"{name}: not_example {number} is flagged by its patterns")
    if len(problems) > before:
        return None
    return Phrase(
        code=code,  # type: ignore[arg-type]  # checked above
        label=_tidy(raw["label"]),
        category=category,  # type: ignore[arg-type]  # checked above
        category_label=categories[category],  # type: ignore[index]
        why=_tidy(raw["why"]),
        suggestions=tuple(_tidy(s) for s in suggestions),
        patterns=tuple(patterns),
        position=index + 1,
    )


def _read_categories(raw: dict[str, Any], where: str, problems: list[str]) -> dict[str, str]:
    categories = raw.get("categories")
    if not isinstance(categories, dict) or not categories:
        problems.append(f"{where}: categories must map each category code to a description")
        return {}
    found: dict[str, str] = {}
    for key, label in categories.items():
        if not (isinstance(key, str) and _CODE.match(key)):
            problems.append(f"{where}: category {key!r}: code must be lower_snake_case")
        elif not _text(label):
            problems.append(f"{where}: category {key!r}: description must be non-empty text")
        else:
            found[key] = _tidy(label)
    return found


def phrases_file_check(path: Path | None = None) -> PhraseBook:
    """Read and check the phrases file. Raises PhrasesFileError listing every problem."""
    path = Path(path) if path is not None else DEFAULT_PHRASES_FILE
    where = path.name
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=StrictYamlLoader)  # noqa: S506 - a SafeLoader subclass
    except (OSError, UnicodeDecodeError) as error:
        raise PhrasesFileError([f"{where}: cannot be read ({error})"]) from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark is not None else ""
        reason = getattr(error, "problem", None) or "not valid YAML"
        raise PhrasesFileError([f"{where}: not valid YAML{at}: {reason}"]) from error
    if not isinstance(raw, dict):
        raise PhrasesFileError([f"{where}: must be a mapping with version, categories and phrases"])
    problems: list[str] = []
    unknown = sorted(str(k) for k in raw if k not in FILE_KEYS)
    if unknown:
        problems.append(f"{where}: unknown key(s) {', '.join(unknown)}")
    for key in sorted(FILE_KEYS - raw.keys()):
        problems.append(f"{where}: {key} is missing")
    version = raw.get("version")
    if "version" in raw and not (
        isinstance(version, int) and not isinstance(version, bool) and version >= 1
    ):
        problems.append(f"{where}: version must be a whole number of 1 or more")
    categories = _read_categories(raw, where, problems) if "categories" in raw else {}
    raw_entries = raw.get("phrases")
    if "phrases" in raw and (not isinstance(raw_entries, list) or not raw_entries):
        problems.append(f"{where}: phrases must be a list with at least one entry")
        raw_entries = []
    phrases: list[Phrase] = []
    seen: set[str] = set()
    for index, raw_entry in enumerate(raw_entries or []):
        entry_problems: list[str] = []
        phrase = _read_entry(index, raw_entry, categories, entry_problems)
        problems.extend(f"{where}: {problem}" for problem in entry_problems)
        if phrase is None:
            continue
        if phrase.code in seen:
            problems.append(
                f"{where}: {_entry_name(index, raw_entry)}: duplicate code {phrase.code!r}"
            )
            continue
        seen.add(phrase.code)
        phrases.append(phrase)
    if problems:
        raise PhrasesFileError(problems)
    assert isinstance(version, int)
    return PhraseBook(version=version, categories=categories, phrases=tuple(phrases))


@functools.cache
def phrase_book() -> PhraseBook:
    """The shipped phrases, read and compiled once per process."""
    return phrases_file_check(DEFAULT_PHRASES_FILE)
