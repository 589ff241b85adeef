"""Batch resolution with Splink (`csehub link run --engine duckdb|spark`).

All people here are fictional. The reports are imported through the intelligence app, so the
on-arrival engine has linked them first, as it would in use.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.urls import reverse

from csehub.audit.models import AuditEvent
from csehub.linking import services
from csehub.linking.engine.resolution import resolve_person_records
from csehub.linking.models import (
    AssignedBy,
    LinkSuggestion,
    MentionEntity,
    ResolutionRun,
    RunStatus,
    SuggestionStatus,
)
from csehub.testing.clients import signed_in_client

from .helpers import report_import

pytestmark = pytest.mark.django_db


def _person(ref: str, name: str, age: int | None = None, nickname: str = "") -> dict:
    entry: dict = {"ref": ref, "name": name}
    if age is not None:
        entry["age_estimate"] = age
    if nickname:
        entry["nickname"] = nickname
    return entry


def _phone(number: str) -> list[dict]:
    return [{"ref": "t1", "number": number}]


@pytest.fixture
def reports(partnership):
    # The same man in two reports, with his phone in both: that corroborates the name.
    report_import(
        partnership,
        "R-1",
        persons=[_person("p1", "Daniel Ashdown", 30, "Danny A")],
        phones=_phone("07700 900111"),
    )
    report_import(
        partnership,
        "R-2",
        persons=[_person("p1", "Danny Ashdown", 31)],
        phones=_phone("+44 7700 900111"),
    )
    # The same name, a different man: twenty-odd years older.
    report_import(partnership, "R-3", persons=[_person("p1", "Daniel Ashdown", 58)])
    report_import(
        partnership,
        "R-4",
        persons=[_person("p1", "Mohammed Varley", 24)],
        phones=_phone("07700 900222"),
    )
    report_import(
        partnership,
        "R-5",
        persons=[_person("p1", "Muhammad Varley", 25)],
        phones=_phone("07700900222"),
    )
    child = {"ref": "c1", "name": "Jessica Fenwick", "dob": "2011-04-02"}
    report_import(partnership, "R-6", children=[child])
    report_import(partnership, "R-7", children=[child])
    return partnership


def _entity_of(mention_id: str) -> int | None:
    found = MentionEntity.objects.filter(mention_id=mention_id).first()
    return found.entity_id if found else None


def _run(partnership, engine="duckdb") -> ResolutionRun:
    return services.links_run(partnership=partnership, engine=engine)


def test_a_nickname_variant_with_a_shared_phone_is_joined_and_a_namesake_kept_apart(reports):
    run = _run(reports)
    assert run.status == RunStatus.FINISHED
    danny = _entity_of("R-1/p1")
    assert danny is not None and danny == _entity_of("R-2/p1")
    assert MentionEntity.objects.get(mention_id="R-2/p1").assigned_by == AssignedBy.ENGINE
    assert _entity_of("R-3/p1") != danny
    assert not LinkSuggestion.objects.filter(
        mention_id__in=["R-1/p1", "R-2/p1"], target_mention_id="R-3/p1"
    ).exists()
    # A transliteration is the same name too.
    assert _entity_of("R-4/p1") is not None and _entity_of("R-4/p1") == _entity_of("R-5/p1")


def test_namesakes_with_nothing_else_in_common_are_suggested_never_assigned(partnership):
    # A common name: men called Connor Redfern aged from 19 to 52, in reports with nothing
    # else in common. The first two are of an age, but the name and a consistent age (and a
    # street name made of the name) are not enough to assign them.
    for number, age in enumerate([27, 28, 41, 19, 52, 35], start=1):
        report_import(
            partnership, f"N-{number}", persons=[_person("p1", "Connor Redfern", age, "Con")]
        )
    run = _run(partnership)
    assert run.status == RunStatus.FINISHED
    assert run.mentions_assigned == 0
    assert {_entity_of(f"N-{n}/p1") for n in range(1, 7)} == {None}
    suggestion = LinkSuggestion.objects.get(mention_id="N-2/p1", target_mention_id="N-1/p1")
    assert suggestion.status == SuggestionStatus.SUGGESTED
    assert {reason.field for reason in suggestion.reasons.all()} >= {"name", "age_estimate"}


def test_the_same_person_with_a_shared_phone_is_assigned(partnership):
    report_import(
        partnership,
        "S-1",
        persons=[_person("p1", "Connor Redfern", 27)],
        phones=_phone("07700 900333"),
    )
    report_import(
        partnership,
        "S-2",
        persons=[_person("p1", "Connor Redfern")],
        phones=_phone("+447700900333"),
    )
    run = _run(partnership)
    assert run.mentions_assigned == 2
    assert _entity_of("S-1/p1") is not None and _entity_of("S-1/p1") == _entity_of("S-2/p1")
    assert MentionEntity.objects.get(mention_id="S-2/p1").assigned_by == AssignedBy.ENGINE


def test_chaining_does_not_glue_namesakes_into_one_cluster():
    # a and b share a phone, b and c a plate, but a and c are 16 years apart: not one person.
    records = [
        {"mention_id": "a", "name": "Kieran Lowther", "age_estimate": 24, "report_id": "1",
         "context": ["phone:+447700900444"]},
        {"mention_id": "b", "name": "Kieran Lowther", "age_estimate": None, "report_id": "2",
         "context": ["phone:+447700900444", "vehicle:YX12ABC"]},
        {"mention_id": "c", "name": "Kieran Lowther", "age_estimate": 40, "report_id": "3",
         "context": ["vehicle:YX12ABC"]},
    ]  # fmt: skip
    clusters = resolve_person_records(records)
    assert clusters["a"] != clusters["c"]
    assert clusters["b"] in (clusters["a"], clusters["c"])


def test_family_names_alike_only_in_their_start_are_two_families(partnership):
    # Eastford and Eastfield are two family names, not a slip of one: even with a phone in
    # both reports, Robert Eastford is not Robert Eastfield. A slip (Eastfeild) is the same man.
    for report_id, name in (("E-1", "Robert Eastford"), ("E-2", "Robert Eastfield")):
        report_import(
            partnership, report_id, persons=[_person("p1", name, 40)], phones=_phone("07700 900555")
        )
    report_import(
        partnership,
        "E-3",
        persons=[_person("p1", "Robert Eastfeild", 41)],
        phones=_phone("07700 900556"),
    )
    report_import(
        partnership,
        "E-4",
        persons=[_person("p1", "Robert Eastfield")],
        phones=_phone("07700 900556"),
    )
    _run(partnership)
    assert _entity_of("E-1/p1") is None or _entity_of("E-1/p1") != _entity_of("E-2/p1")
    assert _entity_of("E-3/p1") == _entity_of("E-4/p1") is not None


def test_a_given_name_and_the_same_street_name_are_one_man(partnership):
    report_import(partnership, "K-1", persons=[_person("p1", "Jordan Upfield", 23, "Shadow")])
    report_import(partnership, "K-2", persons=[_person("p1", "Jordan", 22, "Shadow")])
    # Another Jordan called something else on the street is someone else.
    report_import(partnership, "K-3", persons=[_person("p1", "Jordan", 22, "Big Tank")])
    _run(partnership)
    assert _entity_of("K-1/p1") == _entity_of("K-2/p1") is not None
    assert _entity_of("K-3/p1") != _entity_of("K-1/p1")


def _others(partnership, count: int) -> None:
    """Reports naming people of other names, so that the run knows which names are rare."""
    given = ["Liam", "Tyler", "Kyle", "Bilal", "Imran", "Reece", "Omar", "Usman"]
    family = ["Ashdown", "Brackley", "Corrigan", "Dunmore", "Fenwick", "Garside", "Ingleby"]
    for number in range(count):
        name = f"{given[number % len(given)]} {family[number % len(family)]}"
        report_import(partnership, f"O-{number}", persons=[_person("p1", name, 20 + number)])


def test_a_rare_full_name_of_one_age_is_one_man_and_a_common_one_is_not(partnership):
    _others(partnership, 12)
    # A rare name, estimates a year apart: one man, though nothing else is in common.
    for report_id, age in (("T-1", 30), ("T-2", 31)):
        report_import(partnership, report_id, persons=[_person("p1", "Tariq Whitcombe", age)])
    # Ages six years apart: possibly the same man, for an analyst to judge.
    for report_id, age in (("T-3", 30), ("T-4", 36)):
        report_import(partnership, report_id, persons=[_person("p1", "Yusuf Marchbank", age)])
    _run(partnership)
    assert _entity_of("T-1/p1") == _entity_of("T-2/p1") is not None
    assert _entity_of("T-3/p1") is None or _entity_of("T-3/p1") != _entity_of("T-4/p1")
    assert LinkSuggestion.objects.filter(
        mention_id="T-4/p1", target_mention_id="T-3/p1", status=SuggestionStatus.SUGGESTED
    ).exists()


def test_the_only_man_of_a_rare_name_known_is_one_man(partnership):
    _others(partnership, 12)
    # Every mention of a rare name, ages within a few years: the only man of that name known,
    # the one without an age estimate included.
    for report_id, age in (("W-1", 30), ("W-2", 33), ("W-3", None)):
        report_import(partnership, report_id, persons=[_person("p1", "Tariq Whitcombe", age)])
    # Estimates fifteen years apart: maybe two men, so none of them is joined on the name.
    for report_id, age in (("W-4", 25), ("W-5", 26), ("W-6", 40)):
        report_import(partnership, report_id, persons=[_person("p1", "Imran Northcott", age)])
    _run(partnership)
    assert {_entity_of(f"W-{n}/p1") for n in (1, 2, 3)} == {_entity_of("W-1/p1")}
    assert _entity_of("W-1/p1") is not None
    assert _entity_of("W-6/p1") is None or _entity_of("W-6/p1") != _entity_of("W-4/p1")


def test_two_groups_possibly_one_person_are_asked_about_once(partnership):
    # Two men called Connor Redfern, each with his own phone in two reports: whether they are
    # one is a single question, not one for every two of their mentions.
    for report_id, phone in (("Q-1", "07700 900601"), ("Q-2", "07700 900601")):
        report_import(
            partnership,
            report_id,
            persons=[_person("p1", "Connor Redfern", 27)],
            phones=_phone(phone),
        )
    for report_id, phone in (("Q-3", "07700 900602"), ("Q-4", "07700 900602")):
        report_import(
            partnership, report_id, persons=[_person("p1", "Connor Redfern")], phones=_phone(phone)
        )
    _run(partnership)
    one, other = _entity_of("Q-1/p1"), _entity_of("Q-3/p1")
    assert one == _entity_of("Q-2/p1") and other == _entity_of("Q-4/p1")
    assert one is not None and other is not None and one != other
    mentions = ["Q-1/p1", "Q-2/p1", "Q-3/p1", "Q-4/p1"]
    open_pairs = LinkSuggestion.objects.filter(
        mention_id__in=mentions, target_mention_id__in=mentions, status=SuggestionStatus.SUGGESTED
    )
    assert open_pairs.count() == 1


def test_no_question_is_left_within_one_childs_entity(partnership):
    # Jess and Jessica Fenwick, born the same day, and Jessica Fenwick with no date of birth
    # (the only child of that name known): one child, so nothing is left to ask between them.
    report_import(
        partnership, "J-1", children=[{"ref": "c1", "name": "Jessica Fenwick", "dob": "2011-04-02"}]
    )
    report_import(
        partnership, "J-2", children=[{"ref": "c1", "name": "Jess Fenwick", "dob": "2011-04-02"}]
    )
    report_import(partnership, "J-3", children=[{"ref": "c1", "name": "Jessica Fenwick"}])
    child = _entity_of("J-1/c1")
    assert child is not None and {_entity_of("J-2/c1"), _entity_of("J-3/c1")} == {child}
    _run(partnership)
    mentions = ["J-1/c1", "J-2/c1", "J-3/c1"]
    assert not LinkSuggestion.objects.filter(
        mention_id__in=mentions, target_mention_id__in=mentions, status=SuggestionStatus.SUGGESTED
    ).exists()
    assert {_entity_of(m) for m in mentions} == {child}


def test_children_resolved_on_arrival_stay_so_and_the_model_never_merges_children(reports):
    # The same name and date of birth: resolved on arrival, with its reasons; the model's run
    # neither undoes that nor joins children itself.
    joined = _entity_of("R-6/c1")
    assert joined is not None and joined == _entity_of("R-7/c1")
    _run(reports)
    assert _entity_of("R-6/c1") == _entity_of("R-7/c1") == joined
    suggestion = LinkSuggestion.objects.get(mention_id="R-7/c1", target_mention_id="R-6/c1")
    assert suggestion.status == SuggestionStatus.RESOLVED and suggestion.weight >= 0.9
    assert {reason.field for reason in suggestion.reasons.all()} == {"name", "dob"}


def _seen_at_the_car_park(partnership, report_id: str, age: int) -> None:
    place = {"ref": "l1", "name": "Canal Street car park", "postcode": "FB3 2XY"}
    persons = [_person("p1", "Tariq Holloway", age)]
    report_import(partnership, report_id, persons=persons, locations=[place])


def test_persons_resolved_on_arrival_stay_resolved_after_a_run(partnership):
    # The same full name, ages of a piece and the same place: resolved on arrival (0015). The
    # model has no place to go on, but its run keeps what arrival resolved, with the reasons.
    _seen_at_the_car_park(partnership, "A-1", 29)
    _seen_at_the_car_park(partnership, "A-2", 31)
    joined = _entity_of("A-1/p1")
    assert joined is not None and joined == _entity_of("A-2/p1")
    for _ in range(2):
        _run(partnership)
        assert _entity_of("A-1/p1") == _entity_of("A-2/p1") == joined
        suggestion = LinkSuggestion.objects.get(mention_id="A-2/p1", target_mention_id="A-1/p1")
        assert suggestion.status == SuggestionStatus.RESOLVED
        assert {"name", "context"} <= {reason.field for reason in suggestion.reasons.all()}


def test_a_resolution_an_analyst_undid_stays_undone_after_a_run(partnership, police_analyst):
    _seen_at_the_car_park(partnership, "A-1", 29)
    _seen_at_the_car_park(partnership, "A-2", 31)
    suggestion = LinkSuggestion.objects.get(mention_id="A-2/p1", target_mention_id="A-1/p1")
    services.suggestion_reject(actor=police_analyst, suggestion=suggestion)
    _run(partnership)
    assert _entity_of("A-2/p1") is None or _entity_of("A-2/p1") != _entity_of("A-1/p1")
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.REJECTED


def test_a_resolution_split_by_an_analyst_is_not_rejoined_by_a_run(partnership, police_analyst):
    _seen_at_the_car_park(partnership, "A-1", 29)
    _seen_at_the_car_park(partnership, "A-2", 31)
    entity = MentionEntity.objects.get(mention_id="A-2/p1").entity
    services.mention_split(actor=police_analyst, entity=entity, mention_id="A-2/p1")
    for _ in range(2):
        _run(partnership)
        assert _entity_of("A-2/p1") != _entity_of("A-1/p1")
        suggestion = LinkSuggestion.objects.get(mention_id="A-2/p1", target_mention_id="A-1/p1")
        assert suggestion.status != SuggestionStatus.RESOLVED


def test_an_analysts_rejection_is_never_undone_by_the_model(reports, police_analyst):
    suggestion = LinkSuggestion.objects.get(mention_id="R-5/p1", target_mention_id="R-4/p1")
    services.suggestion_reject(actor=police_analyst, suggestion=suggestion)
    run = _run(reports)
    assert _entity_of("R-5/p1") is None or _entity_of("R-5/p1") != _entity_of("R-4/p1")
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.REJECTED
    assert (
        LinkSuggestion.objects.filter(mention_id="R-4/p1", target_mention_id="R-5/p1").count() == 0
    )
    assert run.refused_by_decisions >= 1


def test_an_analysts_split_and_placing_stay_as_they_are(reports, police_analyst):
    _run(reports)
    entity = MentionEntity.objects.get(mention_id="R-2/p1").entity
    services.mention_split(actor=police_analyst, entity=entity, mention_id="R-2/p1")
    alone = _entity_of("R-2/p1")
    run = _run(reports)
    placed = MentionEntity.objects.get(mention_id="R-2/p1")
    assert placed.entity_id == alone and placed.assigned_by == AssignedBy.ANALYST
    assert _entity_of("R-1/p1") != alone
    assert run.kept_by_analysts >= 1
    # The entity the analyst split from keeps its id for the rest of its mentions.
    assert _entity_of("R-1/p1") in (entity.pk, None)


def test_each_run_is_stored_and_audited_without_personal_details(reports):
    run = _run(reports)
    run.refresh_from_db()
    assert run.engine == "duckdb" and run.finished_at is not None
    assert run.records == 7 and run.clusters >= 2 and run.mentions_assigned >= 4
    assert run.splink_version and run.model["name"] == "persons-of-concern"
    assert run.model["comparisons"]["name"]["m"] == run.parameters["m_u"]["name"]["m"]
    assert (
        run.thresholds["cluster_at_match_probability"]
        > run.thresholds["suggest_at_match_probability"]
    )
    assert run.splink_settings["comparisons"]  # the engine's own settings, as run
    events = AuditEvent.objects.filter(target_type="resolution_run", target_id=str(run.pk))
    assert events.count() == 2
    for event in events:
        assert "Ashdown" not in str(event.detail) and "Varley" not in str(event.detail)


def test_analysts_see_runs_with_the_model_parameters_and_thresholds(reports, police_analyst):
    run = _run(reports)
    client = signed_in_client(police_analyst)
    listing = client.get(reverse("linking:runs"))
    assert listing.status_code == 200
    assert "Splink on DuckDB" in listing.content.decode()
    page = client.get(reverse("linking:run", args=[run.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Nickname or spelling" in text and "Blocking rules" in text
    assert "Same person (assigned by the model) from match probability" in text
    assert str(run.model["comparisons"]["age_estimate"]["m"][0]) in text
    assert AuditEvent.objects.filter(
        actor=police_analyst, target_type="resolution_run", target_id=str(run.pk), verb="viewed"
    ).exists()


def test_partners_cannot_see_runs(reports, school_practitioner):
    run = _run(reports)
    client = signed_in_client(school_practitioner)
    assert client.get(reverse("linking:runs")).status_code in (403, 404)
    assert client.get(reverse("linking:run", args=[run.pk])).status_code in (403, 404)


def test_the_command_runs_duckdb_with_a_progress_bar_and_a_summary(reports, capsys):
    call_command("link", "run", "--engine", "duckdb")
    captured = capsys.readouterr()
    # Everything was linked on arrival: only what is new is linked before Splink runs.
    assert "Linking what is new" in captured.err and "Persons: Splink scoring" in captured.err
    assert "0 reports and concerns linked by the deterministic pass" in captured.out
    assert "Splink on DuckDB" in captured.out
    assert "7 person and child mentions resolved" in captured.out
    assert ResolutionRun.objects.get().engine == "duckdb"


def test_replay_runs_the_deterministic_pass_over_everything_before_splink(reports, capsys):
    call_command("link", "run", "--engine", "duckdb", "--replay")
    captured = capsys.readouterr()
    assert "Deterministic pass" in captured.err and "7/7" in captured.err
    assert "7 reports and concerns linked" in captured.out
    assert _entity_of("R-1/p1") == _entity_of("R-2/p1") is not None


def test_without_an_engine_only_the_deterministic_pass_runs(reports, capsys):
    call_command("link", "run")
    assert "Deterministic pass only" in capsys.readouterr().out
    assert ResolutionRun.objects.get().engine == "deterministic"
    # The deterministic pass resolves persons only where it is clear: Daniel and Danny Ashdown
    # share a phone no one else's name is seen with; the older namesake stays apart.
    assert _entity_of("R-1/p1") == _entity_of("R-2/p1") is not None
    assert _entity_of("R-3/p1") != _entity_of("R-1/p1")


def test_resolve_person_records_for_callers_holding_records():
    records = [
        {"mention_id": "a", "name": "Daniel Ashdown", "age_estimate": 30, "report_id": "1",
         "context": ["phone:+447700900555"]},
        {"mention_id": "b", "name": "Danny Ashdown", "age_estimate": 29, "report_id": "2",
         "context": ["phone:+447700900555"]},
        {"mention_id": "c", "name": "Daniel Ashdown", "age_estimate": 61, "report_id": "3"},
        {"mention_id": "d", "name": "Kieran Lowther", "age_estimate": None, "report_id": "4"},
        {"mention_id": "e", "name": "Jessica Fenwick", "age_estimate": 14, "report_id": "5",
         "is_child": True},
        {"mention_id": "f", "name": "Jessica Fenwick", "age_estimate": 14, "report_id": "6",
         "is_child": True},
    ]  # fmt: skip
    clusters = resolve_person_records(records)
    assert clusters["a"] == clusters["b"] != clusters["c"]
    assert clusters["d"] == "d"
    assert clusters["e"] != clusters["f"]


def _java() -> bool:
    if shutil.which("java") is None:
        return False
    found = subprocess.run(["java", "-version"], capture_output=True, check=False)  # noqa: S607
    return found.returncode == 0


@pytest.mark.skipif(
    importlib.util.find_spec("pyspark") is None or not _java(),
    reason="The Spark engine needs pyspark (the test extra) and Java (make browser installs it)",
)
def test_the_same_model_runs_on_spark_local_mode(reports):
    on_duckdb = _run(reports)
    clusters_duckdb = {m: _entity_of(m) for m in ["R-1/p1", "R-2/p1", "R-3/p1", "R-4/p1", "R-5/p1"]}
    on_spark = _run(reports, engine="spark")
    assert on_spark.status == RunStatus.FINISHED and on_spark.engine == "spark"
    assert on_spark.model == on_duckdb.model
    assert on_spark.pairs_scored == on_duckdb.pairs_scored
    assert {m: _entity_of(m) for m in clusters_duckdb} == clusters_duckdb


def test_nothing_to_resolve_is_not_an_error():
    assert resolve_person_records([]) == {}
    assert resolve_person_records([{"mention_id": "a", "name": "", "report_id": "1"}]) == {"a": "a"}


def test_a_group_has_at_most_two_questions_open_and_an_answer_lets_the_next_be_asked(
    partnership, police_analyst
):
    # Five reports naming Kieran Northcott at much the same age, nothing else in common: the
    # run asks about them, but no mention is in more than two open questions at a time, so an
    # analyst's queue does not hold every pair of five.
    mentions = [f"K-{number}/p1" for number in range(1, 6)]
    for number, mention_id in enumerate(mentions):
        persons = [_person("p1", "Kieran Northcott", 30 + number % 2)]
        report_import(partnership, mention_id.split("/")[0], persons=persons)
    _run(partnership)
    groups = {_entity_of(m) or m for m in mentions}

    def open_pairs():
        return LinkSuggestion.objects.filter(
            mention_id__in=mentions, status=SuggestionStatus.SUGGESTED
        )

    asked = list(open_pairs())
    assert asked and len(groups) > 1
    by_group: dict = {}
    for pair in asked:
        for mention_id in (pair.mention_id, pair.target_mention_id):
            group = _entity_of(mention_id) or mention_id
            by_group[group] = by_group.get(group, 0) + 1
    assert max(by_group.values()) <= 2
    # "Not the same" on one: the next run does not ask it again, and asks another instead.
    first = asked[0]
    services.suggestion_reject(actor=police_analyst, suggestion=first)
    _run(partnership)
    again = {(p.mention_id, p.target_mention_id) for p in open_pairs()}
    assert (first.mention_id, first.target_mention_id) not in again
    assert again - {(p.mention_id, p.target_mention_id) for p in asked}


def test_children_born_on_days_far_apart_are_not_asked_about(partnership):
    # The same name, dates of birth two years apart: two children. The model sees the dates
    # only as ages (13 and 15 are "within 5 years"), so the run must not ask about them; a
    # child with no date of birth given may still be the one or the other.
    for report_id, dob in (("Y-1", "2012-04-06"), ("Y-2", "2010-09-24"), ("Y-3", None)):
        child = {"ref": "c1", "name": "Isabella Yardmore", **({"dob": dob} if dob else {})}
        report_import(partnership, report_id, children=[child])
    _run(partnership)
    asked = {
        frozenset((s.mention_id, s.target_mention_id))
        for s in LinkSuggestion.objects.filter(status=SuggestionStatus.SUGGESTED)
    }
    assert frozenset(("Y-1/c1", "Y-2/c1")) not in asked
    assert asked & {frozenset(("Y-3/c1", "Y-1/c1")), frozenset(("Y-3/c1", "Y-2/c1"))}
