"""Network measures (groups, hubs and hotspots) over 1,000,000 nodes and 3,000,000 edges.

Times what the measures page does from the moment the rows leave the database to the finished
hubs, groups and hotspots:

1. `graph.network_arrays`: the mention rows exactly as `PartnershipGraph.whole_network`'s query
   returns them (a list of (container, entity id or None, child record or None, kind, mention
   id, primary key) tuples, grouped by container) and the (container, theme) pairs become the
   whole network as arrays: node keys and kinds, each link once;
2. `measures.measures_of`: components, hubs, groups and hotspots, sorted;
3. reading the results as a page does: the number of each, and the first 100 rows of each list
   made into Python objects.

Not included: running the two SQL queries and the database driver turning their results into
Python tuples (the database's work, measured separately if needed), reading the labels of the
nodes a page names (`PartnershipGraph.members_for_keys`), and rendering. Making every row of
every list into Python objects is timed separately ("all rows") because a page that showed
every hub would pay it.

Two generated partnerships, synthetic and seeded, with reports of four mentions each (about 10%
of containers are concerns, each with up to two abuse-model themes): **random**, each report
mentions nodes drawn at random, so nearly everything is one giant group (the worst case for
listing a group's members); **clustered**, nodes sit in clusters of 20 and 99% of reports
mention nodes of one cluster, which gives tens of thousands of groups. Every node is mentioned
at least once; reports are added until there are at least the asked-for number of links.
Node kinds: 21% children, 37% persons, 10.5% vehicles, 10.5% phones, 5.3% online accounts and
15.7% places (the previous benchmark's shares without its themes); half the children are known
by their child record only and 10% of the other nodes are unresolved mentions.

    .venv/bin/python benchmarks/network_measures.py [--nodes N] [--edges M] [--runs R]
        [--shape random|clustered|both]

Prints each run's wall clock and CPU time, their medians, and the process's peak memory
(resident set) with the rows alone and after the runs.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csehub.config.settings.test")

import django

django.setup()

from csehub.linking.network.graph import MentionRow, network_arrays  # noqa: E402
from csehub.linking.network.measures import Measures, measures_of  # noqa: E402

KINDS = ["child", "person", "vehicle", "phone", "online", "location"]
SHARES = np.array([0.20, 0.35, 0.10, 0.10, 0.05, 0.15]) / 0.95
PER_REPORT = 4
CLUSTER = 20
BETWEEN = 0.01
CONCERNS = 0.10
THEMES = ["sexual_exploitation_party", "online_grooming", "peer_on_peer", "boyfriend_model"]
SEED = 20261123
SHOWN = 100


def _links(boxes: np.ndarray, nodes: np.ndarray, size: int) -> int:
    """How many distinct pairs the containers make (to know when there are enough)."""
    member = np.unique(boxes * size + nodes)
    box, node = member // size, member % size
    starts = np.flatnonzero(np.r_[True, box[1:] != box[:-1]])
    sizes = np.diff(np.r_[starts, len(member)])
    place = np.arange(len(member)) - np.repeat(starts, sizes)
    later = np.repeat(sizes, sizes) - 1 - place
    left = np.repeat(np.arange(len(member)), later)
    step = np.arange(len(left)) - np.repeat(np.cumsum(later) - later, later)
    return len(np.unique(node[left] * size + node[left + 1 + step]))


def partnership(
    nodes: int, edges: int, shape: str, seed: int = SEED
) -> tuple[list[MentionRow], list[tuple[str, str]]]:
    """Mention rows as the query returns them, and the themes ticked in the concerns."""
    rng = np.random.default_rng(seed)
    kind = rng.choice(len(KINDS), size=nodes, p=SHARES)
    child = kind == 0
    record_only = child & (rng.random(nodes) < 0.5)
    unresolved = ~child & (rng.random(nodes) < 0.10)  # one mention each
    # First every node once (in shuffled order, clusters together for "clustered"), then more.
    first = rng.permutation(nodes)
    if shape == "clustered":
        first = first[np.argsort(first // CLUSTER, kind="stable")]
    boxes = [np.arange(nodes) // PER_REPORT]
    members = [first]
    again = np.flatnonzero(~unresolved)
    box_count = int(boxes[0][-1]) + 1
    while _links(np.concatenate(boxes), np.concatenate(members), nodes) < edges:
        more = max(1_000, (edges - _links(np.concatenate(boxes), np.concatenate(members), nodes)))
        count = more // (PER_REPORT * (PER_REPORT - 1) // 2) + 1
        if shape == "random":
            picked = rng.choice(again, size=(count, PER_REPORT))
        else:
            cluster = rng.integers(0, nodes // CLUSTER, size=count)
            picked = cluster[:, None] * CLUSTER + rng.integers(0, CLUSTER, (count, PER_REPORT))
            between = rng.random((count, PER_REPORT)) < BETWEEN
            picked[between] = rng.integers(0, nodes, size=int(between.sum()))
        picked = picked.reshape(-1)
        box = np.repeat(np.arange(box_count, box_count + count), PER_REPORT)
        keep = ~unresolved[picked]
        boxes.append(box[keep])
        members.append(picked[keep])
        box_count += count
    box, node = np.concatenate(boxes), np.concatenate(members)
    order = np.argsort(box, kind="stable")
    box, node = box[order], node[order]
    # Containers: reports "A-0000001", and about one in ten a concern "concern-1".
    is_concern = rng.random(box_count) < CONCERNS
    names = [
        f"concern-{number}" if concern else f"A-{number:07d}"
        for number, concern in enumerate(is_concern.tolist(), start=1)
    ]
    entity_id = rng.permutation(nodes) + 1
    record_id = rng.permutation(nodes) + 1
    pks = (rng.permutation(len(node)) + 1).tolist()
    kinds = [KINDS[k] for k in kind.tolist()]
    rows: list[MentionRow] = []
    for number, (b, n) in enumerate(zip(box.tolist(), node.tolist(), strict=True)):
        container = names[b]
        if unresolved[n]:
            entity, record = None, None
        elif record_only[n]:
            entity, record = None, int(record_id[n])
        else:
            entity, record = int(entity_id[n]), (int(record_id[n]) if child[n] else None)
        rows.append((container, entity, record, kinds[n], f"{container}/m{number}", pks[number]))
    rows.sort(key=lambda row: (row[0], row[5]))  # ORDER BY container, pk
    themes = [
        (name, f"T{THEMES[code]}")
        for name, concern in zip(names, is_concern.tolist(), strict=True)
        if concern
        for code in set(rng.integers(0, len(THEMES), size=int(rng.integers(0, 3))).tolist())
    ]
    return rows, themes


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def shown(found: Measures) -> int:
    """What a page of the first rows reads: the counts and the first rows of each list."""
    rows = found.hubs[:SHOWN] + found.hotspots[:SHOWN]
    groups = found.groups[:SHOWN]
    return len(found.hubs) + len(found.hotspots) + len(found.groups) + len(rows) + len(groups)


def every_row(found: Measures) -> int:
    return sum(len(item.children) for item in (*found.hubs, *found.hotspots)) + sum(
        len(group.keys) for group in found.groups
    )


def timed(work, *args):  # type: ignore[no-untyped-def]
    started, started_cpu = time.perf_counter(), time.process_time()
    result = work(*args)
    return result, time.perf_counter() - started, time.process_time() - started_cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=1_000_000)
    parser.add_argument("--edges", type=int, default=3_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--shape", choices=["random", "clustered", "both"], default="both")
    args = parser.parse_args()
    if args.shape == "both":
        # One process per shape, so that each peak memory figure is its own.
        for shape in ("random", "clustered"):
            common = ["--nodes", str(args.nodes), "--edges", str(args.edges)]
            command = [sys.executable, __file__, *common, "--runs", str(args.runs)]
            subprocess.run([*command, "--shape", shape], check=True)  # noqa: S603
        return
    shape = args.shape
    rows, themes = partnership(args.nodes, args.edges, shape)
    gc.collect()
    before = peak_mib()
    walls, cpus, all_walls, all_cpus = [], [], [], []
    for _ in range(args.runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        network = network_arrays(rows, themes)
        found = measures_of(network)
        shown(found)
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - started_cpu)
        _, wall, cpu = timed(every_row, found)
        all_walls.append(wall)
        all_cpus.append(cpu)
        del network, found
        gc.collect()
    network = network_arrays(rows, themes)
    found = measures_of(network)
    largest = max((len(group.keys) for group in found.groups[:1]), default=0)
    print(
        f"{shape}: {len(rows):,} mention rows, {len(themes):,} themes ticked -> "
        f"{network.node_count:,} nodes, {network.edge_count:,} links -> "
        f"{len(found.hubs):,} hubs, {len(found.groups):,} groups (first {largest:,} nodes), "
        f"{len(found.hotspots):,} hotspots"
    )
    print("  rows to measures, first rows read: " + ", ".join(f"{t:.2f} s" for t in walls))
    print(
        f"  median: {statistics.median(walls):.2f} s wall clock, "
        f"{statistics.median(cpus):.2f} s CPU"
    )
    print(
        f"  making every row of every list as well: median {statistics.median(all_walls):.2f} s "
        f"wall clock, {statistics.median(all_cpus):.2f} s CPU more"
    )
    print(f"  peak memory: {before:,.0f} MiB with the rows, {peak_mib():,.0f} MiB after")


if __name__ == "__main__":
    main()
