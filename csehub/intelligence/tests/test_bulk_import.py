"""A bulk import links in batches what arrival would link report by report, and can be stopped
and run again."""

from __future__ import annotations

import io
import json
from collections import Counter, defaultdict

import pytest

from csehub.audit.models import AuditEvent
from csehub.intelligence.generator import generate_to
from csehub.intelligence.models import MENTION_MODELS, IntelligenceReport
from csehub.intelligence.services import ImportSummary, reports_import
from csehub.linking import services as linking
from csehub.linking.engine.arrival import link_on_arrival
from csehub.linking.engine.bulk import known
from csehub.linking.models import (
    Alert,
    AlertKind,
    IndexedMention,
    LinkSuggestion,
    MentionEntity,
)


class Stopped(Exception):
    """The person running the import pressed Ctrl-C."""


def _generated(reports: int, seed: int = 5) -> list[str]:
    out, truth = io.StringIO(), io.StringIO()
    generate_to(reports=reports, seed=seed, output=out, truth_output=truth)
    return out.getvalue().splitlines()


def _entities(partnership) -> set[frozenset[str]]:
    """The export's entities as a partner system would read them: which mentions share an id."""
    out = io.StringIO()
    linking.links_export(partnership=partnership, output=out)
    groups: defaultdict[str, set[str]] = defaultdict(set)
    for line in out.getvalue().splitlines()[1:]:
        mention_id, _, entity_id = line.split(",")
        groups[entity_id].add(mention_id)
    return {frozenset(group) for group in groups.values()}


def _stop_after_first_batch(summary: ImportSummary) -> None:
    raise Stopped


@pytest.mark.django_db(transaction=True)
def test_an_import_stopped_after_a_batch_and_run_again_has_everything_once(partnership):
    lines = _generated(30)
    with pytest.raises(Stopped):
        reports_import(
            lines=lines, partnership=partnership, batch_size=10, progress=_stop_after_first_batch
        )
    assert IntelligenceReport.objects.count() == 10  # the first batch stays in
    # The audit trail says what the stopped import put in, and that it did not finish.
    stopped = AuditEvent.objects.get(target_type="intelligence_import")
    assert stopped.detail["imported"] == 10 and stopped.detail["finished"] is False

    summary = reports_import(lines=lines, partnership=partnership, batch_size=10)
    again = AuditEvent.objects.filter(target_type="intelligence_import").latest("pk")
    assert again.detail["imported"] == 20 and again.detail["finished"] is True

    assert (summary.imported, summary.unchanged, summary.skipped) == (20, 10, [])
    assert IntelligenceReport.objects.count() == 30
    mention_ids = [m.mention_id for r in IntelligenceReport.objects.all() for m in r.mentions()]
    written = sum(len(json.loads(line).get(m.interchange_list, [])) for line in lines
                  for m in MENTION_MODELS)  # fmt: skip
    assert len(mention_ids) == len(set(mention_ids)) == written
    indexed = Counter(IndexedMention.objects.values_list("mention_id", flat=True))
    assert set(indexed) == set(mention_ids) and set(indexed.values()) == {1}
    # Each mention in one entity at most, and the entities those of the engine linking every
    # report in turn as it arrives (the replay `csehub link run` makes).
    assert MentionEntity.objects.count() == len(set(MentionEntity.objects.values_list(
        "mention_id", flat=True)))  # fmt: skip
    entities = _entities(partnership)
    linking.links_run(partnership=partnership, replay=True)
    assert _entities(partnership) == entities


def _report(report_id: str, **lists: object) -> str:
    return json.dumps({"id": report_id, "source": "North Lincs Youth Service", **lists})


@pytest.mark.django_db
def test_a_bulk_imported_file_links_as_a_user_would_see_it(partnership):
    plate = {"make": "Nissan", "colour": "blue"}
    lines = [
        _report(
            "R-1",
            children=[{"ref": "c1", "name": "Mason Barker", "dob": "2010-08-12"}],
            vehicles=[{"ref": "v1", "plate": "YX1? ?BC"}],
        ),
        _report(
            "R-2",
            children=[{"ref": "c1", "name": "Ruby Ashdown", "dob": "2011-02-03"}],
            vehicles=[{"ref": "v1", "plate": "YX1? ?BC"}],
        ),
        _report("R-3", vehicles=[{"ref": "v1", "plate": "YX12 ABC"}]),
        _report(
            "R-4",
            children=[{"ref": "c1", "name": "BARKER, Mason", "dob": "2010-08-12"}],
            vehicles=[{"ref": "v1", "plate": "EL30 Z?F", **plate}],
        ),
        _report(
            "R-5",
            children=[{"ref": "c1", "name": "Mason Barker", "dob": "2010-08-12"}],
            vehicles=[{"ref": "v1", "plate": "el30zbf", **plate}],
        ),
    ]

    reports_import(lines=lines, partnership=partnership)  # one batch

    entities = _entities(partnership)
    assert frozenset({"R-1/v1", "R-2/v1", "R-3/v1"}) in entities  # the partial plate resolves
    assert frozenset({"R-4/v1", "R-5/v1"}) in entities
    assert frozenset({"R-1/c1", "R-4/c1", "R-5/c1"}) in entities  # the same child
    alert = Alert.objects.get(kind=AlertKind.LINKS_SECOND_CHILD)
    assert alert.children_linked == 2  # the vehicle reached a second child
    assert MentionEntity.objects.get(mention_id="R-3/v1").entity == alert.entity
    # What the engine linking the reports one by one as they arrive makes of the same file.
    linking.links_run(partnership=partnership, replay=True)
    assert _entities(partnership) == entities


def _pairs_of(mention_id: str) -> set[tuple[str, str, float]]:
    return set(
        LinkSuggestion.objects.filter(mention_id=mention_id).values_list(
            "target_mention_id", "status", "weight"
        )
    )


@pytest.mark.django_db
def test_a_namesake_imported_in_bulk_is_asked_about_as_on_arrival(partnership, monkeypatch):
    # Each of a name's keys brings its newest few mentions, each once, however the batch's
    # look-ups are split: a mention counted twice would crowd out an older namesake.
    monkeypatch.setattr(known, "KEYS_PER_QUERY", 3)
    person = {"ref": "p1", "name": "Mohammed Cole", "age_estimate": 30}
    lines = [_report(f"R-{number:02d}", persons=[person]) for number in range(25)]
    reports_import(lines=lines[:24], partnership=partnership)
    reports_import(lines=lines[24:], partnership=partnership)  # a batch of its own
    in_bulk = _pairs_of("R-24/p1")
    assert in_bulk

    link_on_arrival(report=IntelligenceReport.objects.get(external_id="R-24"))

    assert _pairs_of("R-24/p1") == in_bulk


# ---------------------------------------------------------------------------------------------
# Ids a partner system gets wrong: refused by line, the rest of the file kept
# ---------------------------------------------------------------------------------------------


def _line(report_id: str, source: str = "Fernbridge Youth Service", **lists) -> str:
    return json.dumps({"id": report_id, "source": source, "text": "Generated.", **lists})


PHONE = {"phones": [{"ref": "t1", "number": "07700 900777"}]}


@pytest.mark.django_db
def test_an_id_used_by_another_source_is_refused_and_the_rest_of_the_file_imported(partnership):
    first = reports_import(lines=[_line("R-0001", **PHONE)], partnership=partnership)
    assert first.imported == 1
    summary = reports_import(
        lines=[
            _line("R-0002", **PHONE),
            _line("R-0001", "Fernbridge Homes", **PHONE),  # another source, the same id
            _line("R-0003", "Fernbridge Homes", **PHONE),
            _line("R-0003", "Fernbridge School", **PHONE),  # the same again within the file
        ],
        partnership=partnership,
        batch_size=2,
    )
    assert (summary.imported, summary.updated) == (2, 0)
    assert [number for number, _ in summary.skipped] == [2, 4]
    for _, reason in summary.skipped:
        assert "`id` is already used by a report from another source" in reason
    assert set(IntelligenceReport.objects.values_list("source", "external_id")) == {
        ("Fernbridge Youth Service", "R-0001"),
        ("Fernbridge Youth Service", "R-0002"),
        ("Fernbridge Homes", "R-0003"),
    }


@pytest.mark.django_db
def test_an_id_used_in_another_partnership_is_refused(partnership):
    from csehub.testing.factories import PartnershipFactory

    elsewhere = PartnershipFactory(slug="elsewhere", name="Elsewhere Partnership")
    reports_import(lines=[_line("R-0001", **PHONE)], partnership=elsewhere)
    summary = reports_import(lines=[_line("R-0001", **PHONE)], partnership=partnership)
    assert summary.imported == 0 and len(summary.skipped) == 1
    assert not IntelligenceReport.objects.filter(partnership=partnership).exists()


@pytest.mark.django_db
def test_an_id_in_the_form_of_a_concern_is_refused(partnership):
    summary = reports_import(lines=[_line("concern-1", **PHONE)], partnership=partnership)
    assert summary.skipped == [
        (1, "`id` must not begin with 'concern-': CSE Hub names concerns so")
    ]
    assert not IndexedMention.objects.exists()


@pytest.mark.django_db
def test_a_ref_with_a_slash_is_refused(partnership):
    summary = reports_import(
        lines=[_line("R-1", phones=[{"ref": "t/1", "number": "07700 900777"}])],
        partnership=partnership,
    )
    assert summary.skipped == [(1, "`phones[0].ref` must not contain a slash (/)")]


@pytest.mark.django_db
def test_an_import_cannot_change_a_report_shared_in_cse_hub(partnership, social_worker):
    from csehub.intelligence.services import SharedItems, report_share

    shared = report_share(
        actor=social_worker,
        text="A blue car outside the school at home time.",
        how_known="saw_it",
        observed_at=None,
        items=SharedItems(vehicles=[{"plate": "YX12 ABC"}]),
    )
    summary = reports_import(
        lines=[_line(shared.external_id, shared.source, text="Replaced.")],
        partnership=shared.partnership,
    )
    assert summary.skipped == [
        (1, "`id` is that of a report shared in CSE Hub itself, which an import cannot change")
    ]
    shared.refresh_from_db()
    assert shared.text == "A blue car outside the school at home time."
    assert shared.vehicles.count() == 1
