"""The audited reads: a page of a list, one record, and the typed signed-in user."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from csehub.access.reads import audited_page, audited_record_or_404, record_or_404_unaudited
from csehub.access.request import request_user
from csehub.audit.models import AuditEvent, Outcome, Verb
from csehub.children.selectors import children_search
from csehub.concerns.selectors import concerns_visible_to
from csehub.testing.factories import ChildFactory, ConcernFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_agency_practitioner():
    return UserFactory(full_name="Owen Other")  # a practitioner of another agency


def _get(user, path="/", **params):
    request = RequestFactory().get(path, params)
    request.user = user
    return request


def test_a_list_records_the_ids_on_the_page_shown_and_no_others(school_practitioner):
    children = [ChildFactory(created_by=school_practitioner, family_name="Example") for _ in "abc"]
    request = _get(school_practitioner, q="Example", page="2")
    page = audited_page(
        request,
        children_search(user=school_practitioner, query="Example"),
        target_type="child",
        per_page=2,
    )
    shown = sorted(children, key=lambda c: (c.family_name, c.given_name, c.pk))[2:]
    assert page.rows == shown and page.number == 2 and page.count == 3
    event = AuditEvent.objects.filter(actor=school_practitioner).latest("pk")
    assert (event.verb, event.target_type) == (Verb.VIEWED, "child_list")
    assert event.detail == {"ids": [shown[0].pk]}


def test_page_links_keep_the_search_and_filters(school_practitioner):
    for _ in range(3):
        ChildFactory(created_by=school_practitioner)
    request = _get(school_practitioner, q="Robin", page="1")
    page = audited_page(
        request,
        children_search(user=school_practitioner, query=""),
        target_type="child",
        per_page=1,
    )
    assert page.pagination is not None
    assert page.pagination["previous"] is None
    assert parse_qs(str(page.pagination["next"]).lstrip("?")) == {"q": ["Robin"], "page": ["2"]}
    assert [item["number"] for item in page.pagination["items"]] == [1, 2, 3]


def test_one_page_needs_no_page_links(school_practitioner):
    ChildFactory(created_by=school_practitioner)
    page = audited_page(
        _get(school_practitioner),
        children_search(user=school_practitioner, query=""),
        target_type="child",
    )
    assert page.pagination is None


def test_reading_a_record_names_it_and_the_child_it_is_about(school_practitioner):
    concern = ConcernFactory(raised_by=school_practitioner)
    found = audited_record_or_404(
        user=school_practitioner,
        visible=concerns_visible_to(user=school_practitioner),
        pk=concern.pk,
        target_type="concern",
    )
    assert found == concern
    event = AuditEvent.objects.filter(actor=school_practitioner).latest("pk")
    assert (event.verb, event.outcome) == (Verb.VIEWED, Outcome.ALLOWED)
    assert (event.target_type, event.target_id) == ("concern", str(concern.pk))
    assert event.child_id == concern.child_id


def test_missing_and_not_yours_answer_alike_and_both_attempts_are_recorded(
    school_practitioner, other_agency_practitioner
):
    theirs = ConcernFactory(raised_by=other_agency_practitioner)
    visible = concerns_visible_to(user=school_practitioner)
    for pk in (theirs.pk, theirs.pk + 1000):
        with pytest.raises(Http404):
            audited_record_or_404(
                user=school_practitioner, visible=visible, pk=pk, target_type="concern"
            )
    denied = AuditEvent.objects.filter(actor=school_practitioner, outcome=Outcome.DENIED)
    assert sorted(denied.values_list("target_id", flat=True)) == sorted(
        [str(theirs.pk), str(theirs.pk + 1000)]
    )


def test_an_unaudited_lookup_leaves_the_event_to_its_caller_but_still_records_a_denial(
    school_practitioner,
):
    concern = ConcernFactory(raised_by=school_practitioner)
    visible = concerns_visible_to(user=school_practitioner)
    record_or_404_unaudited(
        user=school_practitioner, visible=visible, pk=concern.pk, target_type="concern"
    )
    assert not AuditEvent.objects.filter(actor=school_practitioner).exists()
    with pytest.raises(Http404):
        record_or_404_unaudited(
            user=school_practitioner, visible=visible, pk=concern.pk + 1, target_type="concern"
        )
    assert AuditEvent.objects.get(actor=school_practitioner).outcome == Outcome.DENIED


def test_a_request_without_a_signed_in_user_is_refused(school_practitioner):
    assert request_user(_get(school_practitioner)) == school_practitioner
    with pytest.raises(PermissionDenied):
        request_user(_get(AnonymousUser()))
