import pytest
from django.core import mail

from csehub.audit.models import AuditEvent
from csehub.linking import services
from csehub.linking.models import (
    Alert,
    AssignedBy,
    LinkSuggestion,
    MentionEntity,
    SuggestionStatus,
)

from .helpers import report_import

pytestmark = pytest.mark.django_db


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


def test_a_partial_plate_is_only_suggested(partnership):
    report_import(partnership, "A-1", vehicles=[{"ref": "v1", "plate": "YX12 ABC"}])
    report_import(partnership, "A-2", vehicles=[{"ref": "v1", "plate": "YX1? ?BC"}])
    suggestion = LinkSuggestion.objects.get(mention_id="A-2/v1")
    assert suggestion.target_mention_id == "A-1/v1"
    assert suggestion.reasons.get().how == "partial_plate"
    assert not MentionEntity.objects.filter(mention_id="A-2/v1").exists()


def test_a_full_plate_arriving_later_finds_the_partial_seen_before(partnership):
    report_import(partnership, "A-1", vehicles=[{"ref": "v1", "plate": "YX1? ?BC"}])
    report_import(partnership, "A-2", vehicles=[{"ref": "v1", "plate": "YX12 ABC"}])
    assert LinkSuggestion.objects.filter(mention_id="A-2/v1", target_mention_id="A-1/v1").exists()


def test_children_are_never_merged_automatically(partnership):
    child = {"ref": "c1", "name": "Jessica Ashdown", "dob": "2011-04-02"}
    report_import(partnership, "A-1", children=[child])
    report_import(partnership, "A-2", children=[child])
    suggestion = LinkSuggestion.objects.get(mention_id="A-2/c1")
    assert suggestion.weight >= 0.9
    assert not MentionEntity.objects.filter(mention_id__in=["A-1/c1", "A-2/c1"]).exists()


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
    assert suggestion.status == SuggestionStatus.SUGGESTED
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
