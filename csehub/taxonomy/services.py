"""Loading the vocabulary files into the database: the only writes the taxonomy app makes.

Codes are the identity of an item. Reloading updates an item in place (same primary key), adds
new ones and retires those that left the file; nothing is deleted, because other records point
at items with on_delete=PROTECT. A file that changed must carry a higher version.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from csehub.accounts.models import User
from csehub.audit.models import Verb
from csehub.audit.services import audit_record

from . import selectors
from .files import ItemSpec, TaxonomyFileError, VocabularySpec, vocabulary_files_check
from .models import Item, Vocabulary


@dataclass(frozen=True)
class VocabularyLoad:
    code: str
    version: int
    added: int
    updated: int
    retired: int
    unchanged: int

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.retired)


@dataclass(frozen=True)
class LoadReport:
    vocabularies: tuple[VocabularyLoad, ...]

    def for_code(self, code: str) -> VocabularyLoad:
        for load in self.vocabularies:
            if load.code == code:
                return load
        raise KeyError(code)


def _parent_key(item: Item) -> tuple[str, str] | None:
    if item.parent is None:
        return None
    return (item.parent.vocabulary.code, item.parent.code)


def _differs(item: Item, spec: ItemSpec, parent_vocabulary: str) -> bool:
    wanted_parent = (parent_vocabulary, spec.parent) if spec.parent else None
    return (
        item.is_retired
        or item.label != spec.label
        or item.explanation != spec.explanation
        or list(item.examples) != list(spec.examples)
        or item.significant != spec.significant
        or item.position != spec.position
        or _parent_key(item) != wanted_parent
    )


def _version_problem(vocabulary: Vocabulary | None, spec: VocabularySpec, changed: bool) -> str:
    if vocabulary is None:
        return ""
    if spec.version < vocabulary.version:
        return (
            f"{spec.file_name}: version {spec.version} is lower than the loaded version "
            f"{vocabulary.version}; give the file version {vocabulary.version + 1} or higher"
        )
    if changed and spec.version == vocabulary.version:
        return (
            f"{spec.file_name}: the file differs from what was loaded but its version is still "
            f"{spec.version}; raise it to {spec.version + 1}"
        )
    return ""


def _vocabulary_load(
    *, actor: User | None, spec: VocabularySpec, now: datetime.datetime
) -> VocabularyLoad:
    vocabulary = Vocabulary.objects.filter(code=spec.code).first()
    existing: dict[str, Item] = {}
    if vocabulary is not None:
        existing = {
            item.code: item
            for item in Item.objects.filter(vocabulary=vocabulary).select_related(
                "parent__vocabulary"
            )
        }
    wanted = {item.code for item in spec.items}
    to_add = [s for s in spec.items if s.code not in existing]
    to_update = {
        s.code
        for s in spec.items
        if s.code in existing and _differs(existing[s.code], s, spec.parent_vocabulary)
    }
    to_retire = [i for code, i in existing.items() if code not in wanted and not i.is_retired]
    header_changed = vocabulary is None or (
        vocabulary.name != spec.name
        or vocabulary.description != spec.description
        or vocabulary.position != spec.position
    )
    changed = bool(header_changed or to_add or to_update or to_retire)
    if problem := _version_problem(vocabulary, spec, changed):
        raise TaxonomyFileError([problem])

    if vocabulary is None:
        vocabulary = Vocabulary(code=spec.code)
    vocabulary.name = spec.name
    vocabulary.description = spec.description
    vocabulary.version = spec.version
    vocabulary.position = spec.position
    vocabulary.loaded_at = now
    vocabulary.full_clean()
    vocabulary.save()

    # Parents in this vocabulary are resolved as items are saved (parents come first);
    # parents in another vocabulary were loaded before this one.
    if spec.parent_vocabulary == spec.code:
        parents = existing
    else:
        parents = {i.code: i for i in selectors.items_for(spec.parent_vocabulary)}
    for item_spec in spec.items_parents_first():
        item = existing.get(item_spec.code)
        if item is not None and item_spec.code not in to_update:
            continue
        if item is None:
            item = Item(vocabulary=vocabulary, code=item_spec.code)
        item.label = item_spec.label
        item.explanation = item_spec.explanation
        item.examples = list(item_spec.examples)
        item.significant = item_spec.significant
        item.position = item_spec.position
        item.parent = parents[item_spec.parent] if item_spec.parent else None
        item.is_retired = False
        item.retired_at = None
        item.full_clean()
        item.save()
        existing[item.code] = item
    for item in to_retire:
        item.is_retired = True
        item.retired_at = now
        item.full_clean()
        item.save(update_fields=["is_retired", "retired_at"])

    load = VocabularyLoad(
        code=spec.code,
        version=spec.version,
        added=len(to_add),
        updated=len(to_update),
        retired=len(to_retire),
        unchanged=len(spec.items) - len(to_add) - len(to_update),
    )
    audit_record(
        actor=actor,
        verb=Verb.LOADED,
        target_type="vocabulary",
        target_id=spec.code,
        detail={
            "version": load.version,
            "added": load.added,
            "updated": load.updated,
            "retired": load.retired,
            "unchanged": load.unchanged,
        },
    )
    return load


@transaction.atomic
def taxonomy_load(*, actor: User | None = None, data_dir: Path | str | None = None) -> LoadReport:
    """Load every vocabulary file in data_dir (the shipped files by default).

    Raises TaxonomyFileError, naming the file and the item, and changes nothing when any file is
    invalid or has changed without a higher version. Vocabularies with no file in data_dir are
    left as they are.
    """
    specs = vocabulary_files_check(
        data_dir=Path(data_dir) if data_dir is not None else None,
        parent_codes=selectors.current_codes,
    )
    now = timezone.now()
    loads = tuple(_vocabulary_load(actor=actor, spec=spec, now=now) for spec in specs)
    return LoadReport(vocabularies=loads)
