"""`csehub demo`: load (or restore) the fictional demo partnership and say how to sign in."""

from typing import Any

from django.core import mail
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from csehub.operations.demo import DEMO_PASSWORD, USERS, DemoRefused, demo_load


class Command(BaseCommand):
    help = "Load or restore the fictional demo partnership. Safe to run again: nothing doubles."

    def handle(self, *args: Any, **options: Any) -> None:
        # Loading sends what real use would (alerts, referral notices) to the demo's made-up
        # addresses; they are kept in memory rather than printed over the sign-in help.
        try:
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                mail.outbox = []
                partnership = demo_load()
                sent = len(mail.outbox)
        except DemoRefused as refusal:
            raise CommandError(str(refusal)) from None
        self.stdout.write(self.style.SUCCESS(f"Demo partnership ready: {partnership.name}"))
        if sent:
            self.stdout.write(f"Loading it sent {sent} emails to demo users; they are not shown.")
        self.stdout.write(sign_in_help())


def sign_in_help() -> str:
    width = max(len(u.email) for u in USERS)
    lines = [
        f"Every demo user's password is: {DEMO_PASSWORD}",
        "Demo mode lets demo users skip the authenticator app (a live service never does).",
        "",
    ]
    lines += [f"  {u.email:<{width}}  {u.role.label}" for u in USERS]
    return "\n".join(lines)
