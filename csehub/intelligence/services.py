"""Every write about intelligence: sharing it, grading it, and bulk import."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import smtplib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from csehub.access.permissions import Permission, has_permission
from csehub.accounts.models import Agency, Partnership, User
from csehub.audit.models import Verb
from csehub.audit.services import audit_record
from csehub.linking.engine.arrival import link_on_arrival
from csehub.linking.engine.bulk import batch_link, index_rows_write, rows_insert
from csehub.linking.engine.index import CONCERN_ID_PREFIX
from csehub.linking.models import IndexedMention

from .interchange import MODEL_FOR_LIST, LineError, ParsedReport, report_parse
from .models import (
    ChildMention,
    Grading,
    HowKnown,
    IntelligenceReport,
    LocationMention,
    Mention,
    MentionLink,
    OnlineMention,
    PersonMention,
    PhoneMention,
    ReportStatus,
    VehicleMention,
)

logger = logging.getLogger(__name__)

REFERENCE_PREFIX = "INT"
FEEDBACK_EMAIL_SUBJECT = "CSE Hub: the police have responded to intelligence you shared"


@dataclass(frozen=True)
class SharedItems:
    """The structured details a submitter confirmed, one dict of form values per item."""

    children: list[dict[str, Any]] = field(default_factory=list)
    persons: list[dict[str, Any]] = field(default_factory=list)
    vehicles: list[dict[str, Any]] = field(default_factory=list)
    phones: list[dict[str, Any]] = field(default_factory=list)
    online: list[dict[str, Any]] = field(default_factory=list)
    locations: list[dict[str, Any]] = field(default_factory=list)


_ITEM_MODELS: dict[str, tuple[type[Mention], str]] = {
    "children": (ChildMention, "c"),
    "persons": (PersonMention, "p"),
    "vehicles": (VehicleMention, "v"),
    "phones": (PhoneMention, "t"),
    "online": (OnlineMention, "u"),
    "locations": (LocationMention, "l"),
}


def _new_reference() -> str:
    return f"{REFERENCE_PREFIX}-{timezone.localdate():%Y}-{secrets.token_hex(3).upper()}"


@transaction.atomic
def report_share(
    *,
    actor: User,
    text: str,
    how_known: str,
    observed_at: dt.datetime | None,
    observed_time_known: bool = True,
    items: SharedItems | None = None,
) -> IntelligenceReport:
    """A partner shares an observation, with the details they confirmed."""
    if not has_permission(actor, Permission.SHARE_INTELLIGENCE) or actor.agency is None:
        raise PermissionDenied("Only a user of a partnership agency can share intelligence")
    if not text.strip():
        raise ValidationError({"text": "Say what you saw, heard or were told"})
    if how_known not in (HowKnown.SAW_IT, HowKnown.WAS_TOLD, HowKnown.RUMOUR):
        raise ValidationError({"how_known": "Select how you know this"})
    if observed_at is not None and observed_at > timezone.now():
        raise ValidationError({"observed_at": "The date must be today or in the past"})
    now = timezone.now()
    report = IntelligenceReport(
        partnership=actor.agency.partnership,
        source=actor.agency.name,
        external_id=_new_reference(),
        agency=actor.agency,
        submitted_by=actor,
        submitted_at=now,
        received_at=now,
        observed_at=observed_at,
        observed_time_known=observed_time_known,
        text=text.strip(),
        how_known=how_known,
    )
    report.full_clean()
    report.save()
    counts: dict[str, object] = {}
    for list_name, (model, prefix) in _ITEM_MODELS.items():
        rows = getattr(items or SharedItems(), list_name)
        for number, values in enumerate(rows, start=1):
            mention = model(report=report, ref=f"{prefix}{number}", **values)
            mention.normalise()
            mention.full_clean()
            mention.save()
        counts[list_name] = len(rows)
    link_on_arrival(report=report)  # match it against everything known, at once
    audit_record(
        actor=actor,
        verb=Verb.CREATED,
        target_type="intelligence_report",
        target_id=report.pk,
        detail=counts,
    )
    return report


# ---------------------------------------------------------------------------------------------
# Grading
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GradingAnswers:
    source_evaluation: str
    intelligence_assessment: str
    handling_code: str
    outcome: str
    feedback: str
    outcome_reference: str = ""
    handling_conditions: str = ""


@transaction.atomic
def report_grade(
    *,
    actor: User,
    report: IntelligenceReport,
    answers: GradingAnswers,
    correcting: Grading | None = None,
    site_url: str = "",
) -> Grading:
    """Grade a report once; a correction adds a new grading that names the one it replaces."""
    if not has_permission(actor, Permission.GRADE_INTELLIGENCE):
        raise PermissionDenied("Only police analysts grade intelligence")
    report = IntelligenceReport.objects.select_for_update().get(pk=report.pk)
    latest = report.gradings.order_by("-graded_at", "-pk").first()
    if correcting is None and latest is not None:
        raise ValidationError("This report has already been graded: correct the grading instead")
    if correcting is not None and (latest is None or correcting.pk != latest.pk):
        raise ValidationError("Only the latest grading of a report can be corrected")
    grading = Grading(
        report=report,
        graded_by=actor,
        corrects=correcting,
        source_evaluation=answers.source_evaluation,
        intelligence_assessment=answers.intelligence_assessment,
        handling_code=answers.handling_code,
        handling_conditions=answers.handling_conditions.strip(),
        outcome=answers.outcome,
        outcome_reference=answers.outcome_reference.strip(),
        feedback=answers.feedback.strip(),
    )
    grading.full_clean()
    grading.save()
    if report.status != ReportStatus.GRADED:
        report.status = ReportStatus.GRADED
        report.save(update_fields=["status"])
    audit_record(
        actor=actor,
        verb=Verb.CREATED,
        target_type="intelligence_grading",
        target_id=grading.pk,
        detail={
            "report": report.pk,
            "outcome": grading.outcome,
            "corrects": correcting.pk if correcting else None,
        },
    )
    if report.submitted_by is not None and report.submitted_by.is_active:
        transaction.on_commit(
            lambda: _email_submitter(report.submitted_by, report, site_url)  # type: ignore[arg-type]
        )
    return grading


def _email_submitter(recipient: User, report: IntelligenceReport, site_url: str) -> None:
    """Tell the submitter there is a response, without a name or any detail in the email."""
    if not recipient.email:
        return
    base = (site_url or getattr(settings, "CSEHUB_SITE_URL", "") or "").rstrip("/")
    link = base + reverse("intelligence:detail", kwargs={"pk": report.pk})
    body = render_to_string("intelligence/email/feedback.txt", {"link": link})
    try:
        send_mail(FEEDBACK_EMAIL_SUBJECT, body, None, [recipient.email])
    except (OSError, smtplib.SMTPException) as error:
        # The response is in the app either way; a mail outage must not undo the grading.
        logger.warning("Could not email an intelligence response: %s", type(error).__name__)


@transaction.atomic
def grading_mark_read(*, actor: User, grading: Grading) -> Grading:
    """The submitter has opened the police's response."""
    if grading.report.submitted_by_id != actor.pk:
        raise PermissionDenied("Only the submitter marks a response as read")
    if grading.submitter_read_at is None:
        grading.submitter_read_at = timezone.now()
        grading.save(update_fields=["submitter_read_at"])
    return grading


# ---------------------------------------------------------------------------------------------
# Bulk import (csehub intel import)
# ---------------------------------------------------------------------------------------------


@dataclass
class ImportSummary:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (line number, reason)
    linked: int = 0  # mentions the engine put in an entity
    alerts: int = 0

    @property
    def lines(self) -> int:
        return self.imported + self.updated + self.unchanged + len(self.skipped)


def _numbered_reports(
    lines: Iterable[str | bytes], summary: ImportSummary
) -> Iterator[tuple[int, ParsedReport]]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield number, report_parse(line)
        except LineError as error:
            summary.skipped.append((number, str(error)))


def _batches(
    items: Iterator[tuple[int, ParsedReport]], size: int
) -> Iterator[list[tuple[int, ParsedReport]]]:
    batch: list[tuple[int, ParsedReport]] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def reports_import(
    *,
    lines: Iterable[str | bytes],
    partnership: Partnership,
    agency: Agency | None = None,
    actor: User | None = None,
    batch_size: int = 1000,
    progress: Callable[[ImportSummary], None] | None = None,
) -> ImportSummary:
    """Import exchange-format lines; a bad line is skipped and reported, never the whole file.

    Lines may be text, or bytes as read from a file (interchange.lines_read): each is decoded
    on its own, so a line that is not UTF-8 is one bad line rather than the end of the import.

    Reports are identified by (source, id): a line already imported unchanged is left alone,
    a changed one replaces what that report said. Each batch is one transaction: the reports,
    their mentions and their rows in the candidate index written with bulk inserts, then
    linked together (linking.engine.bulk: the on-arrival rules, with the look-ups made once
    per batch) and the alerts it leads to raised. A large file streams through in constant
    memory, and an import stopped part way keeps every batch it finished: run again, it
    leaves those unchanged and carries on. `progress` is called after each batch.
    """
    summary = ImportSummary()
    agencies = {a.name.casefold(): a for a in partnership.agencies.all()}
    seen: dict[tuple[str, str], int] = {}
    try:
        for batch in _batches(_numbered_reports(lines, summary), batch_size):
            fresh: list[tuple[int, ParsedReport]] = []
            for number, parsed in batch:
                key = (parsed.source, parsed.external_id)
                if key in seen:
                    summary.skipped.append(
                        (number, f"repeats the source and id of line {seen[key]}")
                    )
                    continue
                seen[key] = number
                fresh.append((number, parsed))
            _import_batch(
                fresh,
                partnership=partnership,
                agency=agency,
                agencies=agencies,
                summary=summary,
            )
            if progress is not None:
                progress(summary)
    except BaseException:
        # Stopped (Ctrl-C) or failed part way: the batches that finished are in, and the trail
        # says so, with their counts. (A process killed outright leaves no entry.)
        _import_recorded(summary, partnership=partnership, actor=actor, finished=False)
        raise
    _import_recorded(summary, partnership=partnership, actor=actor, finished=True)
    return summary


@transaction.atomic
def _import_recorded(
    summary: ImportSummary, *, partnership: Partnership, actor: User | None, finished: bool
) -> None:
    """The import's one audit entry: its counts, and whether it ran to the end."""
    audit_record(
        actor=actor,
        verb=Verb.LOADED,
        target_type="intelligence_import",
        target_id=partnership.slug,
        partnership=partnership,
        detail={
            "imported": summary.imported,
            "updated": summary.updated,
            "unchanged": summary.unchanged,
            "skipped": len(summary.skipped),
            "linked": summary.linked,
            "alerts": summary.alerts,
            "finished": finished,
        },
    )


@transaction.atomic
def reports_export_record(
    *, partnership: Partnership, count: int, actor: User | None = None
) -> None:
    """A bulk export of a partnership's reports (from the command line, so usually no actor)."""
    audit_record(
        actor=actor,
        verb=Verb.EXPORTED,
        target_type="intelligence_export",
        target_id=partnership.slug,
        partnership=partnership,
        detail={"reports": count},
    )


def _id_refused(
    parsed: ParsedReport,
    report: IntelligenceReport | None,
    holders: set[tuple[int, str]],
    partnership: Partnership,
) -> str:
    """Why a line's report id cannot be imported ("" when it can): the id is another report's
    (another source's, another partnership's, or one shared in CSE Hub itself), or it is the
    form CSE Hub gives concerns."""
    if parsed.external_id.startswith(CONCERN_ID_PREFIX):
        return f"`id` must not begin with {CONCERN_ID_PREFIX!r}: CSE Hub names concerns so"
    if report is not None and not report.import_hash:
        return "`id` is that of a report shared in CSE Hub itself, which an import cannot change"
    if holders - {(partnership.pk, parsed.source)}:
        return (
            "`id` is already used by a report from another source: an id must name one report"
            " (its mentions are known as <id>/<ref>)"
        )
    return ""


@transaction.atomic
def _import_batch(
    batch: list[tuple[int, ParsedReport]],
    *,
    partnership: Partnership,
    agency: Agency | None,
    agencies: dict[str, Agency],
    summary: ImportSummary,
) -> None:
    ids = [p.external_id for _, p in batch]
    existing = {
        (r.source, r.external_id): r
        for r in IntelligenceReport.objects.filter(partnership=partnership, external_id__in=ids)
    }
    # Who holds each id already: a mention is known everywhere by `<report id>/<ref>`, so one id
    # names one report, whatever its source or partnership.
    holders: dict[str, set[tuple[int, str]]] = {}
    for partnership_id, source, external_id in IntelligenceReport.objects.filter(
        external_id__in=ids
    ).values_list("partnership_id", "source", "external_id"):
        holders.setdefault(external_id, set()).add((partnership_id, source))
    now = timezone.now()
    lines = {id(parsed): number for number, parsed in batch}
    to_create: list[tuple[IntelligenceReport, ParsedReport]] = []
    to_replace: list[tuple[IntelligenceReport, ParsedReport]] = []
    for number, parsed in batch:
        report = existing.get((parsed.source, parsed.external_id))
        refused = _id_refused(parsed, report, holders.get(parsed.external_id, set()), partnership)
        if refused:
            summary.skipped.append((number, refused))
            continue
        holders.setdefault(parsed.external_id, set()).add((partnership.pk, parsed.source))
        if report is not None and report.import_hash == parsed.content_hash:
            summary.unchanged += 1
            continue
        owner = agency or agencies.get(parsed.source.casefold())
        values = {
            "agency": owner,
            "submitted_at": parsed.submitted_at,
            "observed_at": parsed.observed_at,
            "observed_time_known": parsed.observed_time_known,
            "how_known": parsed.how_known,
            "text": parsed.text,
            "extra": parsed.extra,
            "import_hash": parsed.content_hash,
        }
        if report is None:
            report = IntelligenceReport(
                partnership=partnership,
                source=parsed.source,
                external_id=parsed.external_id,
                received_at=now,
                **values,
            )
            to_create.append((report, parsed))
        else:
            for name, value in values.items():
                setattr(report, name, value)
            to_replace.append((report, parsed))
    IntelligenceReport.objects.bulk_create([r for r, _ in to_create])
    if to_replace:
        IntelligenceReport.objects.bulk_update(
            [r for r, _ in to_replace],
            [
                "agency",
                "submitted_at",
                "observed_at",
                "observed_time_known",
                "how_known",
                "text",
                "extra",
                "import_hash",
            ],
        )
        replaced_ids = [r.pk for r, _ in to_replace]
        IndexedMention.objects.filter(report_id__in=replaced_ids).delete()
        for model in MODEL_FOR_LIST.values():
            model.objects.filter(report_id__in=replaced_ids).delete()  # type: ignore[attr-defined]
        MentionLink.objects.filter(report_id__in=replaced_ids).delete()
    mentions: dict[type[Mention], list[Mention]] = {m: [] for m in MODEL_FOR_LIST.values()}
    in_order: list[tuple[IntelligenceReport, Mention]] = []  # as the file has them
    links: list[MentionLink] = []
    # In the order of the file, so that the index's keys say which report arrived first.
    arrived = sorted([*to_create, *to_replace], key=lambda item: lines[id(item[1])])
    for report, parsed in arrived:
        for list_name, rows in parsed.mentions.items():
            model = MODEL_FOR_LIST[list_name]
            for row in rows:
                mention = model(report=report, **row)
                mention.normalise()
                mentions[model].append(mention)
                in_order.append((report, mention))
        links += [MentionLink(report=report, **link) for link in parsed.links]
    for model, made in mentions.items():
        rows_insert(model, made)
    rows_insert(MentionLink, links)
    summary.imported += len(to_create)
    summary.updated += len(to_replace)
    # Linked in the batch rather than one report at a time; alerts are raised, not emailed.
    linked = batch_link(rows=index_rows_write(in_order))
    summary.linked += linked.assigned
    summary.alerts += len(linked.alerts)
