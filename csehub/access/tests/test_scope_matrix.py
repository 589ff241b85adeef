"""The scope matrix with real records: record type x role x relationship, on pages and the API.

test_policy.py proves each URL is refused to roles without its permission. This proves the
scopes: with a real record of every type in every relationship to every role's user (built once
in csehub/testing/scenario.py), each page, export and API read answers

- "see": 200, and the record's marker (its child's name, the words of the concern, ...) shows;
- "404": as if it did not exist, nothing of it shows, and a denied audit event names the record;
- "403": the role lacks the permission: the page or API operation itself is refused, and the
  refusal is audited (see test_policy.py);
- "n/a": the relationship cannot exist for the role (it records no children, or has no team
  that receives referrals), so the scenario has no such record.

The tables are written out by hand from csehub/access/permissions.py (the scopes) and what the
selectors say each scope covers, so a reviewer can check each cell against the domain; nothing
here asks the selectors under test. Lists (pages and API) must show a record exactly where its
page opens; the referral work lists have their own table.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Max
from django.http import HttpResponse
from django.urls import reverse
from pypdf import PdfReader

from csehub.access.permissions import ROLE_PERMISSIONS, Permission
from csehub.accounts.models import Role, User
from csehub.audit.models import AuditEvent, Outcome
from csehub.referrals.models import Destination, Referral
from csehub.testing.scenario import Case, Relationship, Scenario, scenario_build

pytestmark = pytest.mark.django_db

SEE, HIDDEN, NO_ACCESS, NA = "see", "404", "403", "n/a"
Grid = dict[Role, dict[Relationship, str]]


def grid(text: str, values: set[str] | None = None) -> Grid:
    """A table with a header of relationships and one row per role."""
    header, *rows = [line.split() for line in text.strip().splitlines()]
    columns = [Relationship(name) for name in header]
    found = {Role(row[0]): dict(zip(columns, row[1:], strict=True)) for row in rows}
    assert set(found) == set(Role), f"roles missing from a table: {set(Role) - set(found)}"
    allowed = values or {SEE, HIDDEN, NO_ACCESS, NA}
    assert all(set(cells.values()) <= allowed for cells in found.values()), text
    return found


# ---------------------------------------------------------------------------------------------
# What each role may see. How each relationship's records are made: csehub/testing/scenario.py.
# ---------------------------------------------------------------------------------------------

# VIEW_CHILD: practitioner OWN (recorded it, or raised a concern about it); lead AGENCY; front
# door, MACE and missing coordinator ALL (every child reported missing comes to them); social
# worker ALLOCATED (and children they recorded); police desk REFERRED (children in referrals
# sent to the desk). Never another partnership's. Issue 9 defect 2 was front_door/own: ALL
# collapsed to "referred only" once any referral reached the front door's team, as one always
# has here.
CHILDREN = grid("""
                        own   same_agency  allocated  referred  other_agency  other_partnership
practitioner            see   404          404        n/a       404           404
safeguarding_lead       see   see          404        n/a       404           404
front_door              see   see          see        see       see           404
social_worker           see   404          see        see       404           404
police_referral_desk    n/a   404          404        see       404           404
police_analyst          n/a   403          403        n/a       403           403
mace_coordinator        n/a   see          see        n/a       see           404
missing_coordinator     see   see          see        n/a       see           404
partnership_admin       n/a   403          403        n/a       403           403
information_governance  n/a   403          403        n/a       403           403
""")

# VIEW_CONCERN, with the same scopes as VIEW_CHILD: OWN "raised by me", AGENCY "raised in my
# agency", ALLOCATED "raised by me or about my allocated child", REFERRED "in a referral to my
# team". (A draft is its author's alone; every concern here is submitted.)
CONCERNS = grid("""
                        own   same_agency  allocated  referred  other_agency  other_partnership
practitioner            see   404          404        n/a       404           404
safeguarding_lead       see   see          404        n/a       404           404
front_door              see   see          see        see       see           404
social_worker           see   404          see        see       404           404
police_referral_desk    n/a   404          404        see       404           404
police_analyst          n/a   403          403        n/a       403           403
mace_coordinator        n/a   see          see        n/a       see           404
missing_coordinator     see   404          404        n/a       404           404
partnership_admin       n/a   403          403        n/a       403           403
information_governance  n/a   403          403        n/a       403           403
""")

# A risk assessment is seen exactly where the concern it assesses is.
RISK_ASSESSMENTS = CONCERNS

# VIEW_REFERRAL: whoever made a referral or raised its concern sees it, and so does the team it
# was sent to; besides, a lead sees its agency's (AGENCY), a social worker those about allocated
# children (ALLOCATED), the MACE coordinator all (ALL). "own" for a role that cannot refer is a
# referral its lead made from the viewer's concern: the viewer is told of its progress and finds
# it under "Referrals about my concerns", so its page must open too.
REFERRALS = grid("""
                        own   same_agency  allocated  referred  other_agency  other_partnership
practitioner            see   404          404        n/a       404           404
safeguarding_lead       see   see          404        n/a       404           404
front_door              see   404          404        see       404           404
social_worker           see   404          see        see       404           404
police_referral_desk    n/a   404          404        see       404           404
police_analyst          n/a   403          403        n/a       403           403
mace_coordinator        n/a   see          see        n/a       see           404
missing_coordinator     see   404          404        n/a       404           404
partnership_admin       n/a   403          403        n/a       403           403
information_governance  n/a   403          403        n/a       403           403
""")

# VIEW_DISCLOSURE, the child's own words: OWN "recorded by me", AGENCY "recorded in my agency",
# ALLOCATED "about my allocated child". Not for the police desk or the MACE coordinator, who see
# the child and the referral but not what the child said (need to know).
DISCLOSURES = grid("""
                        own   same_agency  allocated  referred  other_agency  other_partnership
practitioner            see   404          404        n/a       404           404
safeguarding_lead       see   see          404        n/a       404           404
front_door              see   see          see        see       see           404
social_worker           see   404          see        see       404           404
police_referral_desk    n/a   403          403        403       403           403
police_analyst          n/a   403          403        n/a       403           403
mace_coordinator        n/a   403          403        n/a       403           403
missing_coordinator     see   404          404        n/a       404           404
partnership_admin       n/a   403          403        n/a       403           403
information_governance  n/a   403          403        n/a       403           403
""")

# SHARE_INTELLIGENCE (every role) reads what you shared (OWN), for a lead what the agency
# shared (AGENCY); GRADE_INTELLIGENCE lets a police analyst read everything (ALL).
INTELLIGENCE = grid("""
                        own   same_agency  allocated  referred  other_agency  other_partnership
practitioner            see   404          404        n/a       404           404
safeguarding_lead       see   see          404        n/a       404           404
front_door              see   404          404        404       404           404
social_worker           see   404          404        404       404           404
police_referral_desk    see   404          404        404       404           404
police_analyst          see   see          see        n/a       see           404
mace_coordinator        see   404          404        n/a       404           404
missing_coordinator     see   404          404        n/a       404           404
partnership_admin       see   404          404        n/a       404           404
information_governance  see   404          404        n/a       404           404
""")

# VIEW_LINKS: entities, the network and its exports are for police analysts only (ALL); a
# partner never learns what their intelligence was linked to, even from their own report.
LINKS = grid("""
                        own   same_agency  allocated  referred  other_agency  other_partnership
practitioner            403   403          403        n/a       403           403
safeguarding_lead       403   403          403        n/a       403           403
front_door              403   403          403        403       403           403
social_worker           403   403          403        403       403           403
police_referral_desk    403   403          403        403       403           403
police_analyst          see   see          see        n/a       see           404
mace_coordinator        403   403          403        n/a       403           403
missing_coordinator     403   403          403        n/a       403           403
partnership_admin       403   403          403        n/a       403           403
information_governance  403   403          403        n/a       403           403
""")

# VIEW_NETWORK: the network views and exports, as LINKS, and for the MACE coordinator too (the
# panel needs them); entity pages stay the CSE team's.
NETWORK = grid("""
                        own   same_agency  allocated  referred  other_agency  other_partnership
practitioner            403   403          403        n/a       403           403
safeguarding_lead       403   403          403        n/a       403           403
front_door              403   403          403        403       403           403
social_worker           403   403          403        403       403           403
police_referral_desk    403   403          403        403       403           403
police_analyst          see   see          see        n/a       see           404
mace_coordinator        see   see          see        n/a       see           404
missing_coordinator     403   403          403        n/a       403           403
partnership_admin       403   403          403        n/a       403           403
information_governance  403   403          403        n/a       403           403
""")

# Which referral work list shows the referral: "team" (Referrals to my team), "made" (Referrals
# my agency made / about my concerns) or "-" (neither: a social worker finds referrals about an
# allocated child, and the MACE coordinator the partnership's, on the child's page).
REFERRAL_WORK_LISTS = grid(
    """
                        own   same_agency  allocated  referred  other_agency  other_partnership
practitioner            made  -            -          n/a       -             -
safeguarding_lead       made  made         -          n/a       -             -
front_door              made  -            -          team      -             -
social_worker           made  -            -          team      -             -
police_referral_desk    n/a   -            -          team      -             -
police_analyst          n/a   -            -          n/a       -             -
mace_coordinator        n/a   made         -          n/a       -             -
missing_coordinator     made  -            -          n/a       -             -
partnership_admin       n/a   -            -          n/a       -             -
information_governance  n/a   -            -          n/a       -             -
""",
    values={"team", "made", "-", NA},
)


# ---------------------------------------------------------------------------------------------
# Record types: where each is read, and how to tell it is the one on the page
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    name: str
    expected: Grid
    record: Callable[[Case], Any]
    marker: Callable[[Case], str]
    pages: tuple[str, ...]  # view names; each takes the record's pk (or entity reference)
    target_type: str  # what a 404 is audited as
    api: str = ""  # the API read of one record, "/children/{pk}"
    api_operation: str = ""  # what refusing the API operation is audited as
    by_reference: bool = False

    def arg(self, record: Any) -> object:
        return record.reference if self.by_reference else record.pk


KINDS = (
    Kind(
        "child",
        CHILDREN,
        record=lambda c: c.child,
        marker=lambda c: c.child_marker,
        pages=("children:detail", "children:chronology-print"),
        target_type="child",
        api="/children/{pk}",
        api_operation="child_detail",
    ),
    Kind(
        "concern",
        CONCERNS,
        record=lambda c: c.concern,
        marker=lambda c: c.concern_marker,
        pages=("concerns:detail",),
        target_type="concern",
        api="/concerns/{pk}",
        api_operation="concern_detail",
    ),
    Kind(
        "risk assessment",
        RISK_ASSESSMENTS,
        record=lambda c: c.assessment,
        marker=lambda c: c.child_marker,
        pages=("concerns:assessment",),
        target_type="risk_assessment",
        api="/assessments/{pk}",
        api_operation="assessment_detail",
    ),
    Kind(
        "referral",
        REFERRALS,
        record=lambda c: c.referral,
        marker=lambda c: c.referral_marker,
        pages=("referrals:detail",),
        target_type="referral",
        api="/referrals/{pk}",
        api_operation="referral_detail",
    ),
    Kind(
        "disclosure",
        DISCLOSURES,
        record=lambda c: c.disclosure,
        marker=lambda c: c.disclosure_marker,
        pages=("disclosures:detail",),
        target_type="disclosure",
        api="/disclosures/{pk}",
        api_operation="disclosure_detail",
    ),
    Kind(
        "intelligence report",
        INTELLIGENCE,
        record=lambda c: c.report,
        marker=lambda c: c.report_marker,
        pages=("intelligence:detail",),
        target_type="intelligence_report",
    ),
    Kind(
        "linking entity",
        LINKS,
        record=lambda c: c.entity,
        marker=lambda c: c.entity_marker,
        pages=("linking:entity",),
        target_type="link_entity",
    ),
    Kind(
        "network view and exports",
        NETWORK,
        record=lambda c: c.entity,
        marker=lambda c: c.entity_marker,
        pages=(
            "linking:network",
            "linking:network-nodes-csv",
            "linking:network-edges-csv",
            "linking:network-pdf",
        ),
        target_type="link_network",
        by_reference=True,
    ),
)


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[Scenario]:
    """The scenario, built once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield scenario_build()
        transaction.set_rollback(True)


def _cells(
    world: Scenario, expected: Grid
) -> Iterator[tuple[Role, Relationship, str, Case | None]]:
    for role in Role:
        for relationship in Relationship:
            yield role, relationship, expected[role][relationship], world.case(role, relationship)


def _last_event() -> int:
    # By id, not sequence: a row is numbered into the chain only after its transaction commits.
    return AuditEvent.objects.aggregate(last=Max("pk"))["last"] or 0


def _denied_since(after: int, user: User, target_type: str, target_id: object) -> bool:
    return AuditEvent.objects.filter(
        pk__gt=after,
        actor=user,
        outcome=Outcome.DENIED,
        target_type=target_type,
        target_id=str(target_id),
    ).exists()


def _text(response: HttpResponse) -> str:
    if response.get("Content-Type", "").startswith("application/pdf"):
        pages = PdfReader(io.BytesIO(response.content)).pages
        return "\n".join(page.extract_text() for page in pages)
    return response.content.decode(errors="replace")


def _wrong(
    response: HttpResponse,
    *,
    expect: str,
    marker: str,
    user: User,
    after: int,
    hidden_as: tuple[str, object],
    refused_as: tuple[str, object],
) -> str:
    """What differs from `expect` in the answer, or "" when it is as the table says."""
    status = response.status_code
    body = _text(response) if status == 200 else response.content.decode(errors="replace")
    if expect == SEE:
        if status != 200:
            return f"answered {status}, expected 200"
        return "" if marker in body else f"answered 200 without {marker!r}"
    wanted, (target_type, target_id) = (404, hidden_as) if expect == HIDDEN else (403, refused_as)
    if status != wanted:
        return f"answered {status}, expected {wanted}"
    if marker in body:
        return f"refused, yet shows {marker!r}"
    if not _denied_since(after, user, target_type, target_id):
        return f"no denied audit event for {target_type} {target_id}"
    return ""


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_each_role_opens_a_record_exactly_where_its_scope_reaches(world, kind):
    """Every page and export of the record type, and its API read, for every role and
    relationship: as the table says."""
    problems = []
    for role, relationship, expect, case in _cells(world, kind.expected):
        where = f"{kind.name} / {role} / {relationship}"
        record = kind.record(case) if case is not None else None
        if (expect == NA) != (record is None):
            problems.append(f"{where}: the table says {expect}; scenario record: {record}")
            continue
        if record is None:
            continue
        user, marker = world.viewers[role], kind.marker(case)
        hidden_as = (kind.target_type, record.pk)
        for view_name in kind.pages:
            after = _last_event()
            response = world.pages[role].get(reverse(view_name, args=[kind.arg(record)]))
            wrong = _wrong(
                response,
                expect=expect,
                marker=marker,
                user=user,
                after=after,
                hidden_as=hidden_as,
                refused_as=("page", view_name),
            )
            if wrong:
                problems.append(f"{where} / page {view_name}: {wrong}")
        if kind.api:
            path = "/api/v1" + kind.api.format(pk=record.pk)
            after = _last_event()
            response = world.api[role].get(path)
            wrong = _wrong(
                response,
                expect=expect,
                marker=f'"id": {record.pk},',
                user=user,
                after=after,
                hidden_as=hidden_as,
                refused_as=("api_operation", kind.api_operation),
            )
            if wrong:
                problems.append(f"{where} / API {path}: {wrong}")
    assert not problems, "cells that differ from the table:\n" + "\n".join(problems)


# ---------------------------------------------------------------------------------------------
# Lists
# ---------------------------------------------------------------------------------------------


def _kind(name: str) -> Kind:
    return next(k for k in KINDS if k.name == name)


def _page_list(view_name: str, link_to: str) -> Callable[[Scenario, Role], Callable[[Any], bool]]:
    """A list page: a record is on it when the page links to it."""

    def fetch(world: Scenario, role: Role) -> Callable[[Any], bool]:
        response = world.pages[role].get(reverse(view_name))
        assert response.status_code == 200, f"{view_name} for {role}: {response.status_code}"
        body = response.content.decode()
        return lambda record: f'href="{reverse(link_to, args=[record.pk])}"' in body

    return fetch


def _api_list(path: str) -> Callable[[Scenario, Role], Callable[[Any], bool]]:
    """An API list: a record is in it when its id is among the items."""

    def fetch(world: Scenario, role: Role) -> Callable[[Any], bool]:
        response = world.api[role].get(f"/api/v1{path}", {"limit": 200})
        assert response.status_code == 200, f"{path} for {role}: {response.status_code}"
        ids = {item["id"] for item in response.json()["items"]}
        return lambda record: record.pk in ids

    return fetch


def _where(table: Grid, *values: str) -> Callable[[Role, Relationship], bool]:
    return lambda role, relationship: table[role][relationship] in values


def _holds(permission: Permission, holds: bool = True) -> Callable[[Role], bool]:
    return lambda role: (permission in ROLE_PERMISSIONS[role]) == holds


@dataclass(frozen=True)
class Listing:
    name: str
    kind: Kind
    fetch: Callable[[Scenario, Role], Callable[[Any], bool]]
    shown: Callable[[Role, Relationship], bool]  # where the record should be on it
    for_role: Callable[[Role], bool]  # the roles whose list it is


LISTINGS = (
    Listing(
        "children list",
        _kind("child"),
        _page_list("children:list", "children:detail"),
        _where(CHILDREN, SEE),
        _holds(Permission.VIEW_CHILD),
    ),
    Listing(
        "concerns list",
        _kind("concern"),
        _page_list("concerns:list", "concerns:detail"),
        _where(CONCERNS, SEE),
        _holds(Permission.VIEW_CONCERN),
    ),
    Listing(
        "referrals to my team",
        _kind("referral"),
        _page_list("referrals:team", "referrals:detail"),
        _where(REFERRAL_WORK_LISTS, "team"),
        _holds(Permission.RECEIVE_REFERRAL),
    ),
    Listing(
        "referrals made",
        _kind("referral"),
        _page_list("referrals:made", "referrals:detail"),
        _where(REFERRAL_WORK_LISTS, "made"),
        _holds(Permission.VIEW_REFERRAL),
    ),
    Listing(
        "my shared intelligence",
        _kind("intelligence report"),
        _page_list("intelligence:mine", "intelligence:detail"),
        _where(INTELLIGENCE, SEE),
        _holds(Permission.GRADE_INTELLIGENCE, holds=False),
    ),
    Listing(
        "intelligence inbox",
        _kind("intelligence report"),
        _page_list("intelligence:inbox", "intelligence:grade"),
        _where(INTELLIGENCE, SEE),
        _holds(Permission.GRADE_INTELLIGENCE),
    ),
    Listing(
        "API children",
        _kind("child"),
        _api_list("/children"),
        _where(CHILDREN, SEE),
        _holds(Permission.VIEW_CHILD),
    ),
    Listing(
        "API concerns",
        _kind("concern"),
        _api_list("/concerns"),
        _where(CONCERNS, SEE),
        _holds(Permission.VIEW_CONCERN),
    ),
    Listing(
        "API referrals",
        _kind("referral"),
        _api_list("/referrals"),
        _where(REFERRALS, SEE),
        _holds(Permission.VIEW_REFERRAL),
    ),
    Listing(
        "API disclosures",
        _kind("disclosure"),
        _api_list("/disclosures"),
        _where(DISCLOSURES, SEE),
        _holds(Permission.VIEW_DISCLOSURE),
    ),
)


@pytest.mark.parametrize("listing", LISTINGS, ids=lambda listing: listing.name)
def test_a_list_shows_a_record_exactly_where_the_table_says(world, listing):
    problems = []
    for role in Role:
        if not listing.for_role(role):
            continue
        on_list = listing.fetch(world, role)
        for relationship in Relationship:
            case = world.case(role, relationship)
            record = listing.kind.record(case) if case is not None else None
            if record is None:
                continue
            expected, shown = listing.shown(role, relationship), on_list(record)
            if shown != expected:
                verb = "shows" if shown else "leaves out"
                problems.append(f"{listing.name} / {role} / {relationship}: {verb} the record")
    assert not problems, "lists that differ from the tables:\n" + "\n".join(problems)


# ---------------------------------------------------------------------------------------------
# The cells named in issue 9
# ---------------------------------------------------------------------------------------------


def test_the_front_door_keeps_its_own_child_once_a_referral_has_reached_its_team(world):
    """Issue 9 defect 2: with a referral at the front door, its ALL scope had narrowed to the
    children and concerns in referrals, so its own child and concern answered 404."""
    front_door = world.viewers[Role.FRONT_DOOR]
    assert Referral.objects.filter(
        destination=Destination.CHILDRENS_SOCIAL_CARE, to_agency=front_door.agency
    ).exists()
    own = world.case(Role.FRONT_DOOR, Relationship.OWN)
    other = world.case(Role.FRONT_DOOR, Relationship.OTHER_AGENCY)
    client = world.pages[Role.FRONT_DOOR]
    for url, marker in (
        (reverse("children:detail", args=[own.child.pk]), own.child_marker),
        (reverse("concerns:detail", args=[own.concern.pk]), own.concern_marker),
        (reverse("children:detail", args=[other.child.pk]), other.child_marker),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert marker in response.content.decode()


def test_every_table_has_a_cell_for_every_role_and_relationship():
    for kind in KINDS:
        assert {(r, rel) for r in kind.expected for rel in kind.expected[r]} == {
            (r, rel) for r in Role for rel in Relationship
        }, kind.name
