"""The partnership's pledge and the invitations it sends."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Pledge(models.Model):
    """A user's pledge to find out more, complete the course and tell five people."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pledge"
    )
    taken_at = models.DateTimeField(default=timezone.now)
    found_out_more = models.BooleanField(default=False)
    completed_course = models.BooleanField(default=False)
    told_five_people = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"pledge {self.pk}"


class PledgeInvitation(models.Model):
    inviter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pledge_invitations"
    )
    email = models.EmailField()
    sent_at = models.DateTimeField(default=timezone.now)
    token = models.CharField(max_length=64, unique=True)
    accepted_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    # The invited person went on to complete the course.
    completed = models.BooleanField(default=False)
    # The link stops working after this (None: sent before links expired, so never public).
    expires_at = models.DateTimeField(null=True, blank=True)
    # Taken on the public page, without an account. One pledge per link: a forwarded link
    # cannot be used to inflate the count.
    pledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"pledge invitation {self.pk}"
