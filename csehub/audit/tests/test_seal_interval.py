"""Sealing under load: a process seals at most once per interval, and nothing is left behind.

Each commit that writes an audit row would otherwise take its own turn at the sealer's lock;
with CSEHUB_AUDIT_SEAL_INTERVAL_SECONDS, the rows of a burst wait for one seal at the end of
the interval, which a timer in the process makes even when no further request comes.
"""

from __future__ import annotations

import time

import pytest
from django.db import transaction

from csehub.audit import services
from csehub.audit.chain import CHAIN_FIELDS, find_breaks
from csehub.audit.models import AuditEvent, Verb
from csehub.audit.services import audit_record

pytestmark = pytest.mark.django_db(transaction=True)


def _write(actor, number: int) -> int:
    with transaction.atomic():
        return audit_record(actor=actor, verb=Verb.VIEWED, target_type="child", target_id=number).pk


def _sealed(pk: int) -> bool:
    return AuditEvent.objects.filter(pk=pk, sequence__isnull=False).exists()


@pytest.fixture
def interval(settings):
    settings.CSEHUB_AUDIT_SEAL_INTERVAL_SECONDS = 0.3
    services._sealer.last = float("-inf")
    yield 0.3
    if services._sealer.timer is not None:
        services._sealer.timer.join(5)


def test_a_burst_is_sealed_by_one_seal_at_the_end_of_the_interval(school_practitioner, interval):
    first = _write(school_practitioner, 1)
    assert _sealed(first)  # the first commit in a while seals at once
    burst = [_write(school_practitioner, number) for number in range(2, 6)]
    assert not any(_sealed(pk) for pk in burst)  # left for the seal at the interval's end

    deadline = time.monotonic() + 10
    while not all(_sealed(pk) for pk in burst) and time.monotonic() < deadline:
        time.sleep(0.05)

    assert all(_sealed(pk) for pk in burst)  # with no further request, the timer sealed them
    rows = list(AuditEvent.objects.order_by("sequence").values(*CHAIN_FIELDS))
    assert [row["sequence"] for row in rows] == list(range(1, len(rows) + 1))
    assert list(find_breaks(iter(rows))) == []


def test_a_commit_after_the_interval_seals_at_once(school_practitioner, interval):
    _write(school_practitioner, 1)
    time.sleep(interval + 0.1)
    later = _write(school_practitioner, 2)
    assert _sealed(later)
