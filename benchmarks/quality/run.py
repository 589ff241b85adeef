"""Linking quality on the synthetic world: pairwise precision, recall and F1 per entity type.

    .venv/bin/python benchmarks/quality/run.py [--reports 1500] [--seed 7]

Generates reports with ground truth (generator.py), imports them through the intelligence app's
own import into a scratch SQLite database under var/bench/ (so every report is linked on arrival,
in order, exactly as in the product), then scores three things against the truth:

- exact: the baseline, two mentions are linked when their fields as written are the same
  strings (persons and children: the name; vehicles: the plate; phones: the number; usernames:
  platform and username; places: name and postcode).
- on-arrival: two mentions are linked when the engine assigned them to the same entity, or
  stored a suggestion between them (every stored suggestion has a weight at or above
  scoring.SUGGEST_AT). Only the pairs the engine states, no chaining through a third mention.
- on-arrival closure: the same pairs joined transitively (what an analyst accepting every
  suggestion would end up with); shown for information.
- batch (persons only): the clusters of
  csehub.linking.engine.resolution.resolve_person_records(records, engine="duckdb"), when that
  function exists.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

import generator
import metrics
from scratch import django_scratch, partnership_scratch

KINDS = ("person", "child", "vehicle", "phone", "online", "location")
LISTS = {
    "persons": "person",
    "children": "child",
    "vehicles": "vehicle",
    "phones": "phone",
    "online": "online",
    "locations": "location",
}
RAW_FIELDS = {
    "person": ("name",),
    "child": ("name",),
    "vehicle": ("plate",),
    "phone": ("number",),
    "online": ("platform", "username"),
    "location": ("name", "postcode"),
}


def entries_by_mention(lines: list[dict[str, Any]]) -> dict[str, tuple[str, dict[str, Any]]]:
    found = {}
    for line in lines:
        for list_name, kind in LISTS.items():
            for entry in line.get(list_name, []):
                found[f"{line['id']}/{entry['ref']}"] = (kind, entry)
    return found


def exact_pairs(entries: dict[str, tuple[str, dict[str, Any]]], kind: str) -> set[metrics.Pair]:
    labels = {
        mention: tuple(entry.get(f, "") for f in RAW_FIELDS[kind])
        for mention, (k, entry) in entries.items()
        if k == kind
    }
    return metrics.pairs_within(metrics.groups_of(labels))


def engine_pairs(kind: str) -> set[metrics.Pair]:
    """Pairs the on-arrival engine states: one entity, or a stored suggestion."""
    from csehub.linking.engine.scoring import SUGGEST_AT
    from csehub.linking.models import LinkSuggestion, MentionEntity, SuggestionStatus

    assigned = dict(
        MentionEntity.objects.filter(entity__entity_type=kind).values_list(
            "mention_id", "entity_id"
        )
    )
    found = metrics.pairs_within(metrics.groups_of(assigned))
    suggested = LinkSuggestion.objects.filter(entity_type=kind, weight__gte=SUGGEST_AT).exclude(
        status=SuggestionStatus.REJECTED
    )
    for a, b in suggested.values_list("mention_id", "target_mention_id"):
        found.add(metrics.pair(a, b))
    return found


def person_records(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Person mentions as resolve_person_records takes them, with their report's identifiers."""
    from csehub.intelligence.normalise import (
        phone_e164,
        plate_is_partial,
        plate_normalise,
        username_normalise,
    )

    records = []
    for line in lines:
        context = [f"phone:{phone_e164(t['number'])}" for t in line.get("phones", [])]
        plates = [plate_normalise(v["plate"]) for v in line.get("vehicles", [])]
        context += [f"vehicle:{p}" for p in plates if p and not plate_is_partial(p)]
        context += [f"online:{username_normalise(u['username'])}" for u in line.get("online", [])]
        for entry in line.get("persons", []):
            records.append(
                {
                    "mention_id": f"{line['id']}/{entry['ref']}",
                    "report_id": line["id"],
                    "name": entry.get("name", ""),
                    "nickname": entry.get("nickname", ""),
                    "age_estimate": entry.get("age_estimate"),
                    "context": [c for c in context if not c.endswith(":")],
                }
            )
    return records


def batch_person_pairs(records: list[dict[str, Any]]) -> set[metrics.Pair] | None:
    """Pairs in one cluster of the batch resolution, or None when it is not there."""
    try:
        from csehub.linking.engine.resolution import resolve_person_records
    except ImportError:
        return None
    clusters = resolve_person_records(records, engine="duckdb")
    return metrics.pairs_within(metrics.groups_of(clusters))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    generated = list(generator.reports_generate(reports=args.reports, seed=args.seed))
    lines = [line for line, _ in generated]
    truth = {m: t for _, truths in generated for m, t in truths.items()}
    entries = entries_by_mention(lines)

    django_scratch("quality")
    from csehub.intelligence import services

    partnership = partnership_scratch(sorted({line["source"] for line in lines}))
    summary = services.reports_import(
        lines=[json.dumps(line) for line in lines], partnership=partnership, batch_size=200
    )
    assert not summary.skipped, summary.skipped[:5]
    linked_in = time.perf_counter() - started

    rows: list[tuple[str, str, metrics.Score]] = []
    for kind in KINDS:
        true_pairs = metrics.pairs_within(
            metrics.groups_of({m: e for m, (k, e) in truth.items() if k == kind})
        )
        mentions = [m for m, (k, _) in truth.items() if k == kind]
        engine = engine_pairs(kind)
        rows.append(
            (kind, "exact (baseline)", metrics.score(true_pairs, exact_pairs(entries, kind)))
        )
        rows.append((kind, "on-arrival", metrics.score(true_pairs, engine)))
        rows.append(
            (
                kind,
                "on-arrival closure",
                metrics.score(true_pairs, metrics.closure(mentions, engine)),
            )
        )
        if kind == "vehicle":
            # The pairs with a plate in full: two partial plates are never compared directly.
            from csehub.intelligence.normalise import plate_is_partial, plate_normalise

            full = {
                m for m in mentions if not plate_is_partial(plate_normalise(entries[m][1]["plate"]))
            }
            some = {p for p in true_pairs if p[0] in full or p[1] in full}
            rows.append(
                (
                    "vehicle, one plate or both in full",
                    "on-arrival",
                    metrics.score(some, {p for p in engine if p[0] in full or p[1] in full}),
                )
            )
        if kind == "person":
            # The pairs that can be told apart at all: both mentions have a surname.
            full = {m for m in mentions if len(entries[m][1].get("name", "").split()) > 1}
            both = {p for p in true_pairs if p[0] in full and p[1] in full}
            rows.append(
                (
                    "person, both named in full",
                    "on-arrival",
                    metrics.score(both, {p for p in engine if p[0] in full and p[1] in full}),
                )
            )
            batch = batch_person_pairs(person_records(lines))
            if batch is not None:
                rows.append((kind, "batch (duckdb)", metrics.score(true_pairs, batch)))
            else:
                print("batch: csehub.linking.engine.resolution is not there yet", file=sys.stderr)
    from csehub.linking.models import MentionEntity

    merged_children = MentionEntity.objects.filter(entity__entity_type="child").count()
    elapsed = time.perf_counter() - started
    counts = {kind: sum(1 for k, _ in truth.values() if k == kind) for kind in KINDS}
    print(f"{args.reports} reports, seed {args.seed}, mentions {counts}")
    print(f"imported and linked on arrival in {linked_in:.0f} s; total {elapsed:.0f} s")
    print(f"child mentions the engine put in an entity on its own: {merged_children}\n")
    print(metrics.table(rows))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(
                {
                    "reports": args.reports,
                    "seed": args.seed,
                    "rows": [
                        {
                            "type": kind,
                            "method": method,
                            "precision": s.precision,
                            "recall": s.recall,
                            "f1": s.f1,
                            "true_pairs": s.true_pairs,
                            "predicted_pairs": s.predicted_pairs,
                        }
                        for kind, method, s in rows
                    ],
                },
                out,
                indent=2,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
