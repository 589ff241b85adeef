"""One append-only audit table. Rows record ids and verbs, never the content of a record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Verb(models.TextChoices):
    SIGNED_IN = "signed_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    SIGN_IN_THROTTLED = "sign_in_throttled", "Sign-in refused while locked out"
    SIGNED_OUT = "signed_out", "Signed out"
    SESSION_EXPIRED = "session_expired", "Session ended by time limit"
    MFA_ENROLLED = "mfa_enrolled", "Authenticator set up"
    MFA_VERIFIED = "mfa_verified", "Second factor accepted"
    MFA_FAILED = "mfa_failed", "Second factor rejected"
    MFA_RESET = "mfa_reset", "Authenticator reset"
    MFA_WAIVED_DEMO = "mfa_waived_demo", "Second factor waived (demo mode)"
    PASSWORD_SET = "password_set", "Password set"
    INVITATION_SENT = "invitation_sent", "Invitation sent"
    VIEWED = "viewed", "Viewed"
    SEARCHED = "searched", "Searched"
    EXPORTED = "exported", "Exported"
    CREATED = "created", "Created"
    UPDATED = "updated", "Updated"
    DEACTIVATED = "deactivated", "Deactivated"
    REACTIVATED = "reactivated", "Reactivated"
    LOADED = "loaded", "Loaded from a data file"
    REMINDED = "reminded", "Reminder sent"


class Outcome(models.TextChoices):
    ALLOWED = "allowed", "Allowed"
    DENIED = "denied", "Denied"


class AuditEvent(models.Model):
    """One thing someone did, or tried to do.

    A row is written in the same transaction as what it records, with `mac`: a keyed hash of
    its contents that only the service can compute. After the transaction commits, the row is
    sealed into the chain: `sequence` numbers sealed rows without gaps and `hash` covers the
    previous row's hash, this row's number and its `mac` (docs/decisions/0004). Database
    triggers refuse DELETE, and any UPDATE except the one that seals an unsealed row.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    # Tenancy is a column: whose trail this is. Empty only where no partnership is known (a
    # failed sign-in with an address nobody has, say). No database constraints on the ids
    # here: the trail must outlive any account, partnership or child record it mentions.
    partnership = models.ForeignKey(
        "accounts.Partnership",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    # The child the event is about, where there is one: a subject access request reads it.
    child_id = models.BigIntegerField(null=True, blank=True)
    verb = models.CharField(max_length=32, choices=Verb.choices)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=128, blank=True)
    outcome = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.ALLOWED)
    request_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # Ids and codes only (e.g. {"fields": ["role"]}); never names or free text.
    detail = models.JSONField(default=dict, blank=True)
    mac = models.CharField(max_length=64)
    # The seal, set once after commit.
    sequence = models.PositiveBigIntegerField(unique=True, null=True, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            models.Index(fields=["actor", "at"]),
            models.Index(fields=["partnership", "-id"], name="audit_partnership_newest"),
            models.Index(fields=["child_id", "-id"], name="audit_child_newest"),
            # The sealer's work list: rows committed but not yet in the chain.
            models.Index(
                fields=["id"],
                name="audit_unsealed",
                condition=models.Q(sequence__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.verb} {self.target_type}:{self.target_id}"

    @property
    def target_type_label(self) -> str:
        return record_type_label(self.target_type)


def record_type_label(code: str) -> str:
    """A record type code as a person reads it: "audit_log" becomes "Audit log"."""
    return code.replace("_", " ").capitalize()
