"""Test set-up for the briefing: the shipped Awareness Plus file loaded on its own."""

from __future__ import annotations

import shutil
from pathlib import Path

from csehub.learning.files import DEFAULT_DATA_DIR
from csehub.learning.models import Course
from csehub.learning.services.content import learning_content_load

BRIEFING = "awareness_plus_briefing"


def briefing_load(tmp_path: Path) -> Course:
    directory = tmp_path / "briefing_courses"
    directory.mkdir(exist_ok=True)
    shutil.copy(DEFAULT_DATA_DIR / f"{BRIEFING}.yaml", directory / f"{BRIEFING}.yaml")
    learning_content_load(actor=None, data_dir=directory)
    return Course.objects.get(code=BRIEFING)
