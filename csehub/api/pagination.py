"""Lists in the API: one bounded page at a time, and every page audited.

Every list operation goes through `paginated`, so the bounds are the same everywhere (and
published in the OpenAPI document), and a page of records about children leaves an audit event
by the mechanism rather than by a line a route has to remember (STYLE convention 14):

- a list of records (children, concerns, referrals, ...): a VIEWED event with the ids shown;
- a page of one child's record (`about_child` names the path parameter with the child's id):
  a VIEWED event naming the child and how many entries were shown.

csehub/api/tests/test_reads_audited.py calls every GET operation of the OpenAPI document and
fails for one that returns a child's data without leaving such an event.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from csehub.audit.models import Verb
from csehub.audit.services import audit_record, list_view_record

from .operations import api_user

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
# Far beyond any list a partnership holds, and far inside the database's 64-bit integers.
MAX_OFFSET = 1_000_000


class PageIn(Schema):
    limit: int = Field(
        DEFAULT_LIMIT,
        ge=1,
        le=MAX_LIMIT,
        description=f"How many to return, 1 to {MAX_LIMIT}.",
    )
    offset: int = Field(
        0,
        ge=0,
        le=MAX_OFFSET,
        description=f"How many to skip, 0 to {MAX_OFFSET:,}.",
    )


def _count_up_to(queryset: Any) -> int:
    """How many, stopping one past COUNT_UP_TO (the caller says when it stopped)."""
    try:
        return int(queryset.order_by()[: COUNT_UP_TO + 1].count())
    except AttributeError:
        return len(queryset)


def _record_id(item: Any) -> int:
    """A model instance's pk, or the `id` of an output schema built by the route."""
    return int(item.pk if hasattr(item, "pk") else item.id)


# Counting every record a partnership holds on every page costs more than the page itself
# (a join over 100,000 concerns is some 70 ms); past this many the count stops and says so.
COUNT_UP_TO = 10_000


class PageOut(Schema):
    items: list[Any]
    count: int = Field(
        description=f"How many there are in all, counted up to {COUNT_UP_TO:,}: a longer list "
        f"says {COUNT_UP_TO:,} and `count_is_lower_bound` is true."
    )
    count_is_lower_bound: bool = Field(
        description=f"True when there are more than {COUNT_UP_TO:,} and counting stopped there."
    )


class AuditedPagination(LimitOffsetPagination):
    Input = PageIn  # type: ignore[assignment]
    Output = PageOut  # type: ignore[assignment]

    def __init__(self, *, target_type: str, about_child: str | None = None, **kwargs: Any):
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
        self.target_type = target_type
        self.about_child = about_child

    def _items_count(self, queryset: Any) -> int:
        return _count_up_to(queryset)

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        shown = list(page[self.items_attribute])
        page[self.items_attribute] = shown
        page["count_is_lower_bound"] = page["count"] > COUNT_UP_TO
        page["count"] = min(page["count"], COUNT_UP_TO)
        user = api_user(request)
        if self.about_child is not None:
            child_id = params[self.about_child]
            audit_record(
                actor=user,
                verb=Verb.VIEWED,
                target_type=self.target_type,
                target_id=child_id,
                child=child_id,
                detail={"shown": len(shown), "offset": pagination.offset},
            )
        else:
            list_view_record(
                actor=user, target_type=self.target_type, ids=[_record_id(i) for i in shown]
            )
        return page


def paginated(
    *, target_type: str, about_child: str | None = None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Page the list the operation returns and audit the page shown.

    `target_type` names the records listed ("concern" leaves a "concern_list" event with their
    ids). For the entries of one child's record, `about_child` names the path parameter holding
    the child's id, and the event names that child.
    """
    return paginate(AuditedPagination, target_type=target_type, about_child=about_child)
