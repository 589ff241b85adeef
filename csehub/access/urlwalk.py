"""Every named URL pattern of the project, with sample arguments to build a URL from it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

_SAMPLES: dict[str, object] = {
    "int": 987654,
    "str": "no-such-record",
    "slug": "no-such-record",
    "uuid": uuid.UUID(int=987654),
    "path": "no/such/record",
}


@dataclass(frozen=True)
class NamedRoute:
    view_name: str
    sample_kwargs: dict[str, object]


def named_routes() -> Iterator[NamedRoute]:
    yield from _walk(get_resolver().url_patterns, namespace="", converters={})


def _walk(
    patterns: list[URLPattern | URLResolver], *, namespace: str, converters: dict[str, object]
) -> Iterator[NamedRoute]:
    for entry in patterns:
        found = dict(converters)
        for key, converter in getattr(entry.pattern, "converters", {}).items():
            name = type(converter).__name__.removesuffix("Converter").lower()
            found[key] = _SAMPLES.get(name, "no-such-record")
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, namespace=inner, converters=found)
        elif entry.name:
            yield NamedRoute(f"{namespace}{entry.name}", found)
