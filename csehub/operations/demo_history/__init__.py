"""A year of fictional history for the demo partnership, so the problem profile shows real
trends and the panel has a past.

The story children of the other demo modules carry the walk-throughs; this package adds the
year around them: more children with concerns and risk assessments, referrals and their
outcomes, intelligence reports naming places at real postcodes, missing episodes with their
return interviews, and a monthly MACE panel with VOLT records and actions. Everything is
generated from a fixed seed, so every load tells the same story, and everything goes through
the services; only the timestamps are moved back to when each thing happened. The people,
places' names, plates and handles are all invented (the postcodes are real, in DN15 and
DN16, as in docs/decisions/0013, so the map has points to draw).

Idempotent: a partnership that already has the history's first child is left as it is, and a
panel that already has its past meetings gets none added.
"""

from .panel import demo_history_panel
from .records import demo_history

__all__ = ["demo_history", "demo_history_panel"]
