"""Reads of pathways and contact directories.

A user sees their own partnership's pathway and directory, and the example configurations
(partnerships marked is_example) beside it. Pathways are not about any child, so reading them
is not audited.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from csehub.accounts.models import Partnership, User

from .directory import (
    Closure,
    Directory,
    OpeningRange,
    OtherNumber,
    OutOfHours,
    OutOfHoursKind,
    Service,
)
from .graph import Answer, Node, Outcome, OutcomeKind, PathwayGraph, Question
from .models import ContactDirectory, NodeKind, PathwayVersion


class PathwayNotLoaded(LookupError):
    """The partnership has no pathway loaded yet (`csehub pathway load`)."""


def partnerships_viewable_by(*, user: User) -> QuerySet[Partnership]:
    """The user's own partnership and every example one, own first then by name."""
    own = user.partnership_id
    condition = Q(is_example=True)
    if own is not None:
        condition |= Q(pk=own)
    return Partnership.objects.filter(condition).order_by("is_example", "name")


def partnership_for_user(*, user: User, slug: str | None) -> Partnership | None:
    """The partnership a pathway page shows: the one asked for if visible, else the user's own.

    Returns None when the slug names a partnership the user may not see (or none at all).
    """
    viewable = partnerships_viewable_by(user=user)
    if slug:
        return viewable.filter(slug=slug).first()
    own = user.partnership_id
    return viewable.filter(pk=own).first() if own is not None else viewable.first()


def current_pathway_version(partnership: Partnership) -> PathwayVersion | None:
    return PathwayVersion.objects.filter(pathway__partnership=partnership, is_current=True).first()


def pathway_graph(version: PathwayVersion) -> PathwayGraph:
    """A stored version as the graph that pathway_walk follows."""
    stored = list(
        version.nodes.prefetch_related("answers__targets__target", "contacts").order_by("position")
    )
    nodes: dict[str, Node] = {}
    for node in stored:
        if node.kind == NodeKind.OUTCOME:
            nodes[node.code] = Outcome(
                id=node.code,
                kind=OutcomeKind(node.outcome_kind),
                text=node.text,
                contacts=tuple(c.service_code for c in node.contacts.all()),
            )
        else:
            nodes[node.code] = Question(
                id=node.code,
                text=node.text,
                hint=node.hint,
                answers=tuple(
                    Answer(
                        value=answer.value,
                        label=answer.label,
                        next=tuple(t.target.code for t in answer.targets.all()),
                    )
                    for answer in node.answers.all()
                ),
            )
    return PathwayGraph(
        partnership=version.pathway.partnership.slug,
        version=version.version,
        title=version.title,
        description=version.description,
        start=version.start_code,
        nodes=nodes,
        differs_from_seed=version.differs_from_seed,
    )


def current_pathway(partnership: Partnership) -> PathwayGraph:
    """The partnership's current pathway. Raises PathwayNotLoaded when there is none."""
    version = current_pathway_version(partnership)
    if version is None:
        raise PathwayNotLoaded(partnership.slug)
    return pathway_graph(version)


def directory_for(partnership: Partnership) -> Directory | None:
    """The partnership's current contact directory, or None when it has none loaded."""
    stored = (
        ContactDirectory.objects.filter(partnership=partnership, is_current=True)
        .select_related("partnership")
        .prefetch_related("services__hours", "services__other_numbers", "closures")
        .first()
    )
    if stored is None:
        return None
    services: list[Service] = []
    for service in stored.services.all():
        hours: dict[int, list[OpeningRange]] = {}
        for opening in service.hours.all():
            hours.setdefault(opening.weekday, []).append(
                OpeningRange(opens=opening.opens, closes=opening.closes)
            )
        services.append(
            Service(
                code=service.code,
                name=service.name,
                purpose=service.purpose,
                phone=service.phone,
                email=service.email,
                hours={day: tuple(ranges) for day, ranges in hours.items()},
                hours_note=service.hours_note,
                out_of_hours=(
                    OutOfHours(
                        number=service.out_of_hours_phone,
                        kind=OutOfHoursKind(service.out_of_hours_kind),
                        description=service.out_of_hours_description,
                    )
                    if service.out_of_hours_phone
                    else None
                ),
                closed_on_bank_holidays=service.closed_on_bank_holidays,
                other_numbers=tuple(
                    OtherNumber(label=n.label, number=n.number) for n in service.other_numbers.all()
                ),
            )
        )
    return Directory(
        partnership=stored.partnership.slug,
        version=stored.version,
        services=tuple(services),
        closures=tuple(Closure(date=c.date, reason=c.reason) for c in stored.closures.all()),
    )
