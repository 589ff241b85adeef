"""`csehub certificate verify CODE`: the public check of a certificate, on the command line.

Exits 0 only for a valid certificate, printing the name, course and completion date; exits 1
for a code that is unknown or revoked, saying which.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from csehub.learning.selectors.certificates import certificate_verification_unchecked
from csehub.learning.services.certificates import (
    LOOKUP_REVOKED,
    LOOKUP_VALID,
    certificate_lookup_record,
)


class Command(BaseCommand):
    help = "Work with training certificates. `verify CODE` checks a verification code."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        verify = actions.add_parser(
            "verify", help="Check a certificate's verification code (spaces and dashes ignored)."
        )
        verify.add_argument("code", nargs="+", help="The code, e.g. ACDE-3FGH-4JKM")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "verify":
            self.verify(code=" ".join(options["code"]))

    def verify(self, *, code: str) -> None:
        verification = certificate_verification_unchecked(code=code)
        certificate_lookup_record(
            actor=None, certificate=verification.certificate, result=verification.result
        )
        if verification.result == LOOKUP_VALID:
            completed = verification.completed_on
            self.stdout.write("Valid certificate")
            self.stdout.write(f"Name: {verification.learner_name}")
            self.stdout.write(f"Course: {verification.course_title}")
            if completed is not None:
                self.stdout.write(f"Completed on: {completed.day} {completed:%B %Y}")
            return
        if verification.result == LOOKUP_REVOKED:
            self.stderr.write("This certificate has been revoked")
        else:
            self.stderr.write("We could not find a certificate with that code")
        raise SystemExit(1)
