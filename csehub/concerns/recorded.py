"""Signs of exploitation that CSE Hub already holds elsewhere, for the risk tool to count.

Another app registers a provider: (child, user, as_of) -> the signs it holds about the child
that the user may see (a missing episode, say). The risk tool shows them before anything is
ticked, and an assessment counts each one the practitioner did not tick themselves, keeping a
link back to where it came from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from csehub.accounts.models import User
from csehub.children.models import Child
from csehub.registry import Registry


@dataclass(frozen=True)
class RecordedSign:
    vocabulary: str  # the taxonomy vocabulary's code, e.g. "warning_signs"
    code: str  # the item's code, e.g. "missing_from_home_or_care"
    seen_on: dt.date
    what: str  # what the record says, as the assessment will show it
    source: str  # a registered source, e.g. "missing_episode"
    source_id: int

    @property
    def url(self) -> str:
        return recorded_url(self.source, self.source_id)

    @property
    def source_label(self) -> str:
        return SOURCES[self.source][0]


RecordedSignProvider = Callable[[Child, User, dt.date], list[RecordedSign]]

_providers = Registry[RecordedSignProvider]("recorded signs")
# source -> (how it reads, the URL name of its page, which takes the record's pk)
SOURCES: dict[str, tuple[str, str]] = {}


def register_recorded_signs(provider: RecordedSignProvider) -> RecordedSignProvider:
    """Add a provider (usable as a decorator). Registering the same one twice is harmless."""
    return _providers.register(provider)


def register_recorded_source(source: str, label: str, url_name: str) -> None:
    SOURCES[source] = (label, url_name)


def recorded_url(source: str, source_id: int) -> str:
    return reverse(SOURCES[source][1], kwargs={"pk": source_id}) if source in SOURCES else ""


def recorded_signs_for(*, child: Child, user: User, as_of: dt.date) -> list[RecordedSign]:
    """What the user may see that CSE Hub holds about the child and the risk tool counts."""
    return [sign for provider in _providers for sign in provider(child, user, as_of)]
