"""Each operation of benchmarks/load.py alone: median and worst time, CPU and queries per request.

    .venv/bin/python benchmarks/load_operations.py                 # every operation, 12 each
    .venv/bin/python benchmarks/load_operations.py "child list" --times 30
    .venv/bin/python benchmarks/load_operations.py "concern submit" --profile var/submit.prof
    .venv/bin/python benchmarks/load_operations.py "concern submit, busiest plate"

Runs in this process with Django's test client against the database load.py built
(csehub_bench_load on 127.0.0.1; run load.py --build-only first), with the same settings and
tokens, so a change can be timed per operation without the whole 10-minute run. Requests pass
through every middleware and the access layer as in the server; audit rows are written and
sealed as there. Only 127.0.0.1 is contacted; everyone in the data is generated and fictional.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _service import django_here, fictional_world, keys_for, pg_url, service_env

# Not in the mix: a concern naming the full plate with the most known mentions (thousands).
BUSIEST_PLATE = "concern submit, busiest plate"


def _busiest_plate() -> str:
    from django.db.models import Count

    from csehub.linking.models import Entity, EntityType

    return (
        Entity.objects.filter(entity_type=EntityType.VEHICLE)
        .annotate(size=Count("assignments"))
        .order_by("-size")
        .values_list("label", flat=True)
        .first()
        or ""
    )


def main() -> None:
    import load

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("operations", nargs="*", help="names from load.MIX (default: all)")
    parser.add_argument("--times", type=int, default=12)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of the requests here")
    parser.add_argument("--sql", metavar="FILE", help="write the last request's queries here")
    options = parser.parse_args()
    env = service_env(
        var_dir=load.VAR_DIR,
        keys=keys_for(load.VAR_DIR, fresh=False),
        database_url=pg_url(load.PG_DATABASE),
    )
    django_here(env)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    world = fictional_world()
    workload = load.Workload(world, options.seed)
    clients = {
        who: Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_HOST="127.0.0.1")
        for who, token in world["tokens"].items()
        if who in ("frontdoor", "dsl")
    }
    print("| operation | median ms | worst ms | CPU ms (median) | queries (median) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    weighted = 0.0
    profiler = cProfile.Profile() if options.profile else None
    busiest = _busiest_plate() if BUSIEST_PLATE in options.operations else ""
    for operation in options.operations or [m[0] for m in load.MIX]:
        spent, cpu, queries = [], [], []
        for time_no in range(options.times):
            profiled = profiler is not None and time_no > 0  # the first call warms caches
            if operation == BUSIEST_PLATE:
                who, method, path, body, then = workload.request("concern submit")
                body["vehicles"] = [{"plate": busiest}]
            else:
                who, method, path, body, then = workload.request(operation)
            with CaptureQueriesContext(connection) as captured:
                began, began_cpu = time.perf_counter(), time.process_time()
                if profiled:
                    profiler.enable()
                if method == "GET":
                    answer = clients[who].get(path)
                else:
                    payload = json.dumps(body) if body else None
                    answer = clients[who].post(path, payload, content_type="application/json")
                if profiled:
                    profiler.disable()
                spent.append((time.perf_counter() - began) * 1000)
                cpu.append((time.process_time() - began_cpu) * 1000)
            queries.append(len(captured.captured_queries))
            if options.sql:
                Path(options.sql).write_text(
                    "".join(f"{q['time']} {q['sql']}\n" for q in captured.captured_queries)
                )
            if answer.status_code >= 300:
                print(f"  {operation}: {answer.status_code} {answer.content[:200]!r}")
            elif then is not None:
                then(answer.json())
        print(
            f"| {operation} | {statistics.median(spent):.1f} | {max(spent):.1f} | "
            f"{statistics.median(cpu):.1f} | {statistics.median(queries):.0f} |"
        )
        weighted += (
            statistics.median(cpu) * dict((m[0], m[1]) for m in load.MIX).get(operation, 0) / 100
        )
    if profiler:
        profiler.dump_stats(options.profile)
    if not options.operations:
        print(f"CPU of this process per request, weighted by the mix: {weighted:.1f} ms")


if __name__ == "__main__":
    main()
