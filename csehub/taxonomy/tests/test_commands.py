from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from csehub.taxonomy.models import Item, Vocabulary

from .conftest import rewrite


def test_check_passes_on_the_shipped_files():
    out = StringIO()
    call_command("taxonomy", "check", stdout=out)
    assert "10 vocabulary files are valid" in out.getvalue()


@pytest.mark.django_db
def test_check_fails_on_a_bad_directory_and_writes_nothing(data_copy):
    rewrite(data_copy / "volt.yaml", lambda d: d["items"][1].update(code="victim"))

    with pytest.raises(CommandError) as caught:
        call_command("taxonomy", "check", str(data_copy))

    assert caught.value.returncode != 0
    assert "volt.yaml: item 2 ('victim'): duplicate code 'victim'" in str(caught.value)
    assert not Vocabulary.objects.exists()


@pytest.mark.django_db
def test_load_loads_and_reports_counts():
    out = StringIO()
    call_command("taxonomy", "load", stdout=out)

    assert "vipa (version 1): 4 added, 0 updated, 0 retired, 0 unchanged" in out.getvalue()
    assert Item.objects.filter(vocabulary__code="three_ps").count() == 3


@pytest.mark.django_db
def test_load_of_a_bad_directory_fails_with_the_problem(data_copy):
    rewrite(data_copy / "vipa.yaml", lambda d: d["items"][0].update(parent="nowhere"))

    with pytest.raises(
        CommandError, match=r"Nothing was loaded\.\nvipa\.yaml: item 1 \('violence'\)"
    ):
        call_command("taxonomy", "load", "--dir", str(data_copy))
    assert not Item.objects.exists()
