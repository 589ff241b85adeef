"""Course content ready to render: blocks with the vocabulary items and the partnership's
contact directory filled in. Content is the same for everyone except the directory, which is
the reader's own partnership's (never hard-coded in the course file)."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from csehub.accounts.models import Partnership
from csehub.deadlines.clocks import to_london
from csehub.pathways import selectors as pathways_selectors
from csehub.pathways.directory import who_to_call_now
from csehub.taxonomy import selectors as taxonomy_selectors

from ..models import CourseSection


def _directory_block(block: dict[str, Any], partnership: Partnership | None) -> dict[str, Any]:
    directory = pathways_selectors.directory_for(partnership) if partnership else None
    services = []
    if directory is not None:
        now = to_london(timezone.now())
        for service in directory.services:
            services.append(
                {"service": service, "advice": who_to_call_now(directory, service.code, now)}
            )
    return {**block, "partnership": partnership, "services": services}


def _taxonomy_block(block: dict[str, Any]) -> dict[str, Any]:
    vocabulary = taxonomy_selectors.vocabulary_by_code(block["vocabulary"])
    items = list(taxonomy_selectors.items_for(vocabulary)) if vocabulary else []
    return {**block, "vocabulary_obj": vocabulary, "items": items}


def _link_block(block: dict[str, Any]) -> dict[str, Any] | None:
    try:
        return {**block, "href": reverse(block["url_name"])}
    except NoReverseMatch:
        return None  # the page has gone since the file was loaded: leave the link out


def section_blocks(
    section: CourseSection, *, partnership: Partnership | None
) -> list[dict[str, Any]]:
    """The section's blocks with what they refer to looked up, in order."""
    rendered: list[dict[str, Any]] = []
    for block in section.blocks:
        kind = block.get("type")
        if kind == "directory":
            rendered.append(_directory_block(block, partnership))
        elif kind == "taxonomy_list":
            rendered.append(_taxonomy_block(block))
        elif kind == "link":
            if (link := _link_block(block)) is not None:
                rendered.append(link)
        else:
            rendered.append(dict(block))
    return rendered
