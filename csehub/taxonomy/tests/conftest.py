from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from csehub.taxonomy.files import DEFAULT_DATA_DIR


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped vocabulary files."""
    target = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, target)
    return target


def rewrite(path: Path, change) -> None:
    """Apply `change` to the parsed file and write it back."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
