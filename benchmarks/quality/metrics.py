"""Pairwise precision, recall and F1 of a linking against the truth.

A pair is two different mentions of the same entity type. A true pair has one true entity; a
predicted pair is whatever the method being measured says is the same thing (its own rule,
stated where it is built). Mentions are compared only within a type.
"""

from __future__ import annotations

from collections import Counter, defaultdict
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


def components(mentions: Iterable[str], pairs: Iterable[Pair]) -> dict[str, str]:
    """Each mention's connected component under the pairs, named by one of its mentions."""
    parent = {m: m for m in mentions}

    def root(m: str) -> str:
        while parent[m] != m:
            parent[m] = parent[parent[m]]
            m = parent[m]
        return m

    for a, b in pairs:
        parent[root(a)] = root(b)
    return {m: root(m) for m in parent}


def closure(mentions: Iterable[str], pairs: Iterable[Pair]) -> set[Pair]:
    """Every pair joined by a chain of pairs (connected components), for the closure view."""
    return pairs_within(groups_of(components(mentions, pairs)))


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


def _pairs_in(sizes: Iterable[int]) -> int:
    return sum(n * (n - 1) // 2 for n in sizes)


def score_labels(truth: Mapping[str, object], predicted: Mapping[str, object]) -> Score:
    """The same score from two labellings of the mentions, counted without listing a pair.

    True pairs are the sum of C(n, 2) over true groups, predicted pairs over predicted groups,
    correct pairs over the groups' intersections: linear in the mentions, so 100,000 reports
    score in seconds. Only the mentions in `truth` count; one the prediction leaves out is a
    group of its own.
    """
    true_sizes: Counter[object] = Counter()
    predicted_sizes: Counter[object] = Counter()
    both: Counter[tuple[object, object]] = Counter()
    for mention, label in truth.items():
        guess = predicted.get(mention)
        if guess is None:
            guess = ("alone", mention)
        true_sizes[label] += 1
        predicted_sizes[guess] += 1
        both[label, guess] += 1
    return Score(
        _pairs_in(true_sizes.values()),
        _pairs_in(predicted_sizes.values()),
        _pairs_in(both.values()),
    )


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
