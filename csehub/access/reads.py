"""Reads of records about children: how a page fetches them, and the audit event it leaves.

A page that shows data about a child gets it through one of these, so the read is audited by
the mechanism rather than by a line each view has to remember (STYLE convention 14):

- `audited_record_or_404`: one record from a selector's scoped queryset; 404 alike for missing
  and not yours (the denial audited), and a VIEWED (or EXPORTED) event naming the record and
  the child it is about.
- `audited_page`: one page of a selector's scoped queryset, and a VIEWED event with the ids of
  the records shown (never what the page said about them).
- `record_or_404_unaudited`: the scoped lookup alone, for handlers whose own event covers the
  read: a POST whose service writes the change, or a page that records a fuller read event
  (the network pages, with their depth and counts). The denial is still audited.

csehub/access/tests/test_reads_audited.py walks every URL of the site and fails for a page that
shows a child's data without leaving one of these events.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.utils.http import urlencode

from csehub.accounts.models import User
from csehub.audit.models import Outcome, Verb
from csehub.audit.services import audit_record, list_view_record
from csehub.children.models import Child

from .request import request_user

M = TypeVar("M", bound=Model)

PER_PAGE = 50

# Which child a record is about: a Child, its id, or None when it is about no one child.
ChildOf = Callable[[Any], Child | int | None]


def child_id_of(record: Model) -> int | None:
    """The child a record is about, where the record says so itself: a child's own record, or a
    record with a `child` (a concern, a referral, a disclosure). Others pass `child_of`."""
    if isinstance(record, Child):
        return int(record.pk)
    child_id = getattr(record, "child_id", None)
    return int(child_id) if child_id is not None else None


def _found_or_404(*, user: User, visible: QuerySet[M], pk: object, target_type: str) -> M:
    """Look `pk` up in `visible`. Not found there means either it does not exist or the user may
    not see it; both answer 404 and both leave a denied event, so existence never leaks but
    information governance can see the attempt."""
    found = visible.filter(pk=pk).first()
    if found is None:
        audit_record(
            actor=user,
            verb=Verb.VIEWED,
            target_type=target_type,
            target_id=str(pk),
            outcome=Outcome.DENIED,
        )
        raise Http404
    return found


def audited_record_or_404(
    *,
    user: User,
    visible: QuerySet[M],
    pk: object,
    target_type: str,
    verb: Verb = Verb.VIEWED,
    detail: dict[str, object] | None = None,
    child_of: ChildOf = child_id_of,
) -> M:
    """The record `pk` from `visible` (a selector's scoped queryset), its reading audited.

    `verb` is EXPORTED for a printout or a download; `detail` holds ids and codes only.
    """
    found = _found_or_404(user=user, visible=visible, pk=pk, target_type=target_type)
    audit_record(
        actor=user,
        verb=verb,
        target_type=target_type,
        target_id=str(found.pk),
        detail=detail,
        child=child_of(found),
    )
    return found


def record_or_404_unaudited(*, user: User, visible: QuerySet[M], pk: object, target_type: str) -> M:
    """As `audited_record_or_404`, with no event for an allowed read: the caller's own event
    covers it (a service changing the record, or a fuller read event the page writes)."""
    return _found_or_404(user=user, visible=visible, pk=pk, target_type=target_type)


@dataclass(frozen=True)
class ShownPage(Generic[M]):
    """One page of a list as shown: its records, and the GOV.UK pagination component's links
    (None when everything fits on one page)."""

    rows: list[M]
    number: int
    count: int  # records on every page together
    pagination: dict[str, object] | None


def audited_page(
    request: HttpRequest,
    records: QuerySet[M] | Sequence[M],
    *,
    target_type: str,
    per_page: int = PER_PAGE,
) -> ShownPage[M]:
    """The page of `records` (a selector's scoped, ordered queryset) that `?page=` asks for,
    with a VIEWED event holding the ids of the records shown."""
    page = Paginator(records, per_page).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    list_view_record(
        actor=request_user(request), target_type=target_type, ids=[row.pk for row in rows]
    )
    last = page.paginator.num_pages
    return ShownPage(
        rows=rows,
        number=page.number,
        count=page.paginator.count,
        pagination=_pagination(request, page.number, last) if last > 1 else None,
    )


def _pagination(request: HttpRequest, number: int, last: int) -> dict[str, object]:
    """The GOV.UK pagination component's items: first, last, neighbours, ellipses between. The
    links keep the page's other parameters (a search, filters)."""
    kept = [
        (key, value) for key, values in request.GET.lists() if key != "page" for value in values
    ]

    def href(to: int) -> str:
        return "?" + urlencode([*kept, ("page", str(to))])

    wanted = sorted({1, last, number - 1, number, number + 1} & set(range(1, last + 1)))
    items: list[dict[str, object]] = []
    for index, shown in enumerate(wanted):
        if index and shown - wanted[index - 1] > 1:
            items.append({"ellipsis": True})
        items.append({"number": shown, "href": href(shown), "current": shown == number})
    return {
        "items": items,
        "previous": href(number - 1) if number > 1 else None,
        "next": href(number + 1) if number < last else None,
    }
