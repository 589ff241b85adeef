"""Factories for fictional partnerships, agencies and users."""

from __future__ import annotations

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from csehub.accounts.models import Agency, AgencyType, Partnership, Role, User

TEST_PASSWORD = "correct horse battery staple 42"  # noqa: S105 - tests only


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        django_get_or_create = ("slug",)

    slug = "testshire"
    name = "Testshire Safeguarding Children Partnership"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Test Agency {n}")
    agency_type = AgencyType.OTHER


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@agency.test")
    full_name = factory.Sequence(lambda n: f"Test User {n}")
    agency = factory.SubFactory(AgencyFactory)
    role = Role.PRACTITIONER

    @factory.post_generation
    def password(obj: User, create: bool, extracted: str | None, **kwargs: object) -> None:
        obj.set_password(extracted or TEST_PASSWORD)
        if create:
            obj.save()


def totp_device_for(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
