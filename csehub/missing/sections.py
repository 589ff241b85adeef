"""Missing episodes on the child's page: counts, the latest episodes, and the button to record
one for those who may."""

from __future__ import annotations

from csehub.access.permissions import Permission, has_permission
from csehub.accounts.models import User
from csehub.children.models import Child
from csehub.children.sections import ChildPageSection, register_child_section

from .selectors import (
    children_recordable_by,
    episode_counts,
    episodes_changeable_by,
    episodes_for_child,
)


@register_child_section
def missing_section(child: Child, user: User) -> ChildPageSection | None:
    if not has_permission(user, Permission.VIEW_MISSING):
        return None
    episodes = list(episodes_for_child(user=user, child=child)[:10])
    return ChildPageSection(
        template="missing/includes/child_section.html",
        order=55,
        context={
            "child": child,
            "episodes": episodes,
            "counts": episode_counts(user=user, child=child),
            "can_record": children_recordable_by(user=user).filter(pk=child.pk).exists(),
            "changeable": set(
                episodes_changeable_by(user=user)
                .filter(pk__in=[e.pk for e in episodes])
                .values_list("pk", flat=True)
            ),
        },
    )
