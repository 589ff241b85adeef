"""The partnership's pathway (a decision graph), walking it, and who to call now.

Pathways and directories are not about any child, so reads are not audited (as on the pages).
The caller sees their own partnership's, or an example partnership's named by `partnership`.
"""
# No `from __future__ import annotations`: ninja reads the body schemas from real annotations.

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from csehub.access.permissions import Permission
from csehub.accounts.models import Partnership, User
from csehub.api.dates import Moment
from csehub.api.errors import READ_ERRORS, WRITE_ERRORS
from csehub.api.operations import api_user, requires
from csehub.deadlines.clocks import to_london
from csehub.pathways import selectors
from csehub.pathways.directory import CallAdvice, who_to_call_now
from csehub.pathways.graph import Outcome, PathwayGraph, Question, pathway_walk

router = Router(tags=["pathways"])


class CallOut(Schema):
    service_code: str
    service_name: str
    at: dt.datetime = Field(description="The London time the advice is for.")
    is_open: bool
    number: str | None = Field(description="None when closed with no out-of-hours line.")
    number_label: str
    reason: str
    opens_again: dt.datetime | None
    emergency_reminder: str


class AnswerOut(Schema):
    value: str
    label: str
    next: list[str]


class QuestionOut(Schema):
    id: str
    text: str
    hint: str
    answers: list[AnswerOut]


class OutcomeOut(Schema):
    id: str
    kind: str
    kind_label: str
    text: str
    contacts: list[str] = Field(description="Service codes in the contact directory.")


class PathwayOut(Schema):
    partnership: str
    version: int
    title: str
    description: str
    start: str
    questions: list[QuestionOut]
    outcomes: list[OutcomeOut]


class WalkIn(Schema):
    partnership: str | None = Field(None, description="Default: the caller's partnership.")
    answers: dict[str, str] = Field(
        default_factory=dict, description="Question id -> answer value."
    )
    at: Moment | None = Field(
        None, description="When to pick contact numbers for (London time); default now."
    )


class AnsweredOut(Schema):
    question: str
    answer: str


class WalkOutcomeOut(OutcomeOut):
    calls: list[CallOut]


class WalkOut(Schema):
    complete: bool
    asked: list[AnsweredOut]
    next_question: QuestionOut | None
    invalid: list[str] = Field(description="Questions given an answer they do not offer.")
    outcomes: list[WalkOutcomeOut]


def call_out(advice: CallAdvice) -> CallOut:
    return CallOut(
        service_code=advice.service.code,
        service_name=advice.service.name,
        at=advice.at,
        is_open=advice.is_open,
        number=advice.number,
        number_label=advice.number_label,
        reason=advice.reason,
        opens_again=advice.opens_again,
        emergency_reminder=advice.emergency_reminder,
    )


def _question_out(question: Question) -> QuestionOut:
    return QuestionOut(
        id=question.id,
        text=question.text,
        hint=question.hint,
        answers=[
            AnswerOut(value=a.value, label=a.label, next=list(a.next)) for a in question.answers
        ],
    )


def _outcome_out(outcome: Outcome) -> OutcomeOut:
    return OutcomeOut(
        id=outcome.id,
        kind=outcome.kind.value,
        kind_label=outcome.kind_label,
        text=outcome.text,
        contacts=list(outcome.contacts),
    )


def _partnership(user: User, slug: str | None) -> Partnership:
    shown = selectors.partnership_for_user(user=user, slug=slug)
    if shown is None:
        raise HttpError(404, "No partnership you may see has this slug")
    return shown


def _graph(partnership: Partnership) -> PathwayGraph:
    try:
        return selectors.current_pathway(partnership)
    except selectors.PathwayNotLoaded:
        raise HttpError(404, "This partnership has no pathway loaded yet") from None


def _moment(at: dt.datetime | None) -> dt.datetime:
    return to_london(at if at is not None else timezone.now())


@router.get("/pathway", response={200: PathwayOut, **READ_ERRORS}, url_name="pathway-detail")
@requires(Permission.VIEW_PATHWAYS)
def pathway_detail(request: HttpRequest, partnership: str | None = None) -> PathwayOut:
    """The current pathway of the caller's partnership (or of an example partnership)."""
    graph = _graph(_partnership(api_user(request), partnership))
    return PathwayOut(
        partnership=graph.partnership,
        version=graph.version,
        title=graph.title,
        description=graph.description,
        start=graph.start,
        questions=[_question_out(q) for q in graph.questions],
        outcomes=[_outcome_out(o) for o in graph.outcomes],
    )


@router.post("/pathway/walk", response={200: WalkOut, **WRITE_ERRORS}, url_name="pathway-walk")
@requires(Permission.VIEW_PATHWAYS)
def pathway_walk_operation(request: HttpRequest, payload: WalkIn) -> WalkOut:
    """Where a set of answers leads: the outcomes reached, in order, with the number to call
    for each contact at `at`, and the next question when the walk is not complete."""
    shown = _partnership(api_user(request), payload.partnership)
    graph = _graph(shown)
    result = pathway_walk(graph, payload.answers)
    directory = selectors.directory_for(shown)
    moment = _moment(payload.at)
    known = {s.code for s in directory.services} if directory else set()
    outcomes = [
        WalkOutcomeOut(
            **_outcome_out(o).model_dump(),
            calls=[
                call_out(who_to_call_now(directory, code, moment))
                for code in o.contacts
                if directory is not None and code in known
            ],
        )
        for o in result.outcomes
    ]
    return WalkOut(
        complete=result.is_complete,
        asked=[AnsweredOut(question=s.question.id, answer=s.answer.value) for s in result.asked],
        next_question=_question_out(result.next_question) if result.next_question else None,
        invalid=list(result.invalid),
        outcomes=outcomes,
    )


@router.get("/contacts/now", response={200: CallOut, **READ_ERRORS}, url_name="contacts-now")
@requires(Permission.VIEW_PATHWAYS)
def contacts_now(
    request: HttpRequest,
    partnership: str | None = None,
    service: str | None = None,
    at: Moment | None = None,
) -> CallOut:
    """The number to call for a service (default: the directory's first) at `at` (London time,
    default now), and a plain reason why."""
    shown = _partnership(api_user(request), partnership)
    directory = selectors.directory_for(shown)
    if directory is None:
        raise HttpError(404, "This partnership has no contact directory loaded yet")
    code = service or directory.main_service.code
    try:
        return call_out(who_to_call_now(directory, code, _moment(at)))
    except KeyError:
        raise HttpError(404, "The contact directory has no service with this code") from None
