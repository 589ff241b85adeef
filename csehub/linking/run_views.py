"""Analysts' pages about batch linking runs: which ran, and the model each one used."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from csehub.access.reads import audited_page, audited_record_or_404
from csehub.access.request import request_user

from . import selectors
from .models import ResolutionRun

RUN_TARGET = "resolution_run"
THRESHOLD_LABELS = {
    "cluster_at_match_probability": "Same person (assigned by the model) from match probability",
    "suggest_at_match_probability": "Suggested to analysts from match probability",
    "probability_two_random_records_match": "Prior: two mentions picked at random are one person",
    "questions_per_group": "Most questions open for one group at a time",
}


@require_GET
def runs(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    # Runs hold counts and the model only (no one's details), but reading them is still noted.
    page = audited_page(request, selectors.runs_visible_to(user=user), target_type=RUN_TARGET)
    return render(request, "linking/runs.html", {"page": page, "runs": page.rows})


def _levels(run: ResolutionRun) -> list[dict[str, Any]]:
    """Each comparison with its levels and their m and u, from what the run stored."""
    found = []
    comparisons = (run.model or {}).get("comparisons", {})
    for name, comparison in comparisons.items():
        labels = comparison.get("levels", [])
        m, u = comparison.get("m", []), comparison.get("u", [])
        found.append(
            {
                "name": name.replace("_", " "),
                "description": comparison.get("description", ""),
                "levels": [
                    {"label": label, "m": m[i], "u": u[i]}
                    for i, label in enumerate(labels)
                    if i < len(m) and i < len(u)
                ],
            }
        )
    return found


@require_GET
def run(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    found: ResolutionRun = audited_record_or_404(
        user=user, visible=selectors.runs_visible_to(user=user), pk=pk, target_type=RUN_TARGET
    )
    model = found.model or {}
    priors = {
        key.removeprefix("prior_"): value
        for key, value in (found.parameters or {}).items()
        if key.startswith("prior_")
    }
    return render(
        request,
        "linking/run.html",
        {
            "run": found,
            "comparisons": _levels(found),
            "blocking_rules": model.get("blocking_rules", []),
            "columns": model.get("columns", {}),
            "thresholds": [
                (THRESHOLD_LABELS.get(name, name.replace("_", " ")), value)
                for name, value in (found.thresholds or {}).items()
            ],
            "priors": priors.items(),
            "seconds": [
                (stage.replace("_", " ").capitalize(), value)
                for stage, value in (found.seconds or {}).items()
            ],
        },
    )
