"""Every write about links, by sub-domain; import them from here (`services.X`).

- decisions: assignments of mentions to entities, analysts' decisions (one pair, or a group
  of the queue at once) and their undoing;
- alerts: alerts for the CSE team when something links to a second child;
- batch: `csehub link run` (the deterministic pass and the Splink resolution) and
  `csehub link export`, each run stored and audited;
- possible: the open "possibly the same" pairs for `csehub link export --with-possible`.
"""

from .alerts import (
    SAME_CHILD_AT,
    alert_mark_seen,
    alerts_check,
    alerts_check_each,
    children_linked,
)

# The batch run imports the on-arrival engine (which uses these services) only when it runs.
from .batch import EXPORT_HEADER, links_export, links_run
from .decisions import (
    TARGET,
    GroupDecision,
    GroupDecisionKind,
    decision_undo,
    entity_create,
    entity_merge,
    mention_split,
    mentions_assign_by_engine,
    mentions_assign_by_engine_each,
    mentions_release_by_engine,
    suggestion_confirm,
    suggestion_reject,
    suggestions_decide_group,
)
from .possible import POSSIBLE_HEADER, possible_pairs_export

__all__ = [
    "EXPORT_HEADER",
    "POSSIBLE_HEADER",
    "SAME_CHILD_AT",
    "TARGET",
    "GroupDecision",
    "GroupDecisionKind",
    "alert_mark_seen",
    "alerts_check",
    "alerts_check_each",
    "children_linked",
    "decision_undo",
    "entity_create",
    "entity_merge",
    "links_export",
    "links_run",
    "mention_split",
    "mentions_assign_by_engine",
    "mentions_assign_by_engine_each",
    "mentions_release_by_engine",
    "possible_pairs_export",
    "suggestion_confirm",
    "suggestion_reject",
    "suggestions_decide_group",
]
