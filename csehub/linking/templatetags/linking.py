"""`{% report_links report %}`: the Links section of a report's analyst page."""

from __future__ import annotations

from typing import Any

from django import template

from csehub.accounts.models import User
from csehub.intelligence.models import IntelligenceReport

from .. import selectors

register = template.Library()


@register.inclusion_tag("linking/includes/report_links.html", takes_context=True)
def report_links(context: dict[str, Any], report: IntelligenceReport) -> dict[str, Any]:
    request = context["request"]
    user = request.user
    if not isinstance(user, User) or not selectors.can_view_links(user=user):
        return {"links": [], "hidden": True, "request": request}
    return {
        "links": selectors.links_for_report(user=user, report=report),
        "can_decide": selectors.can_decide_links(user=user),
        "request": request,
    }
