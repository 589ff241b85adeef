"""`csehub api schema`: the API's OpenAPI document on standard output, for partners."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from csehub.api.v1 import api


class Command(BaseCommand):
    help = "The partner-system API: `schema` prints its OpenAPI document (JSON)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{schema}")
        actions.add_parser("schema", help="Print the OpenAPI document of API v1 as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        # The same document GET /api/v1/openapi.json serves, without a running server.
        document = api.get_openapi_schema()
        self.stdout.write(json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False))
