"""The national intelligence grading codes, read from data/grading.yaml.

Codes live in the data file, not in the code, so that a change to the scheme (or to how it is
explained) is one reviewed edit of one file. Each grading stores the codes themselves.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from csehub.datafiles import yaml_load_strict

GRADING_FILE = Path(__file__).resolve().parent / "data" / "grading.yaml"
SCALES = ("source_evaluation", "intelligence_assessment", "handling_code")


@dataclass(frozen=True)
class Code:
    code: str
    label: str
    explanation: str
    needs_conditions: bool = False


@dataclass(frozen=True)
class Scale:
    name: str
    title: str
    question: str
    codes: tuple[Code, ...]


@functools.cache
def scales() -> dict[str, Scale]:
    data = yaml_load_strict(GRADING_FILE.read_text(encoding="utf-8"))
    found: dict[str, Scale] = {}
    for name in SCALES:
        raw = data["scales"][name]
        codes = tuple(
            Code(
                code=str(entry["code"]),
                label=entry["label"],
                explanation=" ".join(str(entry["explanation"]).split()),
                needs_conditions=bool(entry.get("needs_conditions", False)),
            )
            for entry in raw["codes"]
        )
        found[name] = Scale(name=name, title=raw["title"], question=raw["question"], codes=codes)
    return found


def codes(scale: str) -> list[str]:
    return [c.code for c in scales()[scale].codes]


def title(scale: str) -> str:
    return scales()[scale].title


def label(scale: str, code: str) -> str:
    for entry in scales()[scale].codes:
        if entry.code == code:
            return entry.label
    return code


def needs_conditions(handling_code: str) -> bool:
    return any(
        c.needs_conditions for c in scales()["handling_code"].codes if c.code == handling_code
    )
