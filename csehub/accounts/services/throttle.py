"""Sign-in throttling.

Two limits, each over a sliding window: failures for one username from one address (so someone
guessing from elsewhere cannot lock the real user out of their own office), and failures from
one address across all usernames (so one machine cannot spray passwords at many accounts).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from ..models import SignInFailure


def _window_start() -> datetime:
    return timezone.now() - timedelta(minutes=settings.CSEHUB_SIGNIN_LOCKOUT_MINUTES)


def is_locked_out(*, username: str, ip_address: str) -> bool:
    recent = SignInFailure.objects.filter(at__gte=_window_start())
    pair = recent.filter(username=username.lower(), ip_address=ip_address).count()
    if pair >= settings.CSEHUB_SIGNIN_FAILURES_PER_USERNAME_AND_IP:
        return True
    return recent.filter(ip_address=ip_address).count() >= settings.CSEHUB_SIGNIN_FAILURES_PER_IP


def failure_record(*, username: str, ip_address: str) -> None:
    SignInFailure.objects.create(username=username.lower(), ip_address=ip_address)
    # Old rows are no longer evidence of anything: keep the table small.
    SignInFailure.objects.filter(at__lt=timezone.now() - timedelta(days=1)).delete()


def failures_clear(*, username: str, ip_address: str) -> None:
    SignInFailure.objects.filter(username=username.lower(), ip_address=ip_address).delete()
