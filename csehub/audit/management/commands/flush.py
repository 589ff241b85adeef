"""Django's flush, able to empty the audit table only where settings allow it (the test suite).

Everywhere else the append-only triggers stay, and flush fails rather than erase the trail.
"""

from typing import Any

from django.conf import settings
from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from csehub.audit import triggers


class Command(FlushCommand):
    def handle(self, **options: Any) -> None:
        if not getattr(settings, "CSEHUB_ALLOW_AUDIT_FLUSH", False):
            super().handle(**options)
            return
        connection = connections[options.get("database") or "default"]
        with connection.schema_editor(atomic=False) as editor:
            triggers.drop(editor)
        try:
            super().handle(**options)
        finally:
            with connection.schema_editor(atomic=False) as editor:
                triggers.create(editor)
