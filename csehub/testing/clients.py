"""Signing a Django test client in as a user who has passed both factors."""

from __future__ import annotations

import time

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from csehub.accounts.middleware import SIGNED_IN_AT
from csehub.accounts.models import User

from .factories import totp_device_for


def signed_in_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    device = totp_device_for(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[SIGNED_IN_AT] = time.time()
    session.save()
    return client
