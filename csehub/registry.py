"""A registry other apps plug into, so that the app that owns it never imports them.

The children app keeps registries of chronology sources, page sections and scope providers;
the concerns app one of scope providers. Each is a `Registry` and exposes a `register_...`
function that the contributing app uses as a decorator, at import time (its AppConfig.ready).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    """Things registered in order, each once: importing a module again registers nothing new."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._items: list[T] = []

    def register(self, item: T) -> T:
        """Add `item` and hand it back, so that `@registry.register` works as a decorator."""
        if item not in self._items:
            self._items.append(item)
        return item

    def unregister(self, item: T) -> None:
        """Take `item` out again (tests that plug in a provider for a while). Absent is fine."""
        if item in self._items:
            self._items.remove(item)

    def __iter__(self) -> Iterator[T]:
        # A copy: a provider that registers another while the registry is read changes nothing.
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"<Registry {self.name}: {len(self._items)}>"
