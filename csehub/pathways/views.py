"""The Pathway page (a step-by-step walk and the whole pathway) and the contact directory.

Both show the user's own partnership by default, or an example partnership named by
?partnership=SLUG. Neither is about a child, so views are not audited per read.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from csehub.access.request import request_user
from csehub.accounts.models import Partnership
from csehub.deadlines.clocks import bank_holiday_name, to_london

from . import selectors
from .directory import (
    WEEKDAYS,
    CallAdvice,
    Directory,
    Service,
    format_time,
    who_to_call_now,
)
from .forms import CallTimeForm, PathwayStepForm
from .graph import Outcome, PathwayGraph, Question, WalkResult, pathway_walk

ASKED = "asked"  # hidden field: the question the user was answering when they submitted


@dataclass(frozen=True)
class OutcomeContact:
    service: Service
    advice: CallAdvice


def _shown_partnership(request: HttpRequest) -> tuple[Partnership | None, list[Partnership]]:
    user = request_user(request)
    slug = request.GET.get("partnership") or None
    shown = selectors.partnership_for_user(user=user, slug=slug)
    if slug and shown is None:
        raise Http404
    return shown, list(selectors.partnerships_viewable_by(user=user))


def _now() -> datetime.datetime:
    return to_london(timezone.now())


def _contacts_for(
    outcome: Outcome, directory: Directory | None, now: datetime.datetime
) -> list[OutcomeContact]:
    if directory is None:
        return []
    return [
        OutcomeContact(
            service=directory.service(code), advice=who_to_call_now(directory, code, now)
        )
        for code in outcome.contacts
        if code in {s.code for s in directory.services}
    ]


def _query(shown: Partnership, answers: dict[str, str]) -> str:
    return f"{reverse('pathways:pathway')}?{urlencode({'partnership': shown.slug, **answers})}"


def _tree(graph: PathwayGraph, node_id: str, path: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The pathway from a node down, for nested lists; a branch stops if it would loop."""
    node = graph.node(node_id)
    if isinstance(node, Outcome) or node_id in path:
        return {"node": node, "is_question": False, "answers": []}
    return {
        "node": node,
        "is_question": True,
        "answers": [
            {
                "answer": answer,
                "next": [_tree(graph, target, path | {node_id}) for target in answer.next],
            }
            for answer in node.answers
        ],
    }


def _walk_context(request: HttpRequest, shown: Partnership, graph: PathwayGraph) -> dict[str, Any]:
    answers = {
        q.id: request.GET[q.id] for q in graph.questions if request.GET.get(q.id, "").strip()
    }
    result: WalkResult = pathway_walk(graph, answers)
    question: Question | None = result.next_question
    form = None
    if question is not None:
        submitted = request.GET.get(ASKED) == question.id or question.id in result.invalid
        form = PathwayStepForm(request.GET if submitted else None, question=question)
        if submitted:
            form.is_valid()  # shows the error: the walk only stops here without a valid answer
    kept: dict[str, str] = {}
    asked = []
    for step in result.asked:
        asked.append({"step": step, "change_url": _query(shown, dict(kept))})
        kept[step.question.id] = step.answer.value
    directory = selectors.directory_for(shown)
    now = _now()
    return {
        "graph": graph,
        "result": result,
        "asked": asked,
        "form": form,
        "hidden_answers": kept,
        "outcomes": [
            {"outcome": o, "contacts": _contacts_for(o, directory, now)} for o in result.outcomes
        ],
        "tree": _tree(graph, graph.start),
        "started": bool(answers),
        "now": now,
    }


@require_GET
def pathway_page(request: HttpRequest) -> HttpResponse:
    shown, viewable = _shown_partnership(request)
    context: dict[str, Any] = {"shown": shown, "viewable": viewable, "graph": None}
    if shown is not None:
        try:
            graph = selectors.current_pathway(shown)
        except selectors.PathwayNotLoaded:
            graph = None
        if graph is not None:
            context.update(_walk_context(request, shown, graph))
    return render(request, "pathways/pathway.html", context)


def _hours_rows(service: Service) -> list[dict[str, str]]:
    rows = []
    for weekday, name in enumerate(WEEKDAYS):
        ranges = service.ranges_on(weekday)
        text = (
            ", ".join(f"{format_time(r.opens)} to {format_time(r.closes)}" for r in ranges)
            if ranges
            else "Closed"
        )
        rows.append({"day": name.capitalize(), "hours": text})
    return rows


def _upcoming_bank_holidays(today: datetime.date, count: int = 3) -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    day = today
    while len(found) < count and day < today + datetime.timedelta(days=400):
        if name := bank_holiday_name(day):
            found.append({"date": day, "name": name})
        day += datetime.timedelta(days=1)
    return found


@require_GET
def contacts_page(request: HttpRequest) -> HttpResponse:
    shown, viewable = _shown_partnership(request)
    directory = selectors.directory_for(shown) if shown is not None else None
    now = _now()
    # "What if I ring at 16:45 on Friday?": the advice for a chosen moment instead of now.
    form = CallTimeForm(
        request.GET if request.GET else None,
        partnerships=viewable,
        initial={"partnership": shown.slug if shown else ""},
    )
    asked_at = form.moment() if form.is_bound and form.is_valid() else None
    when = asked_at or now
    services = []
    if directory is not None:
        for service in directory.services:
            services.append(
                {
                    "service": service,
                    "advice": who_to_call_now(directory, service.code, when),
                    "hours": _hours_rows(service),
                }
            )
    today = now.date()
    return render(
        request,
        "pathways/contacts.html",
        {
            "shown": shown,
            "viewable": viewable,
            "directory": directory,
            "services": services,
            "now": now,
            "when": when,
            "asked_at": asked_at,
            "form": form,
            "closures": [c for c in directory.closures if c.date >= today] if directory else [],
            "bank_holidays": _upcoming_bank_holidays(today),
        },
    )
