"""`csehub demo`: load (or restore) the fictional demo partnership and say how to sign in."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from csehub.operations.demo import DEMO_PASSWORD, USERS, DemoRefused, demo_load


class Command(BaseCommand):
    help = "Load or restore the fictional demo partnership. Safe to run again: nothing doubles."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            partnership = demo_load()
        except DemoRefused as refusal:
            raise CommandError(str(refusal)) from None
        self.stdout.write(self.style.SUCCESS(f"Demo partnership ready: {partnership.name}"))
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
