"""The "Referrals and disclosures" section of a child's page: what the user may see, and the
actions open to them (refer a concern, ask their lead, record a disclosure)."""

from __future__ import annotations

from csehub.access.permissions import Permission, has_permission
from csehub.accounts.models import User
from csehub.children.models import Child
from csehub.children.sections import ChildPageSection, register_child_section
from csehub.concerns.models import ConcernStatus
from csehub.concerns.selectors import concerns_for_child
from csehub.disclosures.selectors import disclosures_for_child

from .selectors import referrals_for_child


@register_child_section
def referrals_and_disclosures(child: Child, user: User) -> ChildPageSection | None:
    can_view_referrals = has_permission(user, Permission.VIEW_REFERRAL)
    can_view_disclosures = has_permission(user, Permission.VIEW_DISCLOSURE)
    if not (can_view_referrals or can_view_disclosures):
        return None
    can_refer = has_permission(user, Permission.MAKE_REFERRAL)
    can_ask = has_permission(user, Permission.REQUEST_REFERRAL)
    concerns = (
        list(concerns_for_child(user=user, child=child).filter(status=ConcernStatus.SUBMITTED))
        if can_refer or can_ask
        else []
    )
    return ChildPageSection(
        template="referrals/includes/child_section.html",
        order=60,
        context={
            "child": child,
            "referrals": list(referrals_for_child(user=user, child=child)),
            "disclosures": list(disclosures_for_child(user=user, child=child)),
            "show_referrals": can_view_referrals,
            "show_disclosures": can_view_disclosures,
            "concerns": concerns,
            "can_refer": can_refer,
            "can_ask": can_ask and not can_refer,
            "can_record_disclosure": has_permission(user, Permission.RECORD_DISCLOSURE),
        },
    )
