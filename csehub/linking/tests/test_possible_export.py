"""`csehub link export --with-possible`: the pairs left for people to judge."""

import csv

import pytest
from django.core.management import call_command

from csehub.audit.models import AuditEvent, Verb
from csehub.linking.models import LinkSuggestion, SuggestionStatus

pytestmark = pytest.mark.django_db


def _read(path):
    with path.open(encoding="utf-8") as rows:
        return list(csv.DictReader(rows))


def test_the_open_possible_pairs_are_written_strongest_first(tmp_path, partnership):
    source = tmp_path / "gen.jsonl"
    call_command("intel", "generate", str(source), "--reports", "120", "--seed", "3")
    call_command("intel", "import", str(source), "--partnership", partnership.slug)
    open_pairs = LinkSuggestion.objects.filter(
        partnership=partnership, status=SuggestionStatus.SUGGESTED
    )
    assert open_pairs.exists()  # the generated file leaves some pairs for analysts
    decided = open_pairs.first()
    decided.status = SuggestionStatus.REJECTED
    decided.save()

    links, possible = tmp_path / "links.csv", tmp_path / "possible.csv"
    call_command("link", "export", str(links), "--with-possible", str(possible))

    rows = _read(possible)
    assert list(rows[0]) == [
        "mention_id",
        "other_mention_id",
        "entity_type",
        "weight",
        "entity_id",
        "other_entity_id",
        "reasons",
    ]
    expected = {(s.mention_id, s.target_mention_id) for s in open_pairs.all()}
    assert {(r["mention_id"], r["other_mention_id"]) for r in rows} == expected
    assert (decided.mention_id, decided.target_mention_id) not in expected
    weights = [float(r["weight"]) for r in rows]
    assert weights == sorted(weights, reverse=True)
    assert all(r["reasons"] for r in rows)
    # The entity ids are those of the main export, so the two files join.
    exported = {r["mention_id"]: r["entity_id"] for r in _read(links)}
    for row in rows:
        if row["entity_id"]:
            assert exported[row["mention_id"]] == row["entity_id"]
    assert AuditEvent.objects.filter(
        verb=Verb.EXPORTED, target_type="link_possible_export", target_id=partnership.slug
    ).exists()
