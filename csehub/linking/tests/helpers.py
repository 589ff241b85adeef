"""Reports for the linking tests, imported through the intelligence app's own import."""

from __future__ import annotations

import json
from typing import Any

from csehub.accounts.models import Partnership
from csehub.intelligence import services
from csehub.intelligence.models import IntelligenceReport


def report_import(partnership: Partnership, report_id: str, **lists: Any) -> IntelligenceReport:
    line = {"id": report_id, "source": "Fernbridge Youth Service", "text": "Test.", **lists}
    summary = services.reports_import(lines=[json.dumps(line)], partnership=partnership)
    assert summary.imported + summary.updated == 1, summary.skipped
    return IntelligenceReport.objects.get(partnership=partnership, external_id=report_id)
