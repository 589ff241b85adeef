"""The demo's training records: certificates (one revoked), refreshers due soon and overdue."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone

from csehub.accounts.models import Agency, Partnership, User
from csehub.learning.demo_records import COMPLETIONS, demo_certificates_and_records
from csehub.learning.models import Certificate, TrainingRecord
from csehub.learning.selectors.records import TrainingStatus, training_status
from csehub.operations.demo import AGENCIES, PARTNERSHIP, USERS

from .certificate_setup import course_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def fernbridge():
    slug, name = PARTNERSHIP
    partnership = Partnership.objects.create(slug=slug, name=name)
    agencies = {
        agency_name: Agency.objects.create(
            partnership=partnership, name=agency_name, agency_type=agency_type
        )
        for agency_name, agency_type in AGENCIES
    }
    for spec in USERS:
        User.objects.create_user(
            spec.email, full_name=spec.full_name, role=spec.role, agency=agencies[spec.agency]
        )
    course_make()
    return partnership


def test_the_demo_has_certificates_and_refreshers_in_every_state(
    fernbridge, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        demo_certificates_and_records(fernbridge)
        demo_certificates_and_records(fernbridge)  # idempotent
    assert TrainingRecord.objects.count() == len(COMPLETIONS)
    assert Certificate.objects.count() == len(COMPLETIONS)
    assert Certificate.objects.filter(revoked_at__isnull=False).count() == 1
    today = timezone.localdate()
    statuses = {
        training_status(due_on=record.refresher_due_on, today=today)
        for record in TrainingRecord.objects.all()
    }
    assert statuses == {TrainingStatus.COMPLETED, TrainingStatus.DUE_SOON, TrainingStatus.OVERDUE}
    assert User.objects.filter(email__startswith="training.", training_records=None).count() == 2
    # Demo people have no inboxes: issuing their certificates sends nothing.
    assert mail.outbox == []
