from __future__ import annotations

import pytest

from csehub.audit.models import AuditEvent, Verb
from csehub.taxonomy.files import TaxonomyFileError
from csehub.taxonomy.models import Item, Vocabulary
from csehub.taxonomy.selectors import item_by_code
from csehub.taxonomy.services import taxonomy_load

from .conftest import rewrite

pytestmark = pytest.mark.django_db

EXPECTED = {
    "safeguard_areas": 9,
    "warning_signs": None,
    "vulnerability_factors": None,
    "grooming_stages": 4,
    "grooming_behaviours": None,
    "abuse_models": 9,
    "vipa": 4,
    "volt": 4,
    "intelligence_kinds": None,
    "three_ps": 3,
}


def _pks() -> dict[tuple[str, str], int]:
    return {(i.vocabulary.code, i.code): i.pk for i in Item.objects.select_related("vocabulary")}


def test_shipped_files_load_every_vocabulary():
    report = taxonomy_load()

    assert set(Vocabulary.objects.values_list("code", flat=True)) == set(EXPECTED)
    for code, count in EXPECTED.items():
        items = Item.objects.filter(vocabulary__code=code)
        assert items.exists(), code
        if count is not None:
            assert items.count() == count, code
        assert report.for_code(code).added == items.count()
    assert 20 <= Item.objects.filter(vocabulary__code="warning_signs").count() <= 32
    assert set(
        Item.objects.filter(vocabulary__code="grooming_stages").values_list("code", flat=True)
    ) == {"targeting", "friendship_forming", "loving_relationship", "abusive_relationship"}
    assert set(Item.objects.filter(vocabulary__code="vipa").values_list("code", flat=True)) == {
        "violence",
        "intimidation",
        "persuasion",
        "aggression",
    }


def test_grooming_behaviours_sit_under_their_stage():
    taxonomy_load()

    behaviours = Item.objects.filter(vocabulary__code="grooming_behaviours")
    assert all(
        b.parent is not None and b.parent.vocabulary.code == "grooming_stages" for b in behaviours
    )
    assert item_by_code("grooming_behaviours", "you_owe_me").parent.code == "abusive_relationship"
    assert item_by_code("grooming_behaviours", "testing_physical_contact").parent.code == (
        "friendship_forming"
    )


def test_warning_signs_are_grouped_under_safeguard_areas_and_a_few_are_significant():
    taxonomy_load()

    signs = Item.objects.filter(vocabulary__code="warning_signs")
    assert all(s.parent.vocabulary.code == "safeguard_areas" for s in signs)
    assert item_by_code("warning_signs", "under_13_sexual_activity").significant
    assert not item_by_code("warning_signs", "change_in_appearance").significant
    assert 1 <= signs.filter(significant=True).count() <= 6


def test_load_writes_one_audit_event_per_vocabulary():
    taxonomy_load()

    events = AuditEvent.objects.filter(verb=Verb.LOADED, target_type="vocabulary")
    assert sorted(events.values_list("target_id", flat=True)) == sorted(EXPECTED)
    vipa = events.get(target_id="vipa")
    assert vipa.detail == {"version": 1, "added": 4, "updated": 0, "retired": 0, "unchanged": 0}


def test_reload_is_idempotent():
    taxonomy_load()
    before = _pks()

    report = taxonomy_load()

    assert _pks() == before
    assert Item.objects.count() == len(before)
    for load in report.vocabularies:
        assert (load.added, load.updated, load.retired) == (0, 0, 0)
        assert load.unchanged == Item.objects.filter(vocabulary__code=load.code).count()


def test_removed_item_is_retired_keeping_its_pk_and_comes_back_when_restored(data_copy):
    taxonomy_load(data_dir=data_copy)
    pk = item_by_code("vipa", "aggression").pk
    path = data_copy / "vipa.yaml"
    original = path.read_text(encoding="utf-8")

    def drop_aggression(data):
        data["items"] = [i for i in data["items"] if i["code"] != "aggression"]
        data["version"] = 2

    rewrite(path, drop_aggression)
    report = taxonomy_load(data_dir=data_copy)

    retired = Item.objects.get(pk=pk)
    assert retired.is_retired and retired.retired_at is not None
    assert report.for_code("vipa").retired == 1
    assert report.for_code("vipa").unchanged == 3
    assert Vocabulary.objects.get(code="vipa").version == 2

    path.write_text(original.replace("version: 1", "version: 3"), encoding="utf-8")
    report = taxonomy_load(data_dir=data_copy)

    back = Item.objects.get(pk=pk)
    assert not back.is_retired and back.retired_at is None
    assert report.for_code("vipa").updated == 1


def test_changed_item_is_updated_in_place(data_copy):
    taxonomy_load(data_dir=data_copy)
    pk = item_by_code("volt", "theme").pk

    def relabel(data):
        data["items"][3]["label"] = "Theme or pattern"
        data["items"].append(
            {"code": "extra_heading", "label": "Extra", "explanation": "Test only."}
        )
        data["version"] = 2

    rewrite(data_copy / "volt.yaml", relabel)
    report = taxonomy_load(data_dir=data_copy)

    assert Item.objects.get(pk=pk).label == "Theme or pattern"
    assert (report.for_code("volt").added, report.for_code("volt").updated) == (1, 1)


def test_a_changed_file_needs_a_higher_version(data_copy):
    taxonomy_load(data_dir=data_copy)

    def relabel(data):
        data["items"][0]["label"] = "Physical violence"

    rewrite(data_copy / "vipa.yaml", relabel)
    with pytest.raises(TaxonomyFileError, match=r"vipa\.yaml: .*version is still 1; raise it to 2"):
        taxonomy_load(data_dir=data_copy)
    assert item_by_code("vipa", "violence").label == "Violence"


@pytest.mark.parametrize(
    ("file_name", "change", "message"),
    [
        (
            "volt.yaml",
            lambda d: d["items"].append(dict(d["items"][0])),
            r"volt\.yaml: item 5 \('victim'\): duplicate code 'victim'",
        ),
        (
            "grooming_behaviours.yaml",
            lambda d: d["items"][0].update(parent="spotting"),
            r"grooming_behaviours\.yaml: item 1 \('observing'\): parent 'spotting' not found",
        ),
        (
            "vipa.yaml",
            lambda d: d["items"][1].update(colour="red"),
            r"vipa\.yaml: item 2 \('intimidation'\): unknown key\(s\) colour",
        ),
        (
            "three_ps.yaml",
            lambda d: d["items"][0].pop("explanation"),
            r"three_ps\.yaml: item 1 \('prevention'\): explanation is missing",
        ),
        (
            "three_ps.yaml",
            lambda d: d["items"][2].update(code="Prosecution"),
            r"three_ps\.yaml: item 3 \('Prosecution'\): code must be lower_snake_case",
        ),
        (
            "volt.yaml",
            lambda d: d.update(version="two"),
            r"volt\.yaml: version must be a whole number",
        ),
    ],
)
def test_a_broken_file_fails_naming_file_and_item_and_changes_nothing(
    data_copy, file_name, change, message
):
    taxonomy_load()
    before = _pks()
    events = AuditEvent.objects.count()

    def change_and_bump(data):
        change(data)
        if isinstance(data.get("version"), int):
            data["version"] += 1

    # Another file changes too, to show a valid change is not half-applied.
    rewrite(data_copy / "abuse_models.yaml", lambda d: d.update(version=2, name="Changed"))
    rewrite(data_copy / file_name, change_and_bump)
    with pytest.raises(TaxonomyFileError, match=message):
        taxonomy_load(data_dir=data_copy)

    assert _pks() == before
    assert Vocabulary.objects.get(code="abuse_models").name == "Abuse models"
    assert AuditEvent.objects.count() == events


def test_a_failure_after_writing_started_rolls_everything_back(data_copy):
    taxonomy_load(data_dir=data_copy)
    # abuse_models changes properly; three_ps changes without a new version, and loads later.
    rewrite(data_copy / "abuse_models.yaml", lambda d: d.update(version=2, name="Changed"))
    rewrite(data_copy / "three_ps.yaml", lambda d: d.update(name="Changed"))

    with pytest.raises(TaxonomyFileError, match=r"three_ps\.yaml"):
        taxonomy_load(data_dir=data_copy)

    assert Vocabulary.objects.get(code="abuse_models").name == "Abuse models"
    assert Vocabulary.objects.get(code="abuse_models").version == 1
