"""What a partnership gets: pairwise quality of `csehub link export`, per entity type.

    .venv/bin/python benchmarks/quality/export_quality.py [--reports 3000] [--seed 7]
        [--database sqlite|postgresql] [--json FILE] [--progress] [--skip-splink]
    .venv/bin/python benchmarks/quality/export_quality.py --file FILE.jsonl --truth FILE.csv

`--file` scores another generator's file instead (`csehub intel generate` writes one with its
truth): the same commands and scoring, nothing generated.

Only the export counts. A suggestion an analyst must still confirm is not a link the system
made, so two mentions are a predicted pair only when the export gives them the same entity_id.

1. The generator (generator.py) writes the reports to var/bench/export_quality/reports.jsonl in
   the exchange format (shared/INTERCHANGE.md), streamed line by line; the truth goes to
   truth.csv beside it and is never shown to the product.
2. A scratch installation is driven with the real commands, as a partner would: `csehub
   migrate` on a fresh SQLite file under var/bench/export_quality/ (or, with `--database
   postgresql`, on the scratch database csehub_bench_export_quality at 127.0.0.1), a fictional
   partnership with an agency per source, `csehub intel import`, `csehub link run --engine
   duckdb`, and `csehub link export` (with `--with-possible` when the command has it). Each step
   is timed: wall seconds, CPU seconds and the peak memory of its process.
3. The export is scored per type against the truth, beside two baselines on the same file:
   exact (the fields as written are the same strings, as run.py's baseline) and a plain Splink 5
   build written apart from csehub (splink_plain.py, run as its own process and timed too).

Pairs are counted, never listed (sum of C(n, 2) over groups and their intersections), so 100,000
reports score in seconds. Open possibles, when the export writes them, are counted per imported
report, and, when they name two mentions, checked against the truth.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import generator
import metrics
from partner_run import (
    PROJECT_DIR,
    ProductRun,
    Step,
    product_run,
    splink_run,
    timing_lines,
)

WORK_DIR = PROJECT_DIR / "var" / "bench" / "export_quality"
KINDS = ("child", "person", "vehicle", "place", "online", "phone")
TYPE_OF = {"location": "place"}  # the export's entity_type -> the name in the table
LISTS = {
    "persons": "person",
    "children": "child",
    "vehicles": "vehicle",
    "phones": "phone",
    "online": "online",
    "locations": "place",
}
RAW_FIELDS = {  # the exact baseline: these fields as written, the same strings
    "person": ("name",),
    "child": ("name",),
    "vehicle": ("plate",),
    "phone": ("number",),
    "online": ("platform", "username"),
    "place": ("name", "postcode"),
}
# Not what the user gets: what they would get by accepting the whole queue unread.
ACCEPTED = "(info) export + every open possible accepted"

# ---------------------------------------------------------------------------------------------
# The data: reports written out, truth kept aside
# ---------------------------------------------------------------------------------------------


@dataclass
class Generated:
    reports: int = 0
    sources: set[str] = field(default_factory=set)
    truth: dict[str, tuple[str, str]] = field(default_factory=dict)  # mention -> (type, entity)
    seconds: float = 0.0


def reports_write(*, reports: int, seed: int, path: Path, truth_path: Path) -> Generated:
    """Stream the generated reports to JSON Lines; the truth to its own CSV and to memory."""
    found = Generated()
    started = time.perf_counter()
    with (
        path.open("w", encoding="utf-8") as out,
        truth_path.open("w", encoding="utf-8", newline="") as truth_out,
    ):
        writer = csv.writer(truth_out, lineterminator="\n")
        writer.writerow(["mention_id", "entity_type", "true_entity_id"])
        for line, truth in generator.reports_generate(reports=reports, seed=seed):
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
            found.reports += 1
            found.sources.add(line["source"])
            for mention, (kind, entity) in truth.items():
                writer.writerow([mention, kind, entity])
                found.truth[mention] = (TYPE_OF.get(kind, kind), entity)
    found.seconds = time.perf_counter() - started
    return found


def reports_read(path: Path, truth_path: Path) -> Generated:
    """A file written elsewhere (`csehub intel generate`) and its truth CSV: mention id, type,
    true entity id."""
    found = Generated()
    with path.open(encoding="utf-8") as lines:
        for raw in lines:
            if raw.strip():
                found.reports += 1
                found.sources.add(json.loads(raw)["source"])
    with truth_path.open(encoding="utf-8", newline="") as rows:
        for mention, kind, entity in list(csv.reader(rows))[1:]:
            found.truth[mention] = (TYPE_OF.get(kind, kind), entity)
    return found


def mentions_read(path: Path) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(mention id, type, entry as written) for every mention in a JSON Lines file."""
    with path.open(encoding="utf-8") as lines:
        for raw in lines:
            if raw.strip():
                line = json.loads(raw)
                for list_name, kind in LISTS.items():
                    for entry in line.get(list_name) or []:
                        yield f"{line['id']}/{entry['ref']}", kind, entry


def exact_labels(path: Path) -> dict[str, object]:
    """The baseline: mentions whose fields as written are the same strings are one entity."""
    return {
        mention: (kind, *(entry.get(name, "") for name in RAW_FIELDS[kind]))
        for mention, kind, entry in mentions_read(path)
    }


def export_labels(path: Path) -> tuple[dict[str, object], Counter[str]]:
    """mention_id -> (type, entity_id) from an export CSV, and the mentions per type in it."""
    labels: dict[str, object] = {}
    counts: Counter[str] = Counter()
    with path.open(encoding="utf-8", newline="") as rows:
        for row in csv.DictReader(rows):
            kind = TYPE_OF.get(row["entity_type"], row["entity_type"])
            labels[row["mention_id"]] = (kind, row["entity_id"])
            counts[kind] += 1
    return labels, counts


def methods_collect(
    product: ProductRun, jsonl: Path, *, seed: int, work: Path, splink: bool
) -> tuple[dict[str, dict[str, object]], Step | None, dict[str, Any]]:
    """Each method's labels (mention -> entity): the export, exact, and the Splink build."""
    methods: dict[str, dict[str, object]] = {}
    if product.export is not None:
        methods["CSE Hub export"] = export_labels(product.export)[0]
    methods["exact (baseline)"] = exact_labels(jsonl)
    if not splink:
        return methods, None, {}
    step, splink_csv, summary = splink_run(jsonl, seed=seed, work=work)
    if step.returncode == 0:
        methods["plain Splink 5"] = export_labels(splink_csv)[0]
    return methods, step, summary


# ---------------------------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------------------------


def rows_score(
    truth: dict[str, tuple[str, str]], methods: dict[str, dict[str, object]]
) -> list[tuple[str, str, metrics.Score]]:
    rows = []
    for kind in KINDS:
        true_labels = {m: entity for m, (k, entity) in truth.items() if k == kind}
        if not true_labels:
            continue
        for method, labels in methods.items():
            rows.append((kind, method, metrics.score_labels(true_labels, labels)))
    return rows


@dataclass
class Possibles:
    rows: int = 0
    per_report: float = 0.0
    by_type: dict[str, int] = field(default_factory=dict)
    checked: int = 0  # rows naming two mentions both in the truth
    same_entity: int = 0  # of those, the same true entity
    columns: list[str] = field(default_factory=list)


def possibles_read(path: Path, truth: dict[str, tuple[str, str]], reports: int) -> Possibles:
    """Count the open possible pairs; check them when two columns name mentions."""
    found = Possibles()
    with path.open(encoding="utf-8", newline="") as rows:
        reader = csv.DictReader(rows)
        found.columns = list(reader.fieldnames or [])
        mention_columns = [c for c in found.columns if "mention" in c.lower()][:2]
        type_column = next((c for c in found.columns if c.lower() in ("entity_type", "type")), "")
        by_type: Counter[str] = Counter()
        for row in reader:
            found.rows += 1
            if type_column:
                by_type[TYPE_OF.get(row[type_column], row[type_column])] += 1
            if len(mention_columns) == 2:
                a, b = (truth.get(row[c]) for c in mention_columns)
                if a is not None and b is not None:
                    found.checked += 1
                    found.same_entity += a == b
    found.by_type = dict(by_type)
    found.per_report = found.rows / reports if reports else 0.0
    return found


def possibles_accepted(export: dict[str, object], path: Path) -> dict[str, object]:
    """The export as it would stand if an analyst accepted every open possible (information)."""
    first: dict[object, str] = {}
    pairs = [(mention, first.setdefault(label, mention)) for mention, label in export.items()]
    with path.open(encoding="utf-8", newline="") as rows:
        reader = csv.DictReader(rows)
        columns = [c for c in (reader.fieldnames or []) if "mention" in c.lower()][:2]
        if len(columns) == 2:
            pairs += [
                (row[columns[0]], row[columns[1]])
                for row in reader
                if row[columns[0]] in export and row[columns[1]] in export
            ]
    return dict(metrics.components(export, pairs))


def notes(
    splink: dict[str, Any], missing: Counter[str], possibles: Possibles | None, possible_note: str
) -> list[str]:
    """The lines under the timings: Splink's own, what the export left out, the queue."""
    lines = []
    if splink:
        lines.append(f"- plain Splink seconds per type: {splink.get('seconds')}")
        lines += [f"- plain Splink {k} FAILED: {e}" for k, e in splink.get("failed", {}).items()]
    if missing:
        lines.append(f"- mentions missing from the export (scored as alone): {dict(missing)}")
    if possibles is not None:
        line = (
            f"- open possibles: {possibles.rows} ({possibles.per_report:.2f} per imported "
            f"report; by type {possibles.by_type or 'not given'})"
        )
        if possibles.checked:
            line += (
                f"; {possibles.same_entity} of {possibles.checked} are truly the same "
                f"({possibles.same_entity / possibles.checked:.2f})"
            )
        lines.append(line)
    elif possible_note:
        lines.append(f"- {possible_note}")
    return lines


def score_dict(s: metrics.Score) -> dict[str, float]:
    return {
        "true_pairs": s.true_pairs,
        "predicted_pairs": s.predicted_pairs,
        "correct_pairs": s.correct,
        "precision": s.precision,
        "recall": s.recall,
        "f1": s.f1,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--progress", action="store_true", help="show the commands' progress")
    parser.add_argument("--skip-splink", action="store_true", help="leave out the Splink build")
    parser.add_argument("--file", type=Path, help="score this JSON Lines file, not generate one")
    parser.add_argument("--truth", type=Path, help="the truth CSV of --file")
    args = parser.parse_args(argv)
    if bool(args.file) != bool(args.truth):
        parser.error("--file and --truth go together")

    shutil.rmtree(WORK_DIR, ignore_errors=True)  # a scratch directory of this benchmark's own
    WORK_DIR.mkdir(parents=True)
    jsonl, truth_csv = WORK_DIR / "reports.jsonl", WORK_DIR / "truth.csv"
    if args.file:
        shutil.copyfile(args.file, jsonl)
        shutil.copyfile(args.truth, truth_csv)
        generated = reports_read(jsonl, truth_csv)
    else:
        generated = reports_write(
            reports=args.reports, seed=args.seed, path=jsonl, truth_path=truth_csv
        )
    truth = generated.truth
    counts = Counter(kind for kind, _ in truth.values())
    origin = args.file.name if args.file else f"seed {args.seed}"
    print(
        f"{generated.reports} reports, {origin}, {args.database}; mentions: "
        + ", ".join(f"{kind} {counts[kind]}" for kind in KINDS),
        flush=True,
    )

    product = product_run(
        jsonl=jsonl,
        sources=sorted(generated.sources),
        database=args.database,
        work=WORK_DIR,
        show_progress=args.progress,
    )
    steps = list(product.steps)
    for step in steps:
        if step.output and step.name in ("import", "link run"):
            print(f"{step.name}: " + step.output.replace("\n", " | "), flush=True)

    methods, splink_step, splink_summary = methods_collect(
        product, jsonl, seed=args.seed, work=WORK_DIR, splink=not args.skip_splink
    )
    if splink_step is not None:
        steps.append(splink_step)
    missing: Counter[str] = Counter()
    if "CSE Hub export" in methods:
        exported = methods["CSE Hub export"]
        missing.update(kind for m, (kind, _) in truth.items() if m not in exported)

    possibles = None
    if product.possible is not None and product.possible.exists():
        possibles = possibles_read(product.possible, truth, generated.reports)
        if "CSE Hub export" in methods:
            methods[ACCEPTED] = possibles_accepted(methods["CSE Hub export"], product.possible)
    rows = rows_score(truth, methods)

    print()
    print(metrics.table(rows))
    print()
    print("\n".join(timing_lines(steps, generated.reports, generated.seconds)))
    print("\n".join(notes(splink_summary, missing, possibles, product.possible_note)))
    if args.json:
        figures = {
            "reports": generated.reports,
            "seed": args.seed,
            "database": args.database,
            "mentions": dict(counts),
            "rows": [{"type": kind, "method": method, **score_dict(s)} for kind, method, s in rows],
            "steps": [asdict(step) for step in steps],
            "generate_seconds": generated.seconds,
            "splink": splink_summary,
            "possibles": asdict(possibles) if possibles else None,
            "missing_from_export": dict(missing),
        }
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    failed = [step.name for step in product.steps if step.returncode != 0]
    return 1 if failed or product.export is None else 0


if __name__ == "__main__":
    sys.exit(main())
