"""The language checker: finds wording from the phrases file in a piece of text.

Pure functions with no database and no logging: the text is looked at and forgotten.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from .phrases import Phrase, PhraseBook, phrase_book

# Longer text is checked up to this point only, so one request cannot tie up a worker.
MAX_CHECK_LENGTH = 50_000


@dataclass(frozen=True)
class LanguageFlag:
    """One place where the text uses wording from the phrases file."""

    code: str
    label: str
    category: str
    category_label: str
    start: int
    end: int
    matched: str
    why: str
    suggestions: tuple[str, ...]


def _flag(phrase: Phrase, start: int, end: int, matched: str) -> LanguageFlag:
    return LanguageFlag(
        code=phrase.code,
        label=phrase.label,
        category=phrase.category,
        category_label=phrase.category_label,
        start=start,
        end=end,
        matched=" ".join(matched.split()),
        why=phrase.why,
        suggestions=phrase.suggestions,
    )


def language_check(text: str, *, book: PhraseBook | None = None) -> list[LanguageFlag]:
    """Every flagged wording in the text, in the order it appears.

    Where patterns of one phrase overlap ("older boyfriend" and "boyfriend aged 25"), their
    spans are joined, so a phrase is flagged once per place. Different phrases may flag
    overlapping words, since each has its own advice.
    """
    book = book or phrase_book()
    text = text[:MAX_CHECK_LENGTH]
    flags: list[LanguageFlag] = []
    for phrase in book.phrases:
        spans = sorted(
            (m.start(), m.end()) for pattern in phrase.patterns for m in pattern.finditer(text)
        )
        joined: list[list[int]] = []
        for start, end in spans:
            if joined and start < joined[-1][1]:
                joined[-1][1] = max(joined[-1][1], end)
            else:
                joined.append([start, end])
        flags.extend(_flag(phrase, start, end, text[start:end]) for start, end in joined)
    flags.sort(key=lambda flag: (flag.start, flag.end, flag.code))
    return flags


def flag_codes(flags: Iterable[LanguageFlag]) -> list[str]:
    """The phrase codes of the flags, each once, in the order first found."""
    return list(dict.fromkeys(flag.code for flag in flags))


def flags_fingerprint(flags: Iterable[LanguageFlag]) -> str:
    """A short digest of what a set of flags shows, to tell whether a new check changes it.

    Positions are left out: typing elsewhere in the text moves them without changing what the
    user is shown.
    """
    shown = sorted({f"{flag.code}:{flag.matched.lower()}" for flag in flags})
    return hashlib.sha256("\n".join(shown).encode()).hexdigest()[:16]


def known_codes(value: str, *, book: PhraseBook | None = None) -> list[str]:
    """Phrase codes from a comma-separated value sent back by the page; anything else ignored."""
    by_code = (book or phrase_book()).by_code
    codes = (code.strip() for code in value.split(","))
    return list(dict.fromkeys(code for code in codes if code in by_code))


@dataclass(frozen=True)
class FlagGroup:
    """The flags of one phrase, for showing its advice once with every wording it found."""

    code: str
    label: str
    category_label: str
    why: str
    suggestions: tuple[str, ...]
    matched: tuple[str, ...]


def flags_grouped(flags: Iterable[LanguageFlag]) -> list[FlagGroup]:
    """Flags grouped by phrase, in the order each phrase first appears in the text."""
    groups: dict[str, list[LanguageFlag]] = {}
    for flag in flags:
        groups.setdefault(flag.code, []).append(flag)
    return [
        FlagGroup(
            code=code,
            label=found[0].label,
            category_label=found[0].category_label,
            why=found[0].why,
            suggestions=found[0].suggestions,
            matched=tuple(dict.fromkeys(flag.matched for flag in found)),
        )
        for code, found in groups.items()
    ]
