"""The demo's linked story, finished as the CSE team would finish it.

The demo concerns and reports (csehub/concerns/demo.py, csehub/intelligence/demo.py) were linked
as each arrived: Ryz's car, phone and the Mill Lane car park reach Kira and Leah, and the handle
blockmaster_77 reaches Jayden and Sami, so those alerts are already raised. Ryz himself is only
ever named by his nickname, which the engine leaves to an analyst as "possibly the same". Here
the analyst confirms those pairs and puts Ryz on the MACE list, as last month's panel meeting
agreed (csehub/mace/demo.py); a later report about him then raises the MACE alert. Everything
here is fictional, and goes through the services. Idempotent: confirmed pairs, a current
listing and a shared report are each left as they are.
"""

from __future__ import annotations

from django.db import transaction

from csehub.accounts.models import Partnership, User
from csehub.intelligence.demo import ANALYST, DemoReport, demo_report_share
from csehub.intelligence.models import HowKnown
from csehub.mace import selectors as mace_selectors
from csehub.mace import services as mace_services
from csehub.mace.demo import demo_listing_meeting

from . import services
from .models import (
    Entity,
    EntityType,
    IndexedMention,
    LinkSuggestion,
    MentionEntity,
    SuggestionStatus,
)

RYZ = "ryz"  # his nickname, as the index holds it

# Arrives once Ryz is on the MACE list: the number he left is his phone, so the CSE team is told.
AFTER_THE_PANEL = DemoReport(
    "referraldesk@fernbridge.example",
    "Staff at the Canal Street Hotel rang: a man who gave his name as Ryz booked a room for the "
    "night and two girls in school uniform went up with him. The number he left is "
    "07700 900456.",
    HowKnown.WAS_TOLD,
    0,
    {
        "persons": [{"name": "", "nickname": "Ryz", "age_estimate": 24}],
        "phones": [{"number": "07700 900456"}],
        "locations": [{"name": "Canal Street Hotel", "postcode": "FB1 4QS", "business": True}],
    },
)


@transaction.atomic
def demo_linking(partnership: Partnership) -> None:
    analyst = User.objects.filter(email=ANALYST, agency__partnership=partnership).first()
    if analyst is None:
        return
    demo_nickname_confirm(partnership, analyst, RYZ)
    held = demo_nickname_entity(partnership, RYZ)
    if held is None:
        return
    ryz = held
    meeting = demo_listing_meeting(partnership)
    if mace_selectors.current_listing(entity=ryz) is None and meeting is not None:
        mace_services.mace_listing_add(actor=analyst, entity=ryz, meeting=meeting)
    demo_report_share(partnership, AFTER_THE_PANEL)


def _nickname_mentions(partnership: Partnership, nickname: str) -> list[str]:
    return list(
        IndexedMention.objects.filter(
            partnership=partnership, entity_type=EntityType.PERSON, nickname__iexact=nickname
        ).values_list("mention_id", flat=True)
    )


def demo_nickname_confirm(partnership: Partnership, analyst: User, nickname: str) -> None:
    """A man named by his nickname alone is left to an analyst as "possibly the same": the
    demo analyst confirms the open pairs among his mentions, as the CSE team would."""
    mentions = _nickname_mentions(partnership, nickname)
    open_pairs = LinkSuggestion.objects.filter(
        partnership=partnership,
        status=SuggestionStatus.SUGGESTED,
        mention_id__in=mentions,
        target_mention_id__in=mentions,
    )
    if open_pairs.exists():
        services.suggestions_decide_group(
            actor=analyst, suggestions=list(open_pairs), decision="confirm"
        )


def demo_nickname_entity(partnership: Partnership, nickname: str) -> Entity | None:
    """The person entity the mentions of a nickname were resolved to, if any."""
    mentions = _nickname_mentions(partnership, nickname)
    held = MentionEntity.objects.filter(mention_id__in=mentions).select_related("entity").first()
    return held.entity if held else None
