"""The children app's registries (scopes, page sections, chronology sources) share one helper:
providers are kept in the order they registered, each once, and can be taken out again."""

from __future__ import annotations

from django.db.models import Q

from csehub.children import chronology, scopes, sections
from csehub.registry import Registry


def test_a_registry_keeps_order_and_ignores_a_second_registration():
    registry = Registry[str]("names")
    assert registry.register("first") == "first"
    registry.register("second")
    registry.register("first")
    assert list(registry) == ["first", "second"]
    registry.unregister("first")
    registry.unregister("never registered")
    assert list(registry) == ["second"] and len(registry) == 1


def test_the_children_registries_are_filled_by_other_apps_at_start_up():
    # Registered by the concerns, referrals and disclosures apps: children imports none of them.
    assert len(scopes._providers) >= 1
    assert len(sections._providers) >= 2
    assert len(chronology._sources) >= 3


def test_a_registered_scope_is_used_and_one_taken_out_is_not():
    def nobody(user):
        return Q(pk__in=[])

    scopes.register_child_scope(nobody)
    try:
        assert scopes.register_child_scope(nobody) is nobody
        assert len([p for p in scopes._providers if p is nobody]) == 1
    finally:
        scopes._providers.unregister(nobody)
    assert nobody not in list(scopes._providers)
