"""Loading files: versions kept, one current, unchanged files add nothing, audit written."""

from __future__ import annotations

import pytest

from csehub.accounts.models import Partnership
from csehub.audit.models import AuditEvent, Verb
from csehub.pathways.files import PathwayFileError
from csehub.pathways.graph import OutcomeKind, pathway_walk
from csehub.pathways.models import ContactDirectory, PathwayVersion
from csehub.pathways.selectors import PathwayNotLoaded, current_pathway, directory_for
from csehub.pathways.services import pathway_load

pytestmark = pytest.mark.django_db


def test_loading_creates_the_example_partnerships_marked_as_examples(shipped):
    leeds = Partnership.objects.get(slug="leeds")
    assert leeds.is_example and leeds.name == "Leeds (example)"
    assert Partnership.objects.get(slug="north-lincolnshire").is_example
    assert not Partnership.objects.get(slug="fernbridge").is_example
    assert PathwayVersion.objects.filter(is_current=True).count() == 4
    assert ContactDirectory.objects.filter(is_current=True).count() == 3


def test_the_stored_pathway_walks_like_the_file(shipped):
    graph = current_pathway(Partnership.objects.get(slug="southwark"))
    result = pathway_walk(
        graph,
        {
            "immediate_danger": "no",
            "warning_signs_identified": "yes",
            "allocated_social_worker": "yes",
        },
    )
    assert result.outcome_kinds == [
        OutcomeKind.REFER_CHILDRENS_SOCIAL_CARE,
        OutcomeKind.INFORM_ALLOCATED_SOCIAL_WORKER,
        OutcomeKind.REFER_POLICE_CSE_DESK,
    ]


def test_the_stored_directory_keeps_hours_and_out_of_hours(shipped):
    directory = directory_for(Partnership.objects.get(slug="north-lincolnshire"))
    assert directory is not None
    spoc = directory.service("single_point_of_contact")
    assert spoc.out_of_hours is not None and spoc.out_of_hours.number == "01724 296555"
    assert [o.number for o in spoc.other_numbers] == ["08081 689667"]
    assert spoc.ranges_on(4)[0].closes.strftime("%H:%M") == "16:30"
    assert spoc.ranges_on(5) == ()


def test_a_partnership_without_files_has_no_pathway(db, partnership):
    with pytest.raises(PathwayNotLoaded):
        current_pathway(partnership)
    assert directory_for(partnership) is None


def test_loading_unchanged_files_again_adds_no_version(shipped):
    events = AuditEvent.objects.filter(verb=Verb.LOADED).count()
    report = pathway_load()
    assert not any(p.pathway_changed or p.contacts_changed for p in report.partnerships)
    assert PathwayVersion.objects.count() == 4
    assert ContactDirectory.objects.count() == 3
    assert AuditEvent.objects.filter(verb=Verb.LOADED).count() == events


def test_a_changed_file_needs_a_higher_version_and_keeps_the_old_one(db, data_copy):
    pathway_load(data_dir=data_copy, slug="fernbridge")
    path = data_copy / "fernbridge" / "pathway.yaml"
    changed = path.read_text().replace(
        "Refer the child to the children's front door.",
        "Refer the child to the children's front door today.",
    )
    path.write_text(changed)
    with pytest.raises(PathwayFileError, match="give it version 3 or higher"):
        pathway_load(data_dir=data_copy, slug="fernbridge")

    path.write_text(changed.replace("version: 2", "version: 3", 1))
    report = pathway_load(data_dir=data_copy, slug="fernbridge")
    assert report.for_slug("fernbridge").pathway_changed
    versions = PathwayVersion.objects.filter(pathway__partnership__slug="fernbridge")
    assert sorted(versions.values_list("version", "is_current")) == [(2, False), (3, True)]
    graph = current_pathway(Partnership.objects.get(slug="fernbridge"))
    assert graph.version == 3
    assert graph.nodes["refer_childrens_social_care"].text.endswith("front door today.")


def test_one_bad_file_loads_nothing(db, data_copy):
    path = data_copy / "leeds" / "pathway.yaml"
    path.write_text(path.read_text().replace("next: agency_leads_monitors", "next: nowhere"))
    with pytest.raises(PathwayFileError, match=r"'warning_signs_identified'.*'nowhere'"):
        pathway_load(data_dir=data_copy)
    assert PathwayVersion.objects.count() == 0
    assert not Partnership.objects.filter(slug="southwark").exists()


def test_loading_is_audited_with_ids_only(shipped):
    event = AuditEvent.objects.filter(verb=Verb.LOADED, target_type="pathway_version").first()
    assert event is not None
    assert set(event.detail) == {"partnership_id", "version", "questions", "outcomes"}
