from __future__ import annotations

import pytest
from django import forms
from django.db import models
from django.utils import timezone

from csehub.audit.models import AuditEvent
from csehub.language.forms import language_flags_for_form, language_unseen_flags
from csehub.language.models import LanguageFeedback
from csehub.language.services import (
    language_feedback_record,
    language_feedback_record_for_form,
)

pytestmark = pytest.mark.django_db


class ConcernLikeForm(forms.Form):
    summary = forms.CharField(widget=forms.Textarea)
    notes = forms.CharField(widget=forms.Textarea, required=False)


def _row(**lookup) -> LanguageFeedback:
    return LanguageFeedback.objects.get(**lookup)


def test_the_model_keeps_counts_and_codes_only():
    text_fields = {
        f.name
        for f in LanguageFeedback._meta.get_fields()
        if isinstance(f, models.CharField | models.TextField | models.JSONField)
    }
    assert text_fields == {"phrase_code", "field_key"}
    assert {f.name for f in LanguageFeedback._meta.get_fields()} == {
        "id",
        "day",
        "agency",
        "phrase_code",
        "field_key",
        "shown_count",
        "accepted_count",
        "ignored_count",
    }


def test_record_counts_by_day_agency_phrase_and_field(school_practitioner):
    language_feedback_record(
        user=school_practitioner,
        field_key="concerns.concern.summary",
        flags_shown=["streetwise", "consent"],
        outcome="accepted",
    )
    language_feedback_record(
        user=school_practitioner,
        field_key="concerns.concern.summary",
        flags_shown=["streetwise"],
        outcome="ignored",
    )

    row = _row(phrase_code="streetwise")
    assert row.day == timezone.localdate()
    assert row.agency == school_practitioner.agency
    assert (row.shown_count, row.accepted_count, row.ignored_count) == (2, 1, 1)
    consent = _row(phrase_code="consent")
    assert (consent.shown_count, consent.accepted_count, consent.ignored_count) == (1, 1, 0)


def test_record_leaves_out_unknown_codes_and_audits_codes_only(school_practitioner):
    counted = language_feedback_record(
        user=school_practitioner,
        field_key="concerns.concern.summary",
        flags_shown=["no_such_phrase", "sexting"],
        outcome="ignored",
    )

    assert counted == ["sexting"]
    assert list(LanguageFeedback.objects.values_list("phrase_code", flat=True)) == ["sexting"]
    event = AuditEvent.objects.get(target_type="language_feedback")
    assert event.actor == school_practitioner
    assert event.detail == {
        "field_key": "concerns.concern.summary",
        "phrase_codes": ["sexting"],
        "outcome": "ignored",
    }


def test_record_refuses_a_field_key_that_is_not_a_code(school_practitioner):
    with pytest.raises(ValueError, match="field_key"):
        language_feedback_record(
            user=school_practitioner,
            field_key="She is streetwise",
            flags_shown=["streetwise"],
            outcome="accepted",
        )
    assert not LanguageFeedback.objects.exists()


def test_record_refuses_an_unknown_outcome(school_practitioner):
    with pytest.raises(ValueError):
        language_feedback_record(
            user=school_practitioner, field_key="x.y", flags_shown=["streetwise"], outcome="maybe"
        )


def test_on_save_shown_and_gone_is_accepted_shown_and_kept_is_ignored(school_practitioner):
    form = ConcernLikeForm(
        {
            # "promiscuous" was shown while typing and then reworded; "streetwise" was kept.
            "summary": "She is streetwise and has been seen with older men.",
            "summary-language-shown": "promiscuous,streetwise",
            "notes": "",
        }
    )
    assert form.is_valid()

    outcomes = language_feedback_record_for_form(
        user=school_practitioner,
        form=form,
        field_names=["summary", "notes"],
        form_key="concerns.concern",
    )

    assert outcomes["summary"].accepted == ["promiscuous"]
    assert outcomes["summary"].ignored == ["streetwise"]
    accepted = _row(phrase_code="promiscuous", field_key="concerns.concern.summary")
    ignored = _row(phrase_code="streetwise", field_key="concerns.concern.summary")
    assert (accepted.accepted_count, accepted.ignored_count) == (1, 0)
    assert (ignored.accepted_count, ignored.ignored_count) == (0, 1)
    assert not LanguageFeedback.objects.filter(field_key="concerns.concern.notes").exists()


def test_guidance_never_shown_is_not_counted_but_is_reported_as_unseen(school_practitioner):
    form = ConcernLikeForm({"summary": "She went with him willingly.", "notes": "Sugar daddy."})
    assert form.is_valid()

    unseen = language_unseen_flags(form, ["summary", "notes"])
    language_feedback_record_for_form(
        user=school_practitioner, form=form, field_names=["summary", "notes"], form_key="f"
    )

    assert {name: [f.code for f in flags] for name, flags in unseen.items()} == {
        "summary": ["willingly"],
        "notes": ["sugar_daddy"],
    }
    assert not LanguageFeedback.objects.exists()


def test_flags_for_form_reads_what_was_submitted_when_not_validated():
    form = ConcernLikeForm({"summary": "A lifestyle choice.", "notes": ""})

    flags = language_flags_for_form(form, ["summary", "notes"])

    assert [f.code for f in flags["summary"]] == ["lifestyle_choice"]
    assert flags["notes"] == []
