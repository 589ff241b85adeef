from __future__ import annotations

from pathlib import Path

import pytest

from csehub.accounts.models import AgencyType, Role
from csehub.pathways.files import DEFAULT_DATA_DIR
from csehub.pathways.services import pathway_load
from csehub.testing.factories import AgencyFactory, PartnershipFactory, UserFactory


@pytest.fixture
def shipped(db):
    return pathway_load()


@pytest.fixture
def fernbridge_practitioner(db):
    fernbridge = PartnershipFactory(
        slug="fernbridge", name="Fernbridge Safeguarding Children Partnership"
    )
    school = AgencyFactory(
        partnership=fernbridge, name="Harrowgate Primary", agency_type=AgencyType.SCHOOL
    )
    return UserFactory(agency=school, role=Role.PRACTITIONER, full_name="Robin Teacher")


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped data folders."""
    import shutil

    target = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, target)
    return target
