from __future__ import annotations

import pytest

from csehub.taxonomy import selectors
from csehub.taxonomy.models import Item
from csehub.taxonomy.services import taxonomy_load

from .conftest import rewrite

pytestmark = pytest.mark.django_db


def test_item_by_code_and_items_for():
    taxonomy_load()

    item = selectors.item_by_code("abuse_models", "party_lifestyle")
    assert item.label == "Party lifestyle model"
    assert [i.code for i in selectors.items_for("volt")] == [
        "victim",
        "offender",
        "location",
        "theme",
    ]
    with pytest.raises(Item.DoesNotExist):
        selectors.item_by_code("abuse_models", "no_such_model")
    assert selectors.vocabularies().first().code == "warning_signs"


def test_retired_items_are_left_out_unless_asked_for(data_copy):
    taxonomy_load(data_dir=data_copy)

    def drop_theme(data):
        data["items"].pop()
        data["version"] = 2

    rewrite(data_copy / "volt.yaml", drop_theme)
    taxonomy_load(data_dir=data_copy)

    assert "theme" not in [i.code for i in selectors.items_for("volt")]
    assert "theme" in [i.code for i in selectors.items_for("volt", include_retired=True)]
    assert selectors.item_by_code("volt", "theme").is_retired
    assert not any(i.code == "theme" for i in selectors.items_search(query="patterns"))


def test_search_needs_every_word():
    taxonomy_load()

    codes = {i.code for i in selectors.items_search(query="partial plate")}
    assert "registration_plate_partial" in codes
    assert "registration_plate_full" not in codes
    assert selectors.items_search(query="   ") == []
