"""Who you are: the partnership, its agencies and their users."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class Partnership(models.Model):
    """A local safeguarding partnership: the council area whose agencies work together."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    is_example = models.BooleanField(
        default=False,
        help_text="An example configuration from a published source, not a live partnership.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AgencyType(models.TextChoices):
    POLICE = "police", "Police"
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
    SCHOOL = "school", "School or education setting"
    HEALTH = "health", "Health"
    YOUTH_SERVICE = "youth_service", "Youth service"
    HOUSING = "housing", "Housing"
    VOLUNTARY_SECTOR = "voluntary_sector", "Voluntary sector"
    BUSINESS = "business", "Business (hotel, taxi firm, licensed premises)"
    OTHER = "other", "Other"


class Agency(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(max_length=200)
    agency_type = models.CharField(max_length=32, choices=AgencyType.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(
                "partnership", Lower("name"), name="agency_name_unique_in_partnership"
            ),
            models.CheckConstraint(
                condition=models.Q(agency_type__in=AgencyType.values), name="agency_type_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    SAFEGUARDING_LEAD = "safeguarding_lead", "Agency safeguarding lead"
    FRONT_DOOR = "front_door", "Children's social care front door"
    SOCIAL_WORKER = "social_worker", "Allocated social worker"
    POLICE_REFERRAL_DESK = "police_referral_desk", "Police referral desk"
    POLICE_ANALYST = "police_analyst", "Police intelligence analyst"
    MACE_COORDINATOR = "mace_coordinator", "Exploitation (MACE) coordinator"
    MISSING_COORDINATOR = "missing_coordinator", "Missing coordinator"
    PARTNERSHIP_ADMIN = "partnership_admin", "Partnership administrator"
    INFORMATION_GOVERNANCE = "information_governance", "Information governance"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if "partnership" not in extra and "partnership_id" not in extra and extra.get("agency"):
            extra["partnership"] = extra["agency"].partnership
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("role", Role.PARTNERSHIP_ADMIN)
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. One role each; the agency decides what "own agency" means."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    # Tenancy is a column: every user belongs to one partnership, and selectors filter by it
    # first. It is always the agency's partnership (clean() checks); it is kept on the user so
    # that it never has to be derived, and exists for the rare user with no agency.
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="users")
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="users", null=True, blank=True
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    team = models.CharField(max_length=120, blank=True)
    job_title = models.CharField(max_length=120, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    is_system_account = models.BooleanField(
        default=False,
        help_text="A partner system: calls the API with tokens and can never sign in to pages.",
    )
    is_demo = models.BooleanField(
        default=False, help_text="A fictional demo user; may skip MFA enrolment in demo mode."
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="user_role_valid"
            ),
            # Addresses are stored lower-cased; this keeps "A@x" and "a@x" from both existing.
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        if self.agency_id is not None and self.partnership_id is not None:
            agency_partnership = Agency.objects.filter(pk=self.agency_id).values_list(
                "partnership_id", flat=True
            )
            if agency_partnership.first() != self.partnership_id:
                raise ValidationError({"agency": "Choose an agency of the user's own partnership"})

    @property
    def can_use_service(self) -> bool:
        """Active, and so is their agency: making an agency inactive shuts out all its users."""
        return self.is_active and (self.agency is None or self.agency.is_active)


class SignInFailure(models.Model):
    """A failed sign-in, kept briefly to throttle guessing (accounts.services.throttle)."""

    username = models.CharField(max_length=254, db_index=True)
    ip_address = models.GenericIPAddressField(db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"failed sign-in at {self.at:%Y-%m-%d %H:%M}"
