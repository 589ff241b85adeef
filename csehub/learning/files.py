"""Reading and checking the course data files, without writing to the database.

Every problem names the file and the section, block, question or choice, so whoever edits a file
can find the line to fix. All problems across the directory are collected and reported together.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.urls import NoReverseMatch, reverse

from csehub.datafiles import DataFileError, StrictYamlLoader
from csehub.taxonomy.models import CODE_PATTERN

from .models import CourseKind, QuestionKind

DEFAULT_DATA_DIR = Path(__file__).resolve().parent / "data" / "courses"

FILE_KEYS_REQUIRED = frozenset({"course", "title", "kind", "version", "summary", "sections"})
FILE_KEYS_OPTIONAL = frozenset({"refresher_months", "position", "questions", "pass_mark"})
SECTION_KEYS_REQUIRED = frozenset({"code", "title", "blocks"})
SECTION_KEYS_OPTIONAL = frozenset({"presenter_notes"})
QUESTION_KEYS_REQUIRED = frozenset({"code", "kind", "prompt", "explanation"})
QUESTION_KEYS_OPTIONAL = frozenset(
    {"hint", "section", "answer", "choices", "n", "vocabulary", "must_be_right"}
)
CHOICE_KEYS_REQUIRED = frozenset({"code", "label"})
CHOICE_KEYS_OPTIONAL = frozenset({"correct"})
# For each block type: the keys it needs and the keys it may have.
BLOCK_KEYS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "heading": (frozenset({"text"}), frozenset()),
    "paragraph": (frozenset({"text"}), frozenset()),
    "list": (frozenset({"items"}), frozenset({"ordered", "text"})),
    "callout": (frozenset({"text"}), frozenset({"title"})),
    "warning": (frozenset({"text"}), frozenset()),
    "taxonomy_list": (frozenset({"vocabulary"}), frozenset({"text"})),
    "directory": (frozenset(), frozenset({"text"})),
    "link": (frozenset({"url_name", "text"}), frozenset({"before"})),
}
MAX_CODE = 64
MAX_TITLE = 200
MAX_CHOICE = 300

_CODE = re.compile(CODE_PATTERN)

# Given a vocabulary code, the codes of its current items, or None when it is not loaded.
VocabularyCodes = Callable[[str], "set[str] | None"]


class CourseFileError(DataFileError):
    """One or more problems in the course files; nothing should be loaded."""


@dataclass(frozen=True)
class ChoiceSpec:
    code: str
    label: str
    is_correct: bool
    position: int


@dataclass(frozen=True)
class QuestionSpec:
    code: str
    kind: QuestionKind
    prompt: str
    hint: str
    explanation: str
    section: str | None
    position: int
    choices: tuple[ChoiceSpec, ...] = ()
    n: int | None = None
    vocabulary: str | None = None
    # Wrong here means the workbook cannot be signed off, whatever the score.
    must_be_right: bool = False


@dataclass(frozen=True)
class SectionSpec:
    code: str
    title: str
    position: int
    blocks: tuple[dict[str, Any], ...]
    presenter_notes: str


@dataclass(frozen=True)
class CourseSpec:
    file_name: str
    code: str
    title: str
    kind: CourseKind
    version: int
    summary: str
    refresher_months: int
    position: int
    sections: tuple[SectionSpec, ...]
    questions: tuple[QuestionSpec, ...] = field(default=())
    # Workbooks only: the percentage of marked questions a learner must get right.
    pass_mark: int | None = None

    @property
    def digest(self) -> str:
        """A fingerprint of everything loaded from the file except its version."""
        content = {
            "title": self.title,
            "kind": str(self.kind),
            "summary": self.summary,
            "refresher_months": self.refresher_months,
            "position": self.position,
            "pass_mark": self.pass_mark,
            "sections": [
                [s.code, s.title, list(s.blocks), s.presenter_notes] for s in self.sections
            ],
            "questions": [
                [
                    q.code,
                    str(q.kind),
                    q.prompt,
                    q.hint,
                    q.explanation,
                    q.section,
                    [[c.code, c.label, c.is_correct] for c in q.choices],
                    q.n,
                    q.vocabulary,
                    q.must_be_right,
                ]
                for q in self.questions
            ],
        }
        encoded = json.dumps(content, sort_keys=True, ensure_ascii=True).encode()
        return hashlib.sha256(encoded).hexdigest()


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _clean(value: str) -> str:
    """Folded YAML keeps a trailing newline; paragraphs are single lines of text."""
    return " ".join(value.split())


def _code_problem(value: object) -> str | None:
    if not isinstance(value, str) or not _CODE.match(value):
        return "code must be lower_snake_case (lower case letters, digits, single underscores)"
    if len(value) > MAX_CODE:
        return f"code must be {MAX_CODE} characters or fewer"
    return None


def _name(kind: str, index: int, raw: object) -> str:
    code = raw.get("code") if isinstance(raw, dict) else None
    return f"{kind} {index + 1} ({code!r})" if isinstance(code, str) else f"{kind} {index + 1}"


def _keys(
    where: str,
    raw: dict[str, Any],
    required: frozenset[str],
    optional: frozenset[str],
    problems: list[str],
) -> None:
    unknown = sorted(str(k) for k in raw if k not in required | optional)
    if unknown:
        problems.append(f"{where}: unknown key(s) {', '.join(unknown)}")
    for key in sorted(required - raw.keys()):
        problems.append(f"{where}: {key} is missing")


def _read_block(
    where: str, raw: object, vocabulary_codes: VocabularyCodes | None, problems: list[str]
) -> dict[str, Any] | None:
    if not isinstance(raw, dict) or raw.get("type") not in BLOCK_KEYS:
        known = ", ".join(sorted(BLOCK_KEYS))
        problems.append(f"{where}: must be a mapping whose type is one of {known}")
        return None
    block_type = raw["type"]
    required, optional = BLOCK_KEYS[block_type]
    before = len(problems)
    body = {k: v for k, v in raw.items() if k != "type"}
    _keys(where, body, required, optional, problems)
    for key in ("text", "title", "before"):
        if key in body and not _text(body[key]):
            problems.append(f"{where}: {key} must be non-empty text")
    if block_type == "list":
        items = body.get("items")
        if not isinstance(items, list) or not items or not all(_text(i) for i in items):
            problems.append(f"{where}: items must be a list of non-empty text")
        if "ordered" in body and not isinstance(body["ordered"], bool):
            problems.append(f"{where}: ordered must be true or false")
    if block_type == "taxonomy_list" and "vocabulary" in body:
        vocabulary = body["vocabulary"]
        if problem := _code_problem(vocabulary):
            problems.append(f"{where}: vocabulary {problem.removeprefix('code ')}")
        elif vocabulary_codes is not None and vocabulary_codes(vocabulary) is None:
            problems.append(f"{where}: vocabulary {vocabulary!r} is not loaded")
    if block_type == "link" and "url_name" in body:
        try:
            reverse(str(body["url_name"]))
        except NoReverseMatch:
            problems.append(f"{where}: url_name {body['url_name']!r} is not a page in CSE Hub")
    if len(problems) > before:
        return None
    block: dict[str, Any] = {"type": block_type}
    for key, value in body.items():
        if isinstance(value, str):
            block[key] = _clean(value)
        elif isinstance(value, list):
            block[key] = [_clean(item) for item in value]
        else:
            block[key] = value
    return block


def _read_section(
    where: str,
    index: int,
    raw: object,
    vocabulary_codes: VocabularyCodes | None,
    problems: list[str],
) -> SectionSpec | None:
    name = f"{where}: {_name('section', index, raw)}"
    if not isinstance(raw, dict):
        problems.append(f"{name}: must be a mapping with code, title and blocks")
        return None
    before = len(problems)
    _keys(name, raw, SECTION_KEYS_REQUIRED, SECTION_KEYS_OPTIONAL, problems)
    if "code" in raw and (problem := _code_problem(raw["code"])):
        problems.append(f"{name}: {problem}")
    if "title" in raw and not (_text(raw["title"]) and len(raw["title"]) <= MAX_TITLE):
        problems.append(f"{name}: title must be non-empty text of {MAX_TITLE} characters or fewer")
    if "presenter_notes" in raw and not _text(raw["presenter_notes"]):
        problems.append(f"{name}: presenter_notes must be non-empty text")
    raw_blocks = raw.get("blocks")
    blocks: list[dict[str, Any]] = []
    if "blocks" in raw and (not isinstance(raw_blocks, list) or not raw_blocks):
        problems.append(f"{name}: blocks must be a list with at least one block")
    elif isinstance(raw_blocks, list):
        for block_index, raw_block in enumerate(raw_blocks):
            block = _read_block(
                f"{name}: block {block_index + 1}", raw_block, vocabulary_codes, problems
            )
            if block is not None:
                blocks.append(block)
    if len(problems) > before:
        return None
    return SectionSpec(
        code=raw["code"],
        title=_clean(raw["title"]),
        position=index + 1,
        blocks=tuple(blocks),
        # Notes run to a few paragraphs: keep the blank lines between them.
        presenter_notes="\n\n".join(
            _clean(part) for part in raw.get("presenter_notes", "").split("\n\n") if part.strip()
        ),
    )


def _read_choices(name: str, raw: object, problems: list[str]) -> tuple[ChoiceSpec, ...]:
    if not isinstance(raw, list) or len(raw) < 2:
        problems.append(f"{name}: choices must be a list of two or more choices")
        return ()
    choices: list[ChoiceSpec] = []
    seen: set[str] = set()
    for index, raw_choice in enumerate(raw):
        where = f"{name}: {_name('choice', index, raw_choice)}"
        if not isinstance(raw_choice, dict):
            problems.append(f"{where}: must be a mapping with code and label")
            continue
        before = len(problems)
        _keys(where, raw_choice, CHOICE_KEYS_REQUIRED, CHOICE_KEYS_OPTIONAL, problems)
        if "code" in raw_choice and (problem := _code_problem(raw_choice["code"])):
            problems.append(f"{where}: {problem}")
        label = raw_choice.get("label")
        if "label" in raw_choice and not (_text(label) and len(str(label)) <= MAX_CHOICE):
            problems.append(f"{where}: label must be non-empty text of {MAX_CHOICE} or fewer")
        if not isinstance(raw_choice.get("correct", False), bool):
            problems.append(f"{where}: correct must be true or false")
        if len(problems) > before:
            continue
        if raw_choice["code"] in seen:
            problems.append(f"{where}: duplicate code {raw_choice['code']!r}")
            continue
        seen.add(raw_choice["code"])
        choices.append(
            ChoiceSpec(
                code=raw_choice["code"],
                label=_clean(raw_choice["label"]),
                is_correct=raw_choice.get("correct", False),
                position=index + 1,
            )
        )
    return tuple(choices)


def _read_question(
    where: str,
    index: int,
    raw: object,
    section_codes: set[str],
    vocabulary_codes: VocabularyCodes | None,
    problems: list[str],
) -> QuestionSpec | None:
    name = f"{where}: {_name('question', index, raw)}"
    if not isinstance(raw, dict):
        problems.append(f"{name}: must be a mapping with code, kind, prompt and explanation")
        return None
    before = len(problems)
    _keys(name, raw, QUESTION_KEYS_REQUIRED, QUESTION_KEYS_OPTIONAL, problems)
    if "code" in raw and (problem := _code_problem(raw["code"])):
        problems.append(f"{name}: {problem}")
    for key in ("prompt", "explanation", "hint"):
        if key in raw and not _text(raw[key]):
            problems.append(f"{name}: {key} must be non-empty text")
    if "section" in raw and raw["section"] not in section_codes:
        problems.append(f"{name}: section {raw['section']!r} is not a section of this course")
    kind: Any = raw.get("kind")
    if "kind" in raw and kind not in QuestionKind.values:
        problems.append(f"{name}: kind must be one of {', '.join(QuestionKind.values)}")
        return None
    allowed_extra: set[str] = {
        QuestionKind.FREE_TEXT: set(),
        QuestionKind.TRUE_FALSE: {"answer"},
        QuestionKind.SINGLE_CHOICE: {"choices"},
        QuestionKind.MULTIPLE_CHOICE: {"choices"},
        QuestionKind.NAME_N: {"n", "vocabulary"},
    }.get(kind, set())
    for key in sorted({"answer", "choices", "n", "vocabulary"} & raw.keys() - allowed_extra):
        problems.append(f"{name}: {key} does not apply to a {kind} question")
    choices: tuple[ChoiceSpec, ...] = ()
    if kind == QuestionKind.TRUE_FALSE:
        if not isinstance(raw.get("answer"), bool):
            problems.append(f"{name}: answer must be true or false")
        else:
            choices = (
                ChoiceSpec(code="true", label="True", is_correct=raw["answer"], position=1),
                ChoiceSpec(code="false", label="False", is_correct=not raw["answer"], position=2),
            )
    elif kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
        choices = _read_choices(name, raw.get("choices"), problems)
        correct = sum(1 for c in choices if c.is_correct)
        if choices and kind == QuestionKind.SINGLE_CHOICE and correct != 1:
            problems.append(f"{name}: a single_choice question needs exactly one correct choice")
        if choices and kind == QuestionKind.MULTIPLE_CHOICE and correct < 1:
            problems.append(f"{name}: a multiple_choice question needs a correct choice")
    elif kind == QuestionKind.NAME_N:
        n: Any = raw.get("n")
        vocabulary: Any = raw.get("vocabulary")
        if not (_is_int(n) and n >= 1):
            problems.append(f"{name}: n must be a whole number of 1 or more")
        if problem := _code_problem(vocabulary):
            problems.append(f"{name}: vocabulary {problem.removeprefix('code ')}")
        elif vocabulary_codes is not None:
            codes = vocabulary_codes(str(vocabulary))
            if codes is None:
                problems.append(f"{name}: vocabulary {vocabulary!r} is not loaded")
            elif _is_int(n) and len(codes) < n:
                problems.append(f"{name}: vocabulary {vocabulary!r} has fewer than {n} items")
    must_be_right = raw.get("must_be_right", False)
    if not isinstance(must_be_right, bool):
        problems.append(f"{name}: must_be_right must be true or false")
    elif must_be_right and kind == QuestionKind.FREE_TEXT:
        problems.append(f"{name}: must_be_right needs a marked question, not free_text")
    elif must_be_right and "section" not in raw:
        problems.append(
            f"{name}: a must_be_right question needs the section to send learners back to"
        )
    if len(problems) > before:
        return None
    return QuestionSpec(
        code=raw["code"],
        kind=QuestionKind(kind),
        prompt=_clean(raw["prompt"]),
        hint=_clean(raw.get("hint", "")),
        explanation=_clean(raw["explanation"]),
        section=raw.get("section"),
        position=index + 1,
        choices=choices,
        n=raw.get("n"),
        vocabulary=raw.get("vocabulary"),
        must_be_right=must_be_right,
    )


def _read_file(
    path: Path, vocabulary_codes: VocabularyCodes | None, problems: list[str]
) -> CourseSpec | None:
    where = path.name
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=StrictYamlLoader)  # noqa: S506
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
        problems.append(f"{where}: must be a mapping with course, title, kind, version, sections")
        return None
    before = len(problems)
    _keys(where, raw, FILE_KEYS_REQUIRED, FILE_KEYS_OPTIONAL, problems)
    if "course" in raw and (problem := _code_problem(raw["course"])):
        problems.append(f"{where}: course {problem.removeprefix('code ')}")
    elif "course" in raw and raw["course"] != path.stem:
        problems.append(f"{where}: course {raw['course']!r} must match the file name")
    for key in ("title", "summary"):
        if key in raw and not _text(raw[key]):
            problems.append(f"{where}: {key} must be non-empty text")
    if "kind" in raw and raw["kind"] not in CourseKind.values:
        problems.append(f"{where}: kind must be one of {', '.join(CourseKind.values)}")
    if "version" in raw and not (_is_int(raw["version"]) and raw["version"] >= 1):
        problems.append(f"{where}: version must be a whole number of 1 or more")
    if "position" in raw and not (_is_int(raw["position"]) and raw["position"] >= 0):
        problems.append(f"{where}: position must be a whole number of 0 or more")
    pass_mark = raw.get("pass_mark")
    if raw.get("kind") == CourseKind.WORKBOOK and pass_mark is None:
        problems.append(f"{where}: pass_mark is missing (a workbook needs one)")
    elif raw.get("kind") != CourseKind.WORKBOOK and pass_mark is not None:
        problems.append(f"{where}: pass_mark applies only to a workbook")
    elif pass_mark is not None and not (_is_int(pass_mark) and 1 <= pass_mark <= 100):
        problems.append(f"{where}: pass_mark must be a whole number from 1 to 100 (a percentage)")
    months = raw.get("refresher_months", 36)
    if not (_is_int(months) and months >= 1):
        problems.append(f"{where}: refresher_months must be a whole number of 1 or more")

    sections: list[SectionSpec] = []
    raw_sections = raw.get("sections")
    if "sections" in raw and (not isinstance(raw_sections, list) or not raw_sections):
        problems.append(f"{where}: sections must be a list with at least one section")
    elif isinstance(raw_sections, list):
        seen: set[str] = set()
        for index, raw_section in enumerate(raw_sections):
            section = _read_section(where, index, raw_section, vocabulary_codes, problems)
            if section is None:
                continue
            if section.code in seen:
                problems.append(
                    f"{where}: {_name('section', index, raw_section)}: "
                    f"duplicate code {section.code!r}"
                )
                continue
            seen.add(section.code)
            sections.append(section)

    questions: list[QuestionSpec] = []
    raw_questions = raw.get("questions", [])
    if not isinstance(raw_questions, list):
        problems.append(f"{where}: questions must be a list")
        raw_questions = []
    section_codes = {s.code for s in sections}
    seen_questions: set[str] = set()
    for index, raw_question in enumerate(raw_questions):
        question = _read_question(
            where, index, raw_question, section_codes, vocabulary_codes, problems
        )
        if question is None:
            continue
        if question.code in seen_questions:
            problems.append(
                f"{where}: {_name('question', index, raw_question)}: "
                f"duplicate code {question.code!r}"
            )
            continue
        seen_questions.add(question.code)
        questions.append(question)

    if len(problems) > before:
        return None
    return CourseSpec(
        file_name=where,
        code=raw["course"],
        title=_clean(raw["title"]),
        kind=CourseKind(raw["kind"]),
        version=raw["version"],
        summary=_clean(raw["summary"]),
        refresher_months=months,
        position=raw.get("position", 0),
        sections=tuple(sections),
        questions=tuple(questions),
        pass_mark=pass_mark,
    )


def course_files_check(
    *, data_dir: Path | None = None, vocabulary_codes: VocabularyCodes | None = None
) -> list[CourseSpec]:
    """Read and check every *.yaml file in the directory.

    Returns the courses in file-name order, or raises CourseFileError listing every problem.
    """
    directory = Path(data_dir) if data_dir is not None else DEFAULT_DATA_DIR
    if not directory.is_dir():
        raise CourseFileError([f"{directory}: not a directory"])
    paths = sorted(directory.glob("*.yaml"))
    if not paths:
        raise CourseFileError([f"{directory}: no course files (*.yaml) found"])
    problems: list[str] = []
    specs: list[CourseSpec] = []
    for path in paths:
        spec = _read_file(path, vocabulary_codes, problems)
        if spec is not None:
            specs.append(spec)
    if problems:
        raise CourseFileError(problems)
    return specs
