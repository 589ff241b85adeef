"""Reading the versioned YAML data files (vocabulary, pathways, phrases, courses, ...).

One strict loader for all of them: safe YAML, and a key repeated in one mapping is an error
rather than silently keeping the last value, which would hide a mistake in a hand-edited file.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import yaml


class DataFileError(Exception):
    """One or more problems in a data file, each naming the file and the entry.

    Every problem is collected before raising, so whoever edits the file sees them all at once;
    nothing from a file with problems is loaded."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class StrictYamlLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key repeated in one mapping instead of keeping the last."""


def _mapping_without_duplicates(loader: StrictYamlLoader, node: yaml.MappingNode) -> Any:
    seen: set[Any] = set()
    for key_node, _value in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key {key!r} appears twice", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


StrictYamlLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates
)


def yaml_load_strict(text: str) -> Any:
    """Parse YAML text with StrictYamlLoader; raises yaml.YAMLError on any problem."""
    return yaml.load(text, Loader=StrictYamlLoader)  # noqa: S506 - a SafeLoader subclass
