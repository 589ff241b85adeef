from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from csehub.language.phrases import (
    DEFAULT_PHRASES_FILE,
    PhrasesFileError,
    phrase_book,
    phrases_file_check,
)


@pytest.fixture
def phrases_copy(tmp_path: Path) -> Path:
    target = tmp_path / "phrases.yaml"
    shutil.copy(DEFAULT_PHRASES_FILE, target)
    return target


def rewrite(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _entry(data: dict, code: str) -> dict:
    return next(entry for entry in data["phrases"] if entry["code"] == code)


def test_the_shipped_file_is_valid_and_loaded_once():
    book = phrase_book()

    assert book.version >= 1
    assert len(book.phrases) >= 16
    assert phrase_book() is book


def test_a_bad_regular_expression_names_the_entry_and_pattern(phrases_copy):
    rewrite(phrases_copy, lambda d: _entry(d, "streetwise")["patterns"].append("street(wise"))

    with pytest.raises(PhrasesFileError) as caught:
        phrases_file_check(phrases_copy)

    assert "phrases.yaml: entry 9 ('streetwise'): pattern 4 is not a valid regular expression" in (
        str(caught.value)
    )


def test_an_unknown_category_and_a_missing_why_are_both_reported(phrases_copy):
    def change(data):
        _entry(data, "sugar_daddy")["category"] = "rude"
        del _entry(data, "sexting")["why"]

    rewrite(phrases_copy, change)

    with pytest.raises(PhrasesFileError) as caught:
        phrases_file_check(phrases_copy)

    problems = caught.value.problems
    assert any(
        "('sugar_daddy'): category 'rude' is not one of the file's categories" in p
        for p in problems
    )
    assert any("('sexting'): why is missing" in p for p in problems)


def test_a_duplicate_code_is_refused(phrases_copy):
    rewrite(phrases_copy, lambda d: _entry(d, "promiscuous").update(code="consent"))

    with pytest.raises(PhrasesFileError, match=r"entry 5 \('consent'\): duplicate code 'consent'"):
        phrases_file_check(phrases_copy)


def test_a_pattern_that_matches_nothing_at_all_is_refused(phrases_copy):
    rewrite(phrases_copy, lambda d: _entry(d, "absconding")["patterns"].append("(?:x)?"))

    with pytest.raises(PhrasesFileError, match=r"\('absconding'\): pattern 2 matches empty text"):
        phrases_file_check(phrases_copy)


def test_an_example_its_patterns_miss_is_reported(phrases_copy):
    rewrite(
        phrases_copy,
        lambda d: _entry(d, "willingly")["examples"].append("She went along with it."),
    )

    with pytest.raises(PhrasesFileError, match=r"\('willingly'\): example 3 is not flagged"):
        phrases_file_check(phrases_copy)


def test_too_few_suggestions_is_reported(phrases_copy):
    rewrite(phrases_copy, lambda d: _entry(d, "consent").update(suggestions=["one only"]))

    with pytest.raises(PhrasesFileError, match=r"\('consent'\): suggestions must list 2 to 5"):
        phrases_file_check(phrases_copy)


def test_a_repeated_key_is_reported_with_its_line(phrases_copy):
    phrases_copy.write_text("version: 1\nversion: 2\n", encoding="utf-8")

    with pytest.raises(PhrasesFileError, match=r"not valid YAML at line 2"):
        phrases_file_check(phrases_copy)


def test_command_check_passes_on_the_shipped_file():
    out = StringIO()
    call_command("language", "check", stdout=out)

    assert "phrases.yaml is valid" in out.getvalue()


def test_command_check_exits_non_zero_naming_the_bad_entry(phrases_copy):
    rewrite(phrases_copy, lambda d: _entry(d, "sexting").update(code="Sexting!"))

    with pytest.raises(CommandError) as caught:
        call_command("language", "check", str(phrases_copy))

    assert caught.value.returncode != 0
    assert "entry 15 ('Sexting!'): code must be lower_snake_case" in str(caught.value)
