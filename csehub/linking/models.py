"""Entities, the mentions assigned to them, suggested links with their reasons, and decisions.

A mention (a child, person, vehicle, phone, username or place in an intelligence report or a
concern) is known here only by its mention id ("<report id>/<ref>", "concern-<pk>/<ref>"), so
that an assignment outlives a re-import that replaces the mention rows. The engine reads a copy
of each mention's normal forms (IndexedMention, the candidate index); analysts' decisions are
kept as a history and always win over the engine.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from csehub.accounts.models import Partnership
from csehub.children.models import Child
from csehub.concerns.models import Concern
from csehub.intelligence.models import IntelligenceReport


class EntityType(models.TextChoices):
    CHILD = "child", "Child"
    PERSON = "person", "Person"
    VEHICLE = "vehicle", "Vehicle"
    PHONE = "phone", "Phone"
    ONLINE = "online", "Online account"
    LOCATION = "location", "Place"


# The exchange format's ref prefixes: c child, p person, v vehicle, t phone, u online, l place.
ENTITY_PREFIX = {
    "child": "C",
    "person": "P",
    "vehicle": "V",
    "phone": "T",
    "online": "U",
    "location": "L",
}


class MentionSource(models.TextChoices):
    INTELLIGENCE = "intelligence", "Intelligence"
    CONCERN = "concern", "Concern"


class AssignedBy(models.TextChoices):
    ENGINE = "engine", "The linking engine"
    ANALYST = "analyst", "An analyst"


# ---------------------------------------------------------------------------------------------
# The candidate index: one row per mention, with the normal forms the engine compares
# ---------------------------------------------------------------------------------------------


class IndexedMention(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    mention_id = models.CharField(max_length=160, unique=True)
    source = models.CharField(max_length=16, choices=MentionSource.choices)
    entity_type = models.CharField(max_length=16, choices=EntityType.choices)
    # The report or concern the mention is in: mentions in one container are neighbours.
    container = models.CharField(max_length=120, db_index=True)
    report = models.ForeignKey(
        IntelligenceReport, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    concern = models.ForeignKey(
        Concern, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # A concern's child is a record of the children app: the same record is the same child.
    child_record = models.ForeignKey(
        Child, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    label = models.CharField(max_length=200)  # built from the normal forms only
    name = models.CharField(max_length=200, blank=True)  # name_normalise
    nickname = models.CharField(max_length=200, blank=True)
    dob = models.DateField(null=True, blank=True)
    age_estimate = models.PositiveSmallIntegerField(null=True, blank=True)
    plate = models.CharField(max_length=40, blank=True, db_index=True)  # plate_normalise
    plate_confusable = models.CharField(max_length=40, blank=True, db_index=True)
    is_partial = models.BooleanField(default=False)
    # For a partial plate, its SQL LIKE pattern (_ one unknown, % any run), confusables folded.
    plate_like = models.CharField(max_length=40, blank=True)
    # A vehicle's make and colour as written, lower case and single-spaced ("vauxhall corsa",
    # "dark blue"): two plates that fit each other and clash on these are not one vehicle.
    make = models.CharField(max_length=100, blank=True)
    colour = models.CharField(max_length=50, blank=True)
    e164 = models.CharField(max_length=20, blank=True, db_index=True)
    username = models.CharField(max_length=200, blank=True, db_index=True)
    platform = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True, db_index=True)
    indexed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        # Each candidate lookup is (partnership, type, one normal form), newest first. Leading
        # with all three lets SQLite choose these even before ANALYZE has run, instead of
        # walking every mention of the partnership.
        indexes = [
            models.Index(fields=["partnership", "entity_type", "is_partial"]),
            *(
                models.Index(fields=["partnership", "entity_type", column], name=f"im_{column}")
                for column in ("e164", "username", "postcode", "name", "plate_confusable")
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(entity_type__in=EntityType.values),
                name="indexed_mention_type_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.mention_id


class NameKey(models.Model):
    """A key a person's or child's name is filed under (normalise.name_keys)."""

    mention = models.ForeignKey(IndexedMention, on_delete=models.CASCADE, related_name="name_keys")
    key = models.CharField(max_length=200)

    class Meta:
        # Candidates are the newest few under each key: walked from the key's newest entry, so a
        # key shared by tens of thousands of mentions ("dee", "j~ smith") costs a few rows.
        indexes = [models.Index(fields=["key", "id"], name="name_key_newest")]
        constraints = [
            models.UniqueConstraint(fields=["mention", "key"], name="name_key_unique"),
        ]

    def __str__(self) -> str:
        return self.key


# ---------------------------------------------------------------------------------------------
# Entities and assignments
# ---------------------------------------------------------------------------------------------


class Entity(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    entity_type = models.CharField(max_length=16, choices=EntityType.choices)
    label = models.CharField(max_length=200)  # normal forms only: "YX12ABC", "daniel smith"
    created_at = models.DateTimeField(default=timezone.now)
    # An entity is never deleted, so its reference, once written in notes or minutes, always
    # opens. When it loses its last mention to another entity (a merge by an analyst or by a
    # run), that entity is its successor, and its page says where the mentions went.
    successor = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    emptied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "entities"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(entity_type__in=EntityType.values), name="entity_type_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.label}"

    @property
    def reference(self) -> str:
        return f"{ENTITY_PREFIX.get(self.entity_type, 'E')}-{self.pk:06d}"


class MentionEntity(models.Model):
    mention_id = models.CharField(max_length=160, unique=True)
    source = models.CharField(max_length=16, choices=MentionSource.choices)
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="assignments")
    assigned_by = models.CharField(max_length=16, choices=AssignedBy.choices)
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(assigned_by__in=AssignedBy.values),
                name="mention_entity_assigned_by_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mention_id} -> {self.entity_id}"


# ---------------------------------------------------------------------------------------------
# Suggested links and their reasons
# ---------------------------------------------------------------------------------------------


class SuggestionStatus(models.TextChoices):
    # The engine's own outcomes: "possibly the same" for an analyst to judge, and resolved
    # (the evidence made it clear, so the engine joined the two; an analyst can undo it).
    SUGGESTED = "suggested", "Possibly the same"
    RESOLVED = "resolved", "Resolved by the engine"
    # Analysts' decisions, which always win.
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Rejected"


# What the engine stores and replaces on each run; anything else is an analyst's decision.
ENGINE_STATUSES = (SuggestionStatus.SUGGESTED, SuggestionStatus.RESOLVED)


class LinkSuggestion(models.Model):
    """A pair the engine compared: possibly the same (for an analyst), or resolved by it.

    Every pair keeps its weight and reasons; an analyst's confirm or reject replaces the
    engine's outcome and is never overwritten by a later run.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    entity_type = models.CharField(max_length=16, choices=EntityType.choices)
    mention_id = models.CharField(max_length=160, db_index=True)  # the one that arrived
    target_mention_id = models.CharField(max_length=160, db_index=True)  # the one known
    # The known mention's entity when suggested, if it had one.
    target_entity = models.ForeignKey(
        Entity, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    weight = models.FloatField()
    status = models.CharField(
        max_length=16, choices=SuggestionStatus.choices, default=SuggestionStatus.SUGGESTED
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-weight", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mention_id", "target_mention_id"], name="link_suggestion_pair_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(weight__gte=0) & models.Q(weight__lte=1),
                name="link_suggestion_weight_range",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=SuggestionStatus.values),
                name="link_suggestion_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(mention_id=models.F("target_mention_id")),
                name="link_suggestion_not_itself",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mention_id} ~ {self.target_mention_id} ({self.weight:.2f})"

    @property
    def percent(self) -> int:
        return round(self.weight * 100)


class How(models.TextChoices):
    EXACT = "exact", "Exactly the same"
    PARTIAL_PLATE = "partial_plate", "Partial plate fits"
    CONFUSABLE = "confusable", "Same plate if look-alike characters were misread"
    NICKNAME = "nickname", "Same name allowing for nicknames and spellings"
    FUZZY_NAME = "fuzzy_name", "Similar name"
    DOB = "dob", "Date of birth"
    AGE = "age", "Age"
    CONTEXT = "context", "Shares a neighbour in the network"


class LinkReason(models.Model):
    suggestion = models.ForeignKey(LinkSuggestion, on_delete=models.CASCADE, related_name="reasons")
    field = models.CharField(max_length=40)  # plate, e164, name, dob, age_estimate, context...
    how = models.CharField(max_length=16, choices=How.choices)
    detail = models.CharField(max_length=200, blank=True)
    # What this reason added to (or, when it disagrees, took from) the weight.
    contribution = models.FloatField(default=0)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(how__in=How.values), name="link_reason_how_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.field}: {self.how}"


# ---------------------------------------------------------------------------------------------
# Analyst decisions: a history, each reversible by a later decision
# ---------------------------------------------------------------------------------------------


class DecisionKind(models.TextChoices):
    CONFIRM = "confirm", "Confirmed a link"
    REJECT = "reject", "Rejected a link"
    MERGE = "merge", "Merged two entities"
    SPLIT = "split", "Split a mention off"
    UNDO = "undo", "Undid a decision"


class AnalystDecision(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=DecisionKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    suggestion = models.ForeignKey(
        LinkSuggestion, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    suggestion_status_before = models.CharField(
        max_length=16, choices=SuggestionStatus.choices, blank=True
    )
    suggestion_status_after = models.CharField(
        max_length=16, choices=SuggestionStatus.choices, blank=True
    )
    entity = models.ForeignKey(
        Entity, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    undoes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="undone_by"
    )

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=DecisionKind.values), name="decision_kind_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="undo") | models.Q(undoes__isnull=False),
                name="decision_undo_names_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"


class DecisionChange(models.Model):
    """One mention moved from one entity to another (or to none) by a decision."""

    decision = models.ForeignKey(AnalystDecision, on_delete=models.CASCADE, related_name="changes")
    mention_id = models.CharField(max_length=160)
    source = models.CharField(max_length=16, choices=MentionSource.choices)
    from_entity = models.ForeignKey(
        Entity, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_assigned_by = models.CharField(max_length=16, choices=AssignedBy.choices, blank=True)
    to_entity = models.ForeignKey(
        Entity, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.mention_id}: {self.from_entity_id} -> {self.to_entity_id}"


# ---------------------------------------------------------------------------------------------
# Alerts for the CSE team
# ---------------------------------------------------------------------------------------------


class AlertKind(models.TextChoices):
    LINKS_SECOND_CHILD = "links_second_child", "Linked to a second child"
    # Filled once the MACE app keeps its list of persons (a hook for now).
    LINKS_MACE_PERSON = "links_mace_person", "Linked to a person on a MACE list"


class Alert(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=32, choices=AlertKind.choices)
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="alerts")
    children_linked = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    seen_by = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=AlertKind.values), name="alert_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.entity_id}"


class AlertMention(models.Model):
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="mentions")
    mention_id = models.CharField(max_length=160)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.mention_id


# ---------------------------------------------------------------------------------------------
# Batch runs (`csehub link run`): what ran, with which model, and what it did
# ---------------------------------------------------------------------------------------------


class RunEngine(models.TextChoices):
    DETERMINISTIC = "deterministic", "Deterministic pass only"
    DUCKDB = "duckdb", "Splink on DuckDB"
    SPARK = "spark", "Splink on Spark"


class RunStatus(models.TextChoices):
    RUNNING = "running", "Running"
    FINISHED = "finished", "Finished"
    FAILED = "failed", "Failed"


class ResolutionRun(models.Model):
    """One `csehub link run`: the engine, the model and its parameters, and the counts."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    engine = models.CharField(max_length=16, choices=RunEngine.choices)
    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.RUNNING)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Who ran it: a user when started from a page, otherwise how it was started.
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    started_from = models.CharField(max_length=100, default="command line: csehub link run")
    splink_version = models.CharField(max_length=20, blank=True)
    # The model as defined (comparisons, levels, blocking rules), the m and u parameters and
    # the prior used, the thresholds, and the engine's own Splink settings (its SQL).
    model = models.JSONField(default=dict, blank=True)
    parameters = models.JSONField(default=dict, blank=True)
    thresholds = models.JSONField(default=dict, blank=True)
    splink_settings = models.JSONField(default=dict, blank=True)
    # Counts (ids and numbers only, never a name).
    containers = models.PositiveIntegerField(default=0)  # reports and concerns replayed
    records = models.PositiveIntegerField(default=0)  # person and child mentions resolved
    pairs_scored = models.PositiveIntegerField(default=0)  # pairs at or above suggesting
    clusters = models.PositiveIntegerField(default=0)  # entities of two or more mentions
    mentions_assigned = models.PositiveIntegerField(default=0)
    suggestions = models.PositiveIntegerField(default=0)
    kept_by_analysts = models.PositiveIntegerField(default=0)  # analysts' placings left as is
    refused_by_decisions = models.PositiveIntegerField(default=0)  # joins decisions forbade
    seconds = models.JSONField(default=dict, blank=True)  # per stage

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(engine__in=RunEngine.values), name="resolution_run_engine_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=RunStatus.values), name="resolution_run_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"run {self.pk} ({self.engine})"
