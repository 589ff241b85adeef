"""Every write about links, by sub-domain; import them from here (`services.X`).

- decisions: assignments of mentions to entities, analysts' decisions and their undoing;
- alerts: alerts for the CSE team when something links to a second child;
- batch: `csehub link run` (the deterministic pass and the Splink resolution) and
  `csehub link export`, each run stored and audited.
"""

from .alerts import (
    SAME_CHILD_AT,
    alert_mark_seen,
    alerts_check,
    children_linked,
)

# The batch run imports the on-arrival engine (which uses these services) only when it runs.
from .batch import EXPORT_HEADER, links_export, links_run
from .decisions import (
    TARGET,
    decision_undo,
    entity_create,
    entity_merge,
    mention_split,
    mentions_assign_by_engine,
    suggestion_confirm,
    suggestion_reject,
)

__all__ = [
    "EXPORT_HEADER",
    "SAME_CHILD_AT",
    "TARGET",
    "alert_mark_seen",
    "alerts_check",
    "children_linked",
    "decision_undo",
    "entity_create",
    "entity_merge",
    "links_export",
    "links_run",
    "mention_split",
    "mentions_assign_by_engine",
    "suggestion_confirm",
    "suggestion_reject",
]
