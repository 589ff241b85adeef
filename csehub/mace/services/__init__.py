"""The only writes to the MACE app: the list of persons of concern (listing), and the panel
with its meetings, agenda and actions (panel)."""

from .listing import mace_alerts_check, mace_listing_add, mace_listing_remove
from .panel import (
    ActionDetails,
    ItemRecord,
    action_agree,
    action_close,
    agenda_item_add,
    agenda_item_record,
    meeting_create,
    panel_create,
    panel_member_add,
    panel_member_end,
)

__all__ = [
    "ActionDetails",
    "ItemRecord",
    "action_agree",
    "action_close",
    "agenda_item_add",
    "agenda_item_record",
    "mace_alerts_check",
    "mace_listing_add",
    "mace_listing_remove",
    "meeting_create",
    "panel_create",
    "panel_member_add",
    "panel_member_end",
]
