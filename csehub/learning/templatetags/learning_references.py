"""{% guidance_references %}: the further reading from the seeds, for the guidance pages, which
belong to the taxonomy app and so include this rather than importing learning's data."""

from __future__ import annotations

from typing import Any

from django import template

from ..references import references_shipped

register = template.Library()


@register.inclusion_tag("learning/includes/references.html")
def guidance_references() -> dict[str, Any]:
    return {"groups": references_shipped()}
