"""Batch resolution of person mentions with Splink on DuckDB, end to end, with known truth.

Generates fictional persons (given names from the project's nickname table and made-up family
names), writes each one to 1-3 mentions as a partner might (nicknames and other spellings,
typos, given name only, street names, age estimates, a phone in the same report), then resolves
every mention with the stored model (`resolve_person_records`' pipeline) and reports the time,
the peak memory and pairwise precision, recall and F1 against the truth: of the engine's
assignments (the clusters), and of the assignments with the suggestions analysts would be shown
(the strongest pairs not joined, at most model.SUGGESTIONS_PER_MENTION per mention, as
`csehub link run` stores them; chosen after the timed run).

    .venv/bin/python benchmarks/batch_resolution.py --mentions 1000000
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from csehub.intelligence.normalise import name_groups
from csehub.linking.engine.resolution import Resolution, model, resolve

ONSETS = [
    "b",
    "br",
    "c",
    "ch",
    "cl",
    "cr",
    "d",
    "dr",
    "f",
    "fl",
    "g",
    "gr",
    "h",
    "j",
    "k",
    "l",
    "m",
    "n",
    "p",
    "pr",
    "r",
    "s",
    "sh",
    "st",
    "t",
    "th",
    "tr",
    "v",
    "w",
    "wh",
    "y",
]
VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "ee", "oo", "ou"]
CODAS = [
    "b",
    "ck",
    "d",
    "ff",
    "g",
    "l",
    "ll",
    "m",
    "n",
    "nd",
    "ng",
    "nt",
    "p",
    "r",
    "rd",
    "rn",
    "rt",
    "s",
    "ss",
    "st",
    "t",
    "th",
    "wn",
    "x",
]
ENDINGS = [
    "ley",
    "ton",
    "field",
    "worth",
    "wood",
    "ford",
    "by",
    "ham",
    "well",
    "more",
    "croft",
    "dale",
    "stone",
    "wick",
]
STREET = [
    "Big",
    "Little",
    "Young",
    "Lil",
    "Mad",
    "Slim",
    "Ghost",
    "Ice",
    "Smokey",
    "Trigger",
    "Ace",
    "Rocky",
]


def _family_names(rng: random.Random, count: int) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        stem = rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS)
        names.add((stem + rng.choice(ENDINGS)).capitalize())
    return sorted(names)


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    if rng.random() < 0.5:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def generate(mentions: int, seed: int = 1) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """About `mentions` person mentions (1-3 per person) and the truth: mention -> person."""
    rng = random.Random(seed)  # noqa: S311 - fictional data, reproducible by seed
    groups = [g for g in name_groups() if len(g) > 1]
    families = _family_names(rng, 20000)
    records: list[dict[str, Any]] = []
    truth: dict[str, str] = {}
    person = 0
    while len(records) < mentions:
        person += 1
        group = rng.choice(groups)
        # Most family names are rare; one person in ten has one of the 200 common ones.
        family = rng.choice(families[:200] if rng.random() < 0.1 else families)
        age = rng.randint(17, 55)
        stem = rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS)
        street = f"{rng.choice(STREET)} {stem.capitalize()}"
        phone = f"phone:+447700{person:06d}"
        for _ in range(rng.choice([1, 1, 2, 2, 3])):
            number = len(records)
            given = group[0] if rng.random() < 0.7 else rng.choice(group[1:])
            surname = _typo(rng, family) if rng.random() < 0.08 else family
            name = given.capitalize() if rng.random() < 0.1 else f"{given.capitalize()} {surname}"
            record = {
                "mention_id": f"R{number:07d}/p1",
                "name": name,
                "nickname": street if rng.random() < 0.3 else "",
                "age_estimate": age + rng.randint(-3, 3) if rng.random() < 0.7 else None,
                "report_id": f"R{number:07d}",
                "context": [phone] if rng.random() < 0.3 else [],
            }
            records.append(record)
            truth[record["mention_id"]] = f"P{person}"
            if len(records) >= mentions:
                break
    return records, truth


def _pairs(clusters: dict[str, str]) -> int:
    sizes: dict[str, int] = defaultdict(int)
    for cluster in clusters.values():
        sizes[cluster] += 1
    return sum(n * (n - 1) // 2 for n in sizes.values())


def pairwise(predicted: dict[str, str], truth: dict[str, str]) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 of predicted clusters against the truth."""
    both: dict[tuple[str, str], int] = defaultdict(int)
    for mention_id, cluster in predicted.items():
        both[(cluster, truth[mention_id])] += 1
    agreed = sum(n * (n - 1) // 2 for n in both.values())
    found, real = _pairs(predicted), _pairs(truth)
    precision = agreed / found if found else 1.0
    recall = agreed / real if real else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def suggested(result: Resolution) -> set[tuple[str, str]]:
    """The pairs `csehub link run` would store as suggestions (services.batch._suggest)."""
    per_mention: dict[str, int] = defaultdict(int)
    found = set()
    most = model.SUGGESTIONS_PER_MENTION
    for pair in sorted(result.pairs, key=lambda p: -p.probability):
        if result.clusters[pair.left] == result.clusters[pair.right]:
            continue
        if per_mention[pair.left] >= most or per_mention[pair.right] >= most:
            continue
        per_mention[pair.left] += 1
        per_mention[pair.right] += 1
        found.add((pair.left, pair.right) if pair.left < pair.right else (pair.right, pair.left))
    return found


def pairwise_with(
    predicted: dict[str, str], extra: set[tuple[str, str]], truth: dict[str, str]
) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 of the clusters' pairs plus `extra` pairs."""
    members: dict[str, list[str]] = defaultdict(list)
    for mention_id, cluster in predicted.items():
        members[cluster].append(mention_id)
    pairs = set(extra)
    for group in members.values():
        group.sort()
        pairs.update((a, b) for i, a in enumerate(group) for b in group[i + 1 :])
    agreed = sum(1 for a, b in pairs if truth[a] == truth[b])
    real = _pairs(truth)
    precision = agreed / len(pairs) if pairs else 1.0
    recall = agreed / real if real else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _exact_name(records: list[dict[str, Any]]) -> dict[str, str]:
    return {r["mention_id"]: r["name"].lower() or r["mention_id"] for r in records}


def _peak_rss_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    status = Path(f"/proc/{os.getpid()}/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                peak = max(peak, int(line.split()[1]) / 1024)
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
    args = parser.parse_args()

    mark = time.perf_counter()
    records, truth = generate(args.mentions, args.seed)
    generated = time.perf_counter() - mark
    print(f"generated {len(records):,} mentions of {len(set(truth.values())):,} persons "
          f"in {generated:.1f} s (not timed below)")  # fmt: skip

    mark = time.perf_counter()
    result = resolve(records, engine=args.engine)
    seconds = time.perf_counter() - mark
    precision, recall, f1 = pairwise(result.clusters, truth)
    base = pairwise(_exact_name(records), truth)
    print(f"resolved on {args.engine} in {seconds:.1f} s end to end "
          f"(stages {result.seconds}); peak RSS {_peak_rss_mib() / 1024:.2f} GiB")  # fmt: skip
    print(f"{len(result.pairs):,} pairs at or above the suggestion threshold; "
          f"{result.cluster_count:,} entities")  # fmt: skip
    print(f"assignments: pairwise precision {precision:.4f} recall {recall:.4f} F1 {f1:.4f}")
    both = pairwise_with(result.clusters, suggested(result), truth)
    print(f"assignments and suggestions: precision {both[0]:.4f} recall {both[1]:.4f} "
          f"F1 {both[2]:.4f}")  # fmt: skip
    print(f"exact-name baseline: precision {base[0]:.4f} recall {base[1]:.4f} F1 {base[2]:.4f}")


if __name__ == "__main__":
    main()
