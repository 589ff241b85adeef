"""Sections other apps add to a child's page (risk over time, referrals, ...).

A provider gets the child and the user and returns a section, or None when it has nothing the
user may see. It reads through its own app's selectors, so scope is applied there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from csehub.accounts.models import User
from csehub.registry import Registry

from .models import Child


@dataclass(frozen=True)
class ChildPageSection:
    template: str  # included with the section's context as `section`
    order: int = 100
    context: dict[str, Any] = field(default_factory=dict)


ChildSectionProvider = Callable[[Child, User], ChildPageSection | None]

_providers = Registry[ChildSectionProvider]("child page sections")


def register_child_section(provider: ChildSectionProvider) -> ChildSectionProvider:
    """Add a provider (usable as a decorator). Registering the same one twice is harmless."""
    return _providers.register(provider)


def child_sections_for(*, child: Child, user: User) -> list[ChildPageSection]:
    sections = [s for s in (provider(child, user) for provider in _providers) if s is not None]
    return sorted(sections, key=lambda s: s.order)
