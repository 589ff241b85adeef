"""`{% if user|may_open:"children:create" %}`: show a link only to those the policy lets in."""

from __future__ import annotations

from django import template
from django.contrib.auth.models import AnonymousUser

from csehub.accounts import navigation
from csehub.accounts.models import User

register = template.Library()


@register.filter
def may_open(user: User | AnonymousUser, url_name: str) -> bool:
    return navigation.may_open(user, url_name)
