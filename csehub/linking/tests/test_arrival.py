import datetime as dt
import itertools
from typing import cast

import pytest
from django.core import mail

from csehub.audit.models import AuditEvent
from csehub.children.models import Child
from csehub.concerns import services as concerns
from csehub.intelligence.services import SharedItems, report_share
from csehub.linking import services
from csehub.linking.models import (
    Alert,
    AssignedBy,
    Entity,
    LinkSuggestion,
    MentionEntity,
    SuggestionStatus,
)
from csehub.linking.services import alerts
from csehub.testing.factories import ChildFactory

from .helpers import report_import

pytestmark = pytest.mark.django_db


def _entity_of(mention_id: str) -> int | None:
    found = MentionEntity.objects.filter(mention_id=mention_id).first()
    return found.entity_id if found else None


def test_the_same_phone_in_two_reports_is_assigned_to_one_entity(partnership):
    report_import(partnership, "A-1", phones=[{"ref": "t1", "number": "07700 900123"}])
    report_import(partnership, "A-2", phones=[{"ref": "t1", "number": "+447700900123"}])
    first = MentionEntity.objects.get(mention_id="A-1/t1")
    second = MentionEntity.objects.get(mention_id="A-2/t1")
    assert first.entity_id == second.entity_id
    assert second.assigned_by == AssignedBy.ENGINE
    suggestion = LinkSuggestion.objects.get(mention_id="A-2/t1")
    assert suggestion.target_mention_id == "A-1/t1" and suggestion.weight >= 0.95
    assert [(r.field, r.how) for r in suggestion.reasons.all()] == [("e164", "exact")]


def test_a_partial_plate_that_fits_only_one_known_plate_is_resolved_to_it(partnership):
    report_import(partnership, "A-1", vehicles=[{"ref": "v1", "plate": "YX12 ABC"}])
    report_import(partnership, "A-2", vehicles=[{"ref": "v1", "plate": "YX1? ?BC"}])
    suggestion = LinkSuggestion.objects.get(mention_id="A-2/v1")
    assert suggestion.target_mention_id == "A-1/v1"
    assert suggestion.status == SuggestionStatus.RESOLVED
    assert suggestion.reasons.get().how == "partial_plate"
    assert _entity_of("A-2/v1") == _entity_of("A-1/v1") is not None
    assert MentionEntity.objects.get(mention_id="A-2/v1").assigned_by == AssignedBy.ENGINE


def test_a_partial_plate_that_fits_several_known_plates_is_left_apart(partnership):
    report_import(partnership, "A-1", vehicles=[{"ref": "v1", "plate": "YX12 ABC"}])
    report_import(partnership, "A-2", vehicles=[{"ref": "v1", "plate": "YX13 ABC"}])
    report_import(partnership, "A-3", vehicles=[{"ref": "v1", "plate": "YX1? ?BC"}])
    assert _entity_of("A-3/v1") is None
    # Nothing picks either plate out (no make or colour): not worth an analyst's time.
    assert not LinkSuggestion.objects.filter(mention_id="A-3/v1").exists()


def test_a_full_plate_arriving_later_resolves_the_partial_seen_before(partnership):
    report_import(partnership, "A-1", vehicles=[{"ref": "v1", "plate": "YX1? ?BC"}])
    report_import(partnership, "A-2", vehicles=[{"ref": "v1", "plate": "YX12 ABC"}])
    pair = LinkSuggestion.objects.get(mention_id="A-2/v1", target_mention_id="A-1/v1")
    assert pair.status == SuggestionStatus.RESOLVED
    assert _entity_of("A-1/v1") == _entity_of("A-2/v1") is not None


def test_a_full_plate_arriving_later_leaves_a_partial_that_another_plate_fits(partnership):
    report_import(partnership, "A-1", vehicles=[{"ref": "v1", "plate": "YX13 ABC"}])
    report_import(partnership, "A-2", vehicles=[{"ref": "v1", "plate": "YX1? ?BC"}])
    report_import(partnership, "A-3", vehicles=[{"ref": "v1", "plate": "YX12 ABC"}])
    assert _entity_of("A-3/v1") is None or _entity_of("A-3/v1") != _entity_of("A-2/v1")


def test_children_with_the_same_name_and_date_of_birth_are_one_child(partnership):
    # A child entity groups the mentions; children's records are still merged only by analysts.
    child = {"ref": "c1", "name": "Jessica Ashdown", "dob": "2011-04-02"}
    report_import(partnership, "A-1", children=[child])
    report_import(partnership, "A-2", children=[child])
    suggestion = LinkSuggestion.objects.get(mention_id="A-2/c1")
    assert suggestion.weight >= 0.9 and suggestion.status == SuggestionStatus.RESOLVED
    assert _entity_of("A-1/c1") == _entity_of("A-2/c1") is not None


def test_same_name_different_dates_of_birth_are_not_linked(partnership):
    report_import(
        partnership, "A-1", children=[{"ref": "c1", "name": "Jessica Ashdown", "dob": "2011-04-02"}]
    )
    report_import(
        partnership, "A-2", children=[{"ref": "c1", "name": "Jessica Ashdown", "dob": "2012-09-30"}]
    )
    assert not LinkSuggestion.objects.filter(mention_id="A-2/c1").exists()


def test_a_shared_neighbour_lifts_a_weak_name_match(partnership):
    phone = {"ref": "t1", "number": "07700 900123"}
    report_import(partnership, "A-1", persons=[{"ref": "p1", "name": "Danny"}], phones=[phone])
    report_import(partnership, "A-2", persons=[{"ref": "p1", "name": "Daniel"}], phones=[phone])
    suggestion = LinkSuggestion.objects.get(mention_id="A-2/p1")
    assert "context" in {r.how for r in suggestion.reasons.all()}


def test_a_rejected_pair_is_not_suggested_again(partnership, police_analyst):
    report_import(partnership, "A-1", persons=[{"ref": "p1", "name": "Danny Ashdown"}])
    report_import(partnership, "A-2", persons=[{"ref": "p1", "name": "Daniel Ashdown"}])
    suggestion = LinkSuggestion.objects.get(mention_id="A-2/p1")
    services.suggestion_reject(actor=police_analyst, suggestion=suggestion)
    # The same report again, changed, is linked afresh: the rejected pair stays rejected.
    report_import(
        partnership, "A-2", persons=[{"ref": "p1", "name": "Daniel Ashdown", "age_estimate": 30}]
    )
    pair = LinkSuggestion.objects.get(mention_id="A-2/p1", target_mention_id="A-1/p1")
    assert pair.status == SuggestionStatus.REJECTED
    assert LinkSuggestion.objects.filter(status=SuggestionStatus.SUGGESTED).count() == 0
    assert AuditEvent.objects.filter(target_type="link_decision", detail__kind="reject").exists()


def test_rejecting_a_pair_the_engine_joined_takes_it_apart_and_undo_puts_it_back(
    partnership, police_analyst
):
    report_import(partnership, "A-1", phones=[{"ref": "t1", "number": "07700 900123"}])
    report_import(partnership, "A-2", phones=[{"ref": "t1", "number": "07700900123"}])
    joined = MentionEntity.objects.get(mention_id="A-1/t1").entity_id
    suggestion = LinkSuggestion.objects.get(mention_id="A-2/t1")
    decision = services.suggestion_reject(actor=police_analyst, suggestion=suggestion)
    apart = MentionEntity.objects.get(mention_id="A-2/t1")
    assert apart.entity_id != joined and apart.assigned_by == AssignedBy.ANALYST
    services.decision_undo(actor=police_analyst, decision=decision)
    back = MentionEntity.objects.get(mention_id="A-2/t1")
    assert back.entity_id == joined and back.assigned_by == AssignedBy.ENGINE
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.RESOLVED and suggestion.decided_by is None
    with pytest.raises(Exception, match="already been undone"):
        services.decision_undo(actor=police_analyst, decision=decision)


def test_confirm_then_undo(partnership, police_analyst):
    report_import(partnership, "A-1", persons=[{"ref": "p1", "name": "Danny Ashdown"}])
    report_import(partnership, "A-2", persons=[{"ref": "p1", "name": "Daniel Ashdown"}])
    suggestion = LinkSuggestion.objects.get(mention_id="A-2/p1")
    decision = services.suggestion_confirm(actor=police_analyst, suggestion=suggestion)
    assert (
        MentionEntity.objects.get(mention_id="A-1/p1").entity_id
        == MentionEntity.objects.get(mention_id="A-2/p1").entity_id
        == decision.entity_id
    )
    services.decision_undo(actor=police_analyst, decision=decision)
    assert not MentionEntity.objects.filter(mention_id__in=["A-1/p1", "A-2/p1"]).exists()
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.SUGGESTED


def test_split_and_merge(partnership, police_analyst):
    phone = "07700 900123"
    for n in (1, 2, 3):
        report_import(partnership, f"A-{n}", phones=[{"ref": "t1", "number": phone}])
    entity = MentionEntity.objects.get(mention_id="A-1/t1").entity
    assert entity.assignments.count() == 3
    split = services.mention_split(actor=police_analyst, entity=entity, mention_id="A-3/t1")
    alone = split.changes.get().to_entity
    assert entity.assignments.count() == 2
    services.entity_merge(actor=police_analyst, entity=entity, other=alone)
    assert entity.assignments.count() == 3


@pytest.mark.parametrize("full_plate_first", [True, False])
def test_a_plate_split_off_stays_apart_through_a_run_until_the_split_is_undone(
    partnership, police_analyst, full_plate_first
):
    partials = [("P-1", "YX1? ?BC"), ("P-2", "yx1??bc")]
    full = [("F-1", "YX12 ABC")]
    for report_id, plate in full + partials if full_plate_first else partials + full:
        report_import(partnership, report_id, vehicles=[{"ref": "v1", "plate": plate}])
    car = MentionEntity.objects.get(mention_id="F-1/v1").entity
    assert _entity_of("P-1/v1") == _entity_of("P-2/v1") == car.pk
    split = services.mention_split(actor=police_analyst, entity=car, mention_id="F-1/v1")
    # The engine's pairs with the two partial plates are the analyst's "not the same" now.
    assert set(
        LinkSuggestion.objects.filter(
            mention_id__in=["F-1/v1", "P-1/v1", "P-2/v1"], status=SuggestionStatus.REJECTED
        ).values_list("decided_by", flat=True)
    ) == {police_analyst.pk}
    # Whichever plate came first, a run replaying them does not join them again.
    services.links_run(partnership=partnership)
    assert _entity_of("F-1/v1") != _entity_of("P-1/v1") == _entity_of("P-2/v1") == car.pk
    assert not LinkSuggestion.objects.filter(status=SuggestionStatus.SUGGESTED).exists()

    services.decision_undo(actor=police_analyst, decision=split)
    assert _entity_of("F-1/v1") == _entity_of("P-1/v1") == car.pk
    assert not LinkSuggestion.objects.filter(status=SuggestionStatus.REJECTED).exists()
    services.links_run(partnership=partnership)
    assert _entity_of("F-1/v1") == _entity_of("P-1/v1") == _entity_of("P-2/v1") == car.pk


def test_a_phone_linked_to_a_second_child_alerts_the_cse_team(partnership, police_analyst):
    phone = {"ref": "t1", "number": "07700 900123"}
    report_import(
        partnership, "A-1", children=[{"ref": "c1", "name": "Jessica Ashdown"}], phones=[phone]
    )
    assert not Alert.objects.exists()
    report_import(
        partnership, "A-2", children=[{"ref": "c1", "name": "Olivia Brackley"}], phones=[phone]
    )
    alert = Alert.objects.get()
    assert alert.kind == "links_second_child" and alert.children_linked == 2
    assert alert.entity.entity_type == "phone"
    assert set(alert.mentions.values_list("mention_id", flat=True)) >= {"A-1/c1", "A-2/c1"}


def test_the_same_child_twice_is_not_a_second_child(partnership, police_analyst):
    phone = {"ref": "t1", "number": "07700 900123"}
    child = {"ref": "c1", "name": "Jessica Ashdown", "dob": "2011-04-02"}
    report_import(partnership, "A-1", children=[child], phones=[phone])
    report_import(partnership, "A-2", children=[child], phones=[phone])
    assert not Alert.objects.exists()


def test_confirming_a_link_to_a_second_child_emails_the_cse_team_without_names(
    partnership, police_analyst, django_capture_on_commit_callbacks
):
    report_import(
        partnership,
        "A-1",
        children=[{"ref": "c1", "name": "Jessica Ashdown"}],
        persons=[{"ref": "p1", "name": "Danny Quarrie"}],
    )
    report_import(
        partnership,
        "A-2",
        children=[{"ref": "c1", "name": "Olivia Brackley"}],
        persons=[{"ref": "p1", "name": "Daniel Quarrie"}],
    )
    assert not Alert.objects.exists()  # only suggested so far
    suggestion = LinkSuggestion.objects.get(mention_id="A-2/p1")
    with django_capture_on_commit_callbacks(execute=True):
        services.suggestion_confirm(actor=police_analyst, suggestion=suggestion)
    assert Alert.objects.get().children_linked == 2
    assert [m.to for m in mail.outbox] == [[police_analyst.email]]
    body = mail.outbox[0].body
    assert "2 different children" in body
    for name in ("Jessica", "Olivia", "Quarrie", "Danny", "Daniel"):
        assert name not in body


# ---------------------------------------------------------------------------------------------
# Resolved, possible or apart: what the engine decides on arrival (issue 10's cases)
# ---------------------------------------------------------------------------------------------


def _child(name: str, dob: str | None = None) -> list[dict]:
    return [{"ref": "c1", "name": name, **({"dob": dob} if dob else {})}]


def test_a_child_named_by_four_agencies_is_one_child(partnership):
    written = [
        ("Fernbridge Youth Service", "Mason Barker", "2010-08-12"),
        ("Testshire Police", "BARKER, Mason", "2010-08-12"),
        ("Fernbridge Academy", "mason barker", "2010-08-12"),
        ("Testshire Children's Services", "Mason Barker", "2010-08-21"),  # the day mistyped
    ]
    for number, (source, name, dob) in enumerate(written, start=1):
        report_import(partnership, f"M-{number}", source=source, children=_child(name, dob))
    entities = {_entity_of(f"M-{n}/c1") for n in range(1, 5)}
    assert len(entities) == 1 and None not in entities
    resolved = LinkSuggestion.objects.filter(status=SuggestionStatus.RESOLVED)
    assert resolved.filter(mention_id="M-4/c1").exists()
    assert {
        r.field for r in resolved.get(mention_id="M-2/c1", target_mention_id="M-1/c1").reasons.all()
    } == {"name", "dob"}


def test_a_name_written_surname_first_is_the_same_child(partnership):
    report_import(partnership, "K-1", children=_child("Kai Gray", "2012-03-04"))
    report_import(partnership, "K-2", children=_child("GRAY, Kai", "2012-03-04"))
    assert _entity_of("K-1/c1") == _entity_of("K-2/c1") is not None


def test_a_child_without_a_date_of_birth_joins_the_only_child_of_that_name(partnership):
    report_import(partnership, "K-1", children=_child("Kai Gray", "2012-03-04"))
    report_import(partnership, "K-2", children=_child("Kai Gray"))
    assert _entity_of("K-2/c1") == _entity_of("K-1/c1") is not None
    assert LinkSuggestion.objects.get(mention_id="K-2/c1").status == SuggestionStatus.RESOLVED


def test_a_child_without_a_date_of_birth_is_only_possibly_one_of_two_namesakes(partnership):
    # Two children called Kai Gray, born years apart: a name alone does not say which.
    report_import(partnership, "K-1", children=_child("Kai Gray", "2012-03-04"))
    report_import(partnership, "K-2", children=_child("Kai Gray", "2015-10-20"))
    report_import(partnership, "K-3", children=_child("Kai Gray"))
    assert _entity_of("K-3/c1") is None
    assert {s.status for s in LinkSuggestion.objects.filter(mention_id="K-3/c1")} == {
        SuggestionStatus.SUGGESTED
    }


@pytest.mark.parametrize("order", list(itertools.permutations([0, 1, 2])))
def test_two_partial_plates_and_the_full_plate_of_a_blue_nissan_are_one_vehicle(partnership, order):
    plates = ["EL30 Z?F", "E?3? ZBF", "el30zbf"]
    for number, index in enumerate(order, start=1):
        vehicle = {"ref": "v1", "plate": plates[index], "make": "Nissan", "colour": "blue"}
        report_import(partnership, f"V-{number}", vehicles=[vehicle])
    entities = {_entity_of(f"V-{n}/v1") for n in range(1, 4)}
    assert len(entities) == 1 and None not in entities
    # Nothing is left for an analyst to ask about these three.
    assert not LinkSuggestion.objects.filter(status=SuggestionStatus.SUGGESTED).exists()


def test_two_partial_plates_that_fit_each_other_are_possible_when_make_and_colour_agree(
    partnership,
):
    nissan = {"make": "Nissan Micra", "colour": "Blue"}
    report_import(partnership, "V-1", vehicles=[{"ref": "v1", "plate": "EL30 Z?F", **nissan}])
    report_import(partnership, "V-2", vehicles=[{"ref": "v1", "plate": "E?3? ZBF", **nissan}])
    pair = LinkSuggestion.objects.get(mention_id="V-2/v1")
    assert pair.status == SuggestionStatus.SUGGESTED and pair.target_mention_id == "V-1/v1"
    assert _entity_of("V-2/v1") is None


def test_a_partial_plate_with_another_make_is_not_resolved(partnership):
    report_import(partnership, "V-1", vehicles=[{"ref": "v1", "plate": "EL30 ZBF", "make": "Ford"}])
    report_import(
        partnership, "V-2", vehicles=[{"ref": "v1", "plate": "EL30 Z?F", "make": "Nissan"}]
    )
    assert _entity_of("V-2/v1") is None
    assert LinkSuggestion.objects.get(mention_id="V-2/v1").status == SuggestionStatus.SUGGESTED


def test_a_misread_plate_is_resolved_when_no_other_vehicle_reads_the_same(
    partnership, police_analyst
):
    report_import(partnership, "V-1", vehicles=[{"ref": "v1", "plate": "YX12 ABC"}])
    report_import(partnership, "V-2", vehicles=[{"ref": "v1", "plate": "YXI2 A8C"}])
    assert _entity_of("V-1/v1") == _entity_of("V-2/v1") is not None
    # A plate misread several ways is still one vehicle.
    report_import(partnership, "V-3", vehicles=[{"ref": "v1", "plate": "YX12 A8C"}])
    assert _entity_of("V-3/v1") == _entity_of("V-1/v1")
    # An analyst says one misreading is another vehicle: which of the two a further one is,
    # is left to an analyst.
    pair = LinkSuggestion.objects.get(mention_id="V-2/v1", target_mention_id="V-1/v1")
    services.suggestion_reject(actor=police_analyst, suggestion=pair)
    report_import(partnership, "V-4", vehicles=[{"ref": "v1", "plate": "YXI2 ABC"}])
    assert _entity_of("V-4/v1") is None


def test_a_handle_without_a_platform_is_the_only_account_with_that_handle(partnership):
    report_import(partnership, "U-1", online=[{"ref": "u1", "username": "@littlej_554"}])
    report_import(
        partnership,
        "U-2",
        online=[{"ref": "u1", "username": "littlej_554", "platform": "Tik Tok"}],
    )
    assert _entity_of("U-1/u1") == _entity_of("U-2/u1") is not None


def test_a_handle_on_two_platforms_stays_apart(partnership):
    report_import(
        partnership, "U-1", online=[{"ref": "u1", "username": "littlej_554", "platform": "snap"}]
    )
    report_import(
        partnership, "U-2", online=[{"ref": "u1", "username": "littlej_554", "platform": "TikTok"}]
    )
    assert _entity_of("U-2/u1") is None
    assert not LinkSuggestion.objects.filter(mention_id="U-2/u1").exists()
    # Without a platform it could be either: possibly the same, for an analyst.
    report_import(partnership, "U-3", online=[{"ref": "u1", "username": "@littlej_554"}])
    assert _entity_of("U-3/u1") is None
    assert LinkSuggestion.objects.filter(
        mention_id="U-3/u1", status=SuggestionStatus.SUGGESTED
    ).exists()


def test_a_place_named_without_a_postcode_is_the_only_place_of_that_name(partnership):
    report_import(
        partnership,
        "L-1",
        locations=[{"ref": "l1", "name": "Castle Park", "postcode": "FB1 4QT"}],
    )
    report_import(partnership, "L-2", locations=[{"ref": "l1", "name": "castle pk"}])
    report_import(
        partnership,
        "L-3",
        locations=[{"ref": "l1", "name": "Castle Park", "postcode": "fb14qt"}],
    )
    assert {_entity_of(f"L-{n}/l1") for n in (1, 2, 3)} == {_entity_of("L-1/l1")}
    assert _entity_of("L-1/l1") is not None
    # Another Castle Park at another postcode: a name alone no longer says which.
    report_import(
        partnership,
        "L-4",
        locations=[{"ref": "l1", "name": "Castle Park", "postcode": "FB9 2XD"}],
    )
    report_import(partnership, "L-5", locations=[{"ref": "l1", "name": "Castle Park"}])
    assert _entity_of("L-5/l1") is None


def test_a_name_without_its_kind_is_not_taken_for_a_place_of_another_kind(partnership):
    # "The Garfield" at the takeaway's postcode is the takeaway; a Garfield car park written
    # without a postcode may be anywhere, and is not joined to it.
    takeaway = {"ref": "l1", "name": "Garfield takeaway", "postcode": "FB6 2FH"}
    report_import(partnership, "G-1", locations=[takeaway])
    report_import(
        partnership, "G-2", locations=[{"ref": "l1", "name": "the Garfield", "postcode": "fb62fh"}]
    )
    report_import(partnership, "G-3", locations=[{"ref": "l1", "name": "Garfield car park"}])
    assert _entity_of("G-1/l1") == _entity_of("G-2/l1") is not None
    assert _entity_of("G-3/l1") != _entity_of("G-1/l1")
    # Nor is it asked about: the name at that postcode is known to be the takeaway's.
    assert not LinkSuggestion.objects.filter(
        mention_id="G-3/l1", status=SuggestionStatus.SUGGESTED
    ).exists()
    # Once the name is known for two kinds of place, "Garfield" alone says neither.
    report_import(
        partnership,
        "G-4",
        locations=[{"ref": "l1", "name": "Garfield car park", "postcode": "FB20 1UW"}],
    )
    report_import(partnership, "G-5", locations=[{"ref": "l1", "name": "Garfield"}])
    report_import(partnership, "G-6", locations=[{"ref": "l1", "name": "garfield"}])
    assert _entity_of("G-5/l1") is None or _entity_of("G-5/l1") != _entity_of("G-6/l1")


def test_a_person_with_a_shared_phone_is_resolved(partnership):
    phone = [{"ref": "t1", "number": "07700 900444"}]
    report_import(
        partnership, "P-1", persons=[{"ref": "p1", "name": "Danny Ashdown"}], phones=phone
    )
    report_import(
        partnership, "P-2", persons=[{"ref": "p1", "name": "Daniel Ashdown"}], phones=phone
    )
    assert _entity_of("P-1/p1") == _entity_of("P-2/p1") is not None
    pair = LinkSuggestion.objects.get(mention_id="P-2/p1")
    assert {r.how for r in pair.reasons.all()} == {"nickname", "context"}


def test_a_phone_seen_mostly_with_other_people_does_not_resolve_a_name(partnership):
    # The phone is in more reports about other people than about Danny Ashdown: it is no
    # one's in particular, so it does not tell one Danny Ashdown from another.
    phone = [{"ref": "t1", "number": "07700 900444"}]
    danny = [{"ref": "p1", "name": "Danny Ashdown"}]
    report_import(partnership, "P-1", persons=danny, phones=phone)
    for number, name in enumerate(["Kyle Brennan", "Tom Khan", "Liam Varley"], start=2):
        report_import(
            partnership, f"P-{number}", persons=[{"ref": "p1", "name": name}], phones=phone
        )
    report_import(partnership, "P-5", persons=danny, phones=phone)
    assert _entity_of("P-5/p1") is None
    pair = LinkSuggestion.objects.get(mention_id="P-5/p1", target_mention_id="P-1/p1")
    assert pair.status == SuggestionStatus.SUGGESTED


def test_a_phone_seen_now_and_then_with_someone_else_still_resolves_its_owner(partnership):
    # Mostly where Danny Ashdown is named, once in a report about someone else (a phone turns
    # up where its owner is not named): still his, so it tells him from a namesake. The two
    # reports of a pair say nothing of whose it is: it takes a third naming him.
    phone = [{"ref": "t1", "number": "07700 900444"}]
    danny = [{"ref": "p1", "name": "Danny Ashdown"}]
    report_import(partnership, "P-1", persons=danny, phones=phone)
    report_import(partnership, "P-2", persons=[{"ref": "p1", "name": "Kyle Brennan"}], phones=phone)
    report_import(partnership, "P-3", persons=danny, phones=phone)
    report_import(partnership, "P-4", persons=danny, phones=phone)
    assert _entity_of("P-4/p1") is not None
    assert {_entity_of(f"P-{n}/p1") for n in (1, 3, 4)} == {_entity_of("P-4/p1")}
    resolved = LinkSuggestion.objects.filter(mention_id="P-4/p1", status=SuggestionStatus.RESOLVED)
    assert resolved.exists()


def test_the_same_street_name_resolves_a_name(partnership):
    report_import(
        partnership, "S-1", persons=[{"ref": "p1", "name": "Danny Ashdown", "nickname": "Tiny"}]
    )
    report_import(
        partnership, "S-2", persons=[{"ref": "p1", "name": "Daniel Ashdown", "nickname": "tiny"}]
    )
    assert _entity_of("S-1/p1") == _entity_of("S-2/p1") is not None
    # A street name made of the name itself is what anyone of that name may be called.
    report_import(
        partnership, "S-3", persons=[{"ref": "p1", "name": "Kyle Brennan", "nickname": "Kyle B"}]
    )
    report_import(
        partnership, "S-4", persons=[{"ref": "p1", "name": "Kyle Brennan", "nickname": "Kyle B"}]
    )
    assert _entity_of("S-4/p1") is None


def _connor(partnership, report_id: str, age: int) -> None:
    report_import(
        partnership,
        report_id,
        persons=[{"ref": "p1", "name": "Connor Redfern", "age_estimate": age}],
        locations=[{"ref": "l1", "name": "Golden Fry takeaway", "postcode": "FB1 4QT"}],
    )


def test_a_person_of_a_consistent_age_in_the_same_place_is_resolved(partnership):
    _connor(partnership, "N-1", 27)
    _connor(partnership, "N-2", 29)
    assert _entity_of("N-1/p1") == _entity_of("N-2/p1") is not None


def test_namesakes_far_apart_in_age_stay_apart(partnership):
    _connor(partnership, "N-1", 19)
    _connor(partnership, "N-2", 45)
    assert _entity_of("N-1/p1") is None and _entity_of("N-2/p1") is None
    # A third of the name, of an age with the first: the name is too common to carry it.
    _connor(partnership, "N-3", 21)
    assert _entity_of("N-3/p1") is None
    assert LinkSuggestion.objects.get(mention_id="N-3/p1", target_mention_id="N-1/p1").status == (
        SuggestionStatus.SUGGESTED
    )


def test_a_mention_resolved_to_two_entities_joins_neither(partnership):
    # Two men called Danny Ashdown, each already an entity: one with a phone, one with a car.
    phone = [{"ref": "t1", "number": "07700 900444"}]
    car = [{"ref": "v1", "plate": "YX12 ABC"}]
    danny = [{"ref": "p1", "name": "Danny Ashdown", "age_estimate": 30}]
    report_import(partnership, "D-1", persons=danny, phones=phone)
    report_import(partnership, "D-2", persons=danny, phones=phone)
    report_import(partnership, "D-3", persons=danny, vehicles=car)
    report_import(partnership, "D-4", persons=danny, vehicles=car)
    first, second = _entity_of("D-1/p1"), _entity_of("D-3/p1")
    assert first is not None and second is not None and first != second
    # A report with both: not evidence enough to chain the two men into one.
    report_import(partnership, "D-5", persons=danny, phones=phone, vehicles=car)
    assert _entity_of("D-5/p1") is None
    assert _entity_of("D-1/p1") == first and _entity_of("D-3/p1") == second
    assert set(
        LinkSuggestion.objects.filter(mention_id="D-5/p1").values_list("status", flat=True)
    ) == {SuggestionStatus.SUGGESTED}


def test_a_rejected_resolution_stays_apart_on_re_import(partnership, police_analyst):
    report_import(partnership, "M-1", children=_child("Mason Barker", "2010-08-12"))
    report_import(partnership, "M-2", children=_child("Mason Barker", "2010-08-12"))
    pair = LinkSuggestion.objects.get(mention_id="M-2/c1")
    assert pair.status == SuggestionStatus.RESOLVED
    services.suggestion_reject(actor=police_analyst, suggestion=pair)
    assert _entity_of("M-1/c1") != _entity_of("M-2/c1")
    for report_id in ("M-2", "M-1"):
        report_import(
            partnership,
            report_id,
            text="Seen again.",
            children=_child("Mason Barker", "2010-08-12"),
        )
    assert _entity_of("M-1/c1") != _entity_of("M-2/c1")
    pair.refresh_from_db()
    assert pair.status == SuggestionStatus.REJECTED
    # A third report joins one of them, never both.
    report_import(partnership, "M-3", children=_child("Mason Barker", "2010-08-12"))
    assert _entity_of("M-1/c1") != _entity_of("M-2/c1")


def _concern_submitted(practitioner, child: Child, involved: concerns.Involved):
    concern = concerns.concern_create(actor=practitioner, child=child)
    return concerns.concern_submit(
        actor=practitioner,
        concern=concern,
        answers=concerns.ConcernAnswers(
            how_known="saw",
            what_was_seen="Picked up from school by an older man in a blue car.",
            observed_on=dt.date.today() - dt.timedelta(days=1),
            involved=involved,
        ),
    )


def _concern_with_vehicle(practitioner, given_name: str, plate: str):
    child = ChildFactory(created_by=practitioner, given_name=given_name, family_name="Testchild")
    return _concern_submitted(
        practitioner,
        cast(Child, child),
        concerns.Involved(vehicles=[{"plate": plate, "colour": "blue"}]),
    )


def test_a_car_first_known_by_a_partial_plate_is_called_by_its_full_plate_once_known(
    school_practitioner, social_worker
):
    first = _concern_with_vehicle(school_practitioner, "Amy", "YX1? ?BC")
    _concern_with_vehicle(school_practitioner, "Beth", "yx1??bc")
    car = MentionEntity.objects.get(mention_id=f"concern-{first.pk}/v1").entity
    assert car.label == "YX1??BC"
    report = report_share(
        actor=social_worker,
        text="A blue car, YX12 ABC, at the park.",
        how_known="saw_it",
        observed_at=None,
        items=SharedItems(vehicles=[{"plate": "YX12 ABC", "colour": "blue"}]),
    )
    car.refresh_from_db()
    assert _entity_of(f"{report.external_id}/v1") == car.pk and car.label == "YX12ABC"


def test_a_partial_plate_in_two_childrens_concerns_and_the_full_plate_are_one_vehicle(
    partnership, school_practitioner, police_analyst
):
    first = _concern_with_vehicle(school_practitioner, "Amy", "YX1? ?BC")
    second = _concern_with_vehicle(school_practitioner, "Beth", "yx1??bc")
    report_import(partnership, "I-1", vehicles=[{"ref": "v1", "plate": "YX12 ABC"}])
    mentions = [f"concern-{first.pk}/v1", f"concern-{second.pk}/v1", "I-1/v1"]
    vehicles = {_entity_of(m) for m in mentions}
    assert len(vehicles) == 1 and None not in vehicles
    alert = Alert.objects.get(kind="links_second_child")
    assert alert.entity_id == vehicles.pop() and alert.children_linked == 2
    # An analyst undoes one resolution; it stays undone after a run replays everything.
    pair = LinkSuggestion.objects.get(mention_id="I-1/v1", target_mention_id=mentions[0])
    assert pair.status == SuggestionStatus.RESOLVED
    services.suggestion_reject(actor=police_analyst, suggestion=pair)
    assert _entity_of("I-1/v1") != _entity_of(mentions[0])
    services.links_run(partnership=partnership)
    assert _entity_of("I-1/v1") != _entity_of(mentions[0])
    assert _entity_of(mentions[0]) == _entity_of(mentions[1]) is not None


def test_a_report_corrected_on_re_import_leaves_the_entity_it_no_longer_matches(partnership):
    # A partner system corrects a report: the phone was someone else's. The engine's earlier
    # join no longer holds, and the corrected mention is compared afresh.
    report_import(partnership, "R-1", phones=[{"ref": "t1", "number": "07700 900555"}])
    report_import(partnership, "R-2", phones=[{"ref": "t1", "number": "07700 900555"}])
    assert _entity_of("R-1/t1") == _entity_of("R-2/t1") is not None
    report_import(
        partnership, "R-2", text="Corrected.", phones=[{"ref": "t1", "number": "07700 900556"}]
    )
    assert _entity_of("R-2/t1") is None
    assert not LinkSuggestion.objects.filter(mention_id="R-2/t1").exists()
    # Corrected back: joined again, into the entity it was in, whose reference holds.
    kept = _entity_of("R-1/t1")
    report_import(
        partnership,
        "R-2",
        text="Corrected again.",
        phones=[{"ref": "t1", "number": "07700 900555"}],
    )
    assert _entity_of("R-2/t1") == _entity_of("R-1/t1") == kept


def test_an_analysts_split_survives_a_re_import(partnership, police_analyst):
    report_import(partnership, "R-1", phones=[{"ref": "t1", "number": "07700 900555"}])
    report_import(partnership, "R-2", phones=[{"ref": "t1", "number": "07700 900555"}])
    joined = Entity.objects.get(pk=_entity_of("R-2/t1"))
    services.mention_split(actor=police_analyst, entity=joined, mention_id="R-2/t1")
    split_into = _entity_of("R-2/t1")
    report_import(
        partnership, "R-2", text="Seen again.", phones=[{"ref": "t1", "number": "07700 900555"}]
    )
    placed = MentionEntity.objects.get(mention_id="R-2/t1")
    assert (placed.entity_id, placed.assigned_by) == (split_into, AssignedBy.ANALYST)
    assert split_into != joined.pk


def test_a_further_child_alert_names_what_is_new_not_everything_again(partnership, police_analyst):
    phone = [{"ref": "t1", "number": "07700 900321"}]
    for n, (name, born) in enumerate(
        [("Ella Brook", "2011-02-03"), ("Maya Stone", "2012-04-05"), ("Zara Flint", "2010-06-07")],
        1,
    ):
        report_import(
            partnership, f"F-{n}", phones=phone, children=[{"ref": "c1", "name": name, "dob": born}]
        )
    first, second = Alert.objects.order_by("pk")
    assert (first.children_linked, second.children_linked) == (2, 3)
    assert set(first.mentions.values_list("mention_id", flat=True)) == {
        "F-1/t1",
        "F-1/c1",
        "F-2/t1",
        "F-2/c1",
    }
    assert set(second.mentions.values_list("mention_id", flat=True)) == {"F-3/t1", "F-3/c1"}


@pytest.mark.parametrize(
    "hub_mentions", [alerts.HUB_MENTIONS, 1], ids=["read-whole-entity", "read-what-arrived"]
)
def test_a_busy_phone_alerts_on_each_further_child_and_not_on_a_child_it_already_has(
    school_practitioner, police_analyst, monkeypatch, hub_mentions
):
    # A phone named in many concerns is checked by what each new concern adds to it, not by
    # reading every concern again: the CSE team must get the same alerts, with the same counts.
    monkeypatch.setattr(alerts, "HUB_MENTIONS", hub_mentions)
    ella, maya, zara, noor = (
        cast(Child, ChildFactory(created_by=school_practitioner, given_name=name))
        for name in ("Ella", "Maya", "Zara", "Noor")
    )
    phone = concerns.Involved(phones=[{"number": "07700 900654"}])
    made = [
        f"concern-{_concern_submitted(school_practitioner, child, phone).pk}"
        for child in (ella, maya, zara, ella, noor)
    ]
    raised = list(Alert.objects.order_by("pk"))
    assert [a.children_linked for a in raised] == [2, 3, 4]
    named = [set(a.mentions.values_list("mention_id", flat=True)) for a in raised]
    assert named[1] == {f"{made[2]}/t1", f"{made[2]}/c1"}
    # Read whole, the last alert also names the fourth concern, which named the phone beside
    # Ella again after the alert before; read by what arrived, only the concern that brought
    # the new child.
    between = {f"{made[3]}/t1", f"{made[3]}/c1"} if hub_mentions > 1 else set()
    assert named[2] == {f"{made[4]}/t1", f"{made[4]}/c1", *between}
    assert AuditEvent.objects.filter(target_type="link_alert").count() == 3


def test_a_concern_linking_several_things_to_further_children_sends_one_email(
    school_practitioner, police_analyst, django_capture_on_commit_callbacks
):
    first, second = (
        cast(Child, ChildFactory(created_by=school_practitioner, given_name=name))
        for name in ("Ruby", "Skye")
    )
    involved = concerns.Involved(
        phones=[{"number": "07700 900777"}], vehicles=[{"plate": "KP19 WXY"}]
    )
    for child in (first, second):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            _concern_submitted(school_practitioner, child, involved)
    assert Alert.objects.count() == 2
    assert [m.to for m in mail.outbox] == [[police_analyst.email]]
    message = mail.outbox[0]
    assert message.subject == "CSE Hub: 2 new links to check"
    assert "a phone now connects to 2 different children" in message.body
    assert "a vehicle now connects to 2 different children" in message.body
    assert "Ruby" not in message.body and "KP19" not in message.body


def test_a_plate_seen_in_many_reports_is_joined_by_its_newest_mentions_not_all_of_them(
    partnership, school_practitioner
):
    from csehub.linking.engine.index import MAX_PER_IDENTIFIER

    plate = [{"ref": "v1", "plate": "KP19 WXZ"}]
    for n in range(1, MAX_PER_IDENTIFIER + 6):
        report_import(partnership, f"M-{n}", vehicles=plate)
    car = _entity_of("M-1/v1")
    assert car is not None
    report_import(partnership, "M-NEW", vehicles=[{"ref": "v1", "plate": "kp19wxz"}])
    assert _entity_of("M-NEW/v1") == car
    # The arrival pairs it with the newest few mentions of the plate, which already sit in
    # one vehicle: a plate named thousands of times costs no more than one named thirty times.
    paired = set(
        LinkSuggestion.objects.filter(mention_id="M-NEW/v1").values_list(
            "target_mention_id", flat=True
        )
    )
    newest = {f"M-{n}/v1" for n in range(6, MAX_PER_IDENTIFIER + 6)}
    assert paired == newest
    # A concern naming it, linked on arrival, the same way.
    concern = _concern_with_vehicle(school_practitioner, "Amy", "KP19 WXZ")
    mention_id = f"concern-{concern.pk}/v1"
    assert _entity_of(mention_id) == car
    paired = set(
        LinkSuggestion.objects.filter(mention_id=mention_id).values_list(
            "target_mention_id", flat=True
        )
    )
    assert len(paired) == MAX_PER_IDENTIFIER and "M-NEW/v1" in paired and "M-1/v1" not in paired


def test_the_alert_email_names_the_kind_of_thing_with_its_article(
    school_practitioner, police_analyst, django_capture_on_commit_callbacks
):
    # "connects an online account", not "a online account".
    first, second = (
        cast(Child, ChildFactory(created_by=school_practitioner, given_name=name))
        for name in ("Mia", "Lacey")
    )
    involved = concerns.Involved(online=[{"platform": "snapchat", "username": "quietfox_71"}])
    for child in (first, second):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            _concern_submitted(school_practitioner, child, involved)
    assert [m.to for m in mail.outbox] == [[police_analyst.email]]
    body = mail.outbox[0].body
    assert "connects an online account to 2 different children." in body
    assert "quietfox" not in body and "Lacey" not in body
