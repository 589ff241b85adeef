"""Pairwise precision, recall and F1 of a linking against the truth.

A pair is two different mentions of the same entity type. A true pair has one true entity; a
predicted pair is whatever the method being measured says is the same thing (its own rule,
stated where it is built). Mentions are compared only within a type.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations

Pair = tuple[str, str]


def pair(a: str, b: str) -> Pair:
    return (a, b) if a < b else (b, a)


def pairs_within(groups: Iterable[Iterable[str]]) -> set[Pair]:
    """Every pair of mentions that share a group."""
    found: set[Pair] = set()
    for group in groups:
        found.update(pair(a, b) for a, b in combinations(sorted(set(group)), 2))
    return found


def groups_of(labels: Mapping[str, object]) -> list[list[str]]:
    """Mentions grouped by their label (an entity id, a cluster id, a raw value)."""
    grouped: dict[object, list[str]] = defaultdict(list)
    for mention, label in labels.items():
        grouped[label].append(mention)
    return list(grouped.values())


def closure(mentions: Iterable[str], pairs: Iterable[Pair]) -> set[Pair]:
    """Every pair joined by a chain of pairs (connected components), for the closure view."""
    parent = {m: m for m in mentions}

    def root(m: str) -> str:
        while parent[m] != m:
            parent[m] = parent[parent[m]]
            m = parent[m]
        return m

    for a, b in pairs:
        parent[root(a)] = root(b)
    return pairs_within(groups_of({m: root(m) for m in parent}))


@dataclass
class Score:
    true_pairs: int
    predicted_pairs: int
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(truth_pairs: set[Pair], predicted: set[Pair]) -> Score:
    return Score(len(truth_pairs), len(predicted), len(truth_pairs & predicted))


def table(rows: list[tuple[str, str, Score]]) -> str:
    """A Markdown table: entity type, method, pairs, precision, recall, F1."""
    lines = [
        "| Entity type | Method | True pairs | Predicted pairs | Precision | Recall | F1 |",
        "|---|---|--:|--:|--:|--:|--:|",
    ]
    for kind, method, s in rows:
        lines.append(
            f"| {kind} | {method} | {s.true_pairs} | {s.predicted_pairs} | "
            f"{s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} |"
        )
    return "\n".join(lines)
