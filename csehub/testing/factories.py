"""Factories for fictional partnerships, agencies, users, children, concerns and panel meetings."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from csehub.accounts.models import Agency, AgencyType, Partnership, Role, User
from csehub.children.models import Child
from csehub.concerns.models import Concern, ConcernStatus
from csehub.mace.models import Meeting, MeetingKind, Panel

TEST_PASSWORD = "correct horse battery staple 42"  # noqa: S105 - tests only


class PartnershipFactory(factory.django.DjangoModelFactory[Partnership]):
    class Meta:
        model = Partnership
        django_get_or_create = ("slug",)

    slug = "testshire"
    name = "Testshire Safeguarding Children Partnership"


class AgencyFactory(factory.django.DjangoModelFactory[Agency]):
    class Meta:
        model = Agency

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Test Agency {n}")
    agency_type = AgencyType.OTHER


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@agency.test")
    full_name = factory.Sequence(lambda n: f"Test User {n}")
    agency = factory.SubFactory(AgencyFactory)
    partnership = factory.LazyAttribute(lambda o: o.agency.partnership)
    role = Role.PRACTITIONER

    @factory.post_generation
    def password(obj: User, create: bool, extracted: str | None, **kwargs: object) -> None:
        obj.set_password(extracted or TEST_PASSWORD)
        if create:
            obj.save()


def totp_device_for(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


class ChildFactory(factory.django.DjangoModelFactory[Child]):
    """A fictional child, recorded by a practitioner of a new agency unless told otherwise."""

    class Meta:
        model = Child

    created_by = factory.SubFactory(UserFactory)
    created_by_agency = factory.LazyAttribute(lambda o: o.created_by.agency)
    partnership = factory.LazyAttribute(lambda o: o.created_by_agency.partnership)
    given_name = factory.Sequence(lambda n: f"Robin{n}")
    family_name = "Example"
    age_estimate_years = 14


class ConcernFactory(factory.django.DjangoModelFactory[Concern]):
    """A submitted concern raised by `raised_by` (a new practitioner unless told otherwise)."""

    class Meta:
        model = Concern

    raised_by = factory.SubFactory(UserFactory)
    agency = factory.LazyAttribute(lambda o: o.raised_by.agency)
    child = factory.SubFactory(
        ChildFactory,
        created_by=factory.SelfAttribute("..raised_by"),
    )
    status = ConcernStatus.SUBMITTED
    how_known = "saw"
    what_was_seen = "Seen getting into a car with an older man after school."
    observed_on = factory.LazyFunction(datetime.date.today)
    submitted_at = factory.LazyFunction(timezone.now)


class PanelFactory(factory.django.DjangoModelFactory[Panel]):
    """A partnership's MACE panel (one per name, so tests share it)."""

    class Meta:
        model = Panel
        django_get_or_create = ("partnership", "name")

    partnership = factory.SubFactory(PartnershipFactory)
    name = "Testshire MACE panel"


class MeetingFactory(factory.django.DjangoModelFactory[Meeting]):
    """A case meeting of the panel, already held, with nothing on its agenda: enough for a MACE
    list decision to name it. Tests of the agenda use mace.services.meeting_create."""

    class Meta:
        model = Meeting

    panel = factory.SubFactory(PanelFactory)
    kind = MeetingKind.CASE
    held_on = datetime.date(2026, 11, 2)
    created_by = factory.SubFactory(
        UserFactory,
        role=Role.MACE_COORDINATOR,
        agency=factory.SubFactory(
            AgencyFactory, partnership=factory.SelfAttribute("...panel.partnership")
        ),
    )
