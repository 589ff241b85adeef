"""Bulk exchange: import, export, re-import, bad lines, and the generator."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from csehub.audit.models import AuditEvent
from csehub.intelligence.generator import generate_to
from csehub.intelligence.models import IntelligenceReport, PersonMention, VehicleMention
from csehub.intelligence.services import reports_import

EXAMPLE = {
    "id": "NL-2026-000123",
    "source": "North Lincs Youth Service",
    "submitted_at": "2026-03-01T14:20:00Z",
    "observed_at": "2026-02-28T21:00:00Z",
    "text": "Free text as the partner wrote it.",
    "children": [{"ref": "c1", "name": "Jane Doe", "dob": "2011-04-02"}],
    "persons": [
        {
            "ref": "p1",
            "name": "Daniel Smith",
            "nickname": "Danny D",
            "age_estimate": 25,
            "description": "tall, beard",
        }
    ],
    "vehicles": [{"ref": "v1", "plate": "YX1? ?BC", "make": "BMW", "colour": "black"}],
    "phones": [{"ref": "t1", "number": "07700 900123"}],
    "online": [{"ref": "u1", "platform": "snapchat", "username": "@danny_d22"}],
    "locations": [{"ref": "l1", "name": "Riverside Park", "address": "", "postcode": "DN15 6NL"}],
    "links": [{"from": "p1", "to": "v1", "kind": "seen_in"}],
}


def _lines(*reports) -> list[str]:
    return [r if isinstance(r, str) else json.dumps(r) for r in reports]


def _export(partnership) -> list[dict]:
    out = io.StringIO()
    call_command("intel", "export", "--partnership", partnership.slug, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]


def _comparable(data: dict) -> dict:
    """Missing and empty mean the same in the format."""
    out = {}
    for key, value in data.items():
        if isinstance(value, list):
            value = [{k: v for k, v in e.items() if v not in ("", None, False)} for e in value]
        if value not in ("", None, [], False):
            out[key] = value
    return out


@pytest.mark.django_db
def test_the_example_imports_with_one_row_per_mention(partnership):
    summary = reports_import(lines=_lines(EXAMPLE), partnership=partnership)
    assert (summary.imported, summary.skipped) == (1, [])
    report = IntelligenceReport.objects.get()
    mentions = report.mentions()
    assert [m.mention_id for m in mentions] == [
        "NL-2026-000123/c1",
        "NL-2026-000123/p1",
        "NL-2026-000123/v1",
        "NL-2026-000123/t1",
        "NL-2026-000123/u1",
        "NL-2026-000123/l1",
    ]
    vehicle = VehicleMention.objects.get()
    assert (vehicle.plate, vehicle.plate_normalised, vehicle.is_partial) == (
        "YX1? ?BC",
        "YX1??BC",
        True,
    )
    assert report.phones.get().e164 == "+447700900123"
    assert report.online.get().username_normalised == "danny_d22"
    assert report.locations.get().postcode_normalised == "DN15 6NL"
    assert report.links.get().kind == "seen_in"


@pytest.mark.django_db
def test_export_gives_back_what_was_imported_with_unknown_fields(partnership):
    with_unknown = {
        **EXAMPLE,
        "id": "NL-2026-000124",
        "risk_flag": {"level": "high"},
        "vehicles": [{"ref": "v1", "plate": "YX12 ABC", "model": "3 Series"}],
        "links": [{"from": "p1", "to": "v1", "kind": "drives", "confidence": 0.7}],
    }
    date_only = {"id": "X-1", "source": "Elsewhere", "observed_at": "2026-02-28"}
    reports_import(lines=_lines(EXAMPLE, with_unknown, date_only), partnership=partnership)
    exported = {(r["source"], r["id"]): r for r in _export(partnership)}
    for original in (EXAMPLE, with_unknown, date_only):
        assert _comparable(exported[(original["source"], original["id"])]) == _comparable(original)


@pytest.mark.django_db
def test_importing_the_same_file_again_creates_nothing(partnership):
    lines = _lines(EXAMPLE, {**EXAMPLE, "id": "NL-2026-000125"})
    reports_import(lines=lines, partnership=partnership)
    again = reports_import(lines=lines, partnership=partnership)
    assert (again.imported, again.unchanged, again.updated) == (0, 2, 0)
    assert IntelligenceReport.objects.count() == 2
    assert PersonMention.objects.count() == 2


@pytest.mark.django_db
def test_a_changed_line_replaces_what_the_report_said(partnership):
    reports_import(lines=_lines(EXAMPLE), partnership=partnership)
    changed = {**EXAMPLE, "vehicles": [{"ref": "v1", "plate": "YX12 ABC"}]}
    summary = reports_import(lines=_lines(changed), partnership=partnership)
    assert summary.updated == 1
    assert list(VehicleMention.objects.values_list("plate", flat=True)) == ["YX12 ABC"]


@pytest.mark.django_db
def test_bad_lines_are_reported_by_number_and_only_they_are_skipped(partnership):
    lines = _lines(
        EXAMPLE,
        "{not json",
        {"source": "No id here"},
        {"id": "A-1", "source": "S", "observed_at": "last Tuesday"},
        {"id": "A-2", "source": "S", "persons": {"ref": "p1"}},
        {"id": "A-3", "source": "S", "persons": [{"ref": "p1", "age_estimate": "old"}]},
        {"id": "A-4", "source": "S", "children": [{"ref": "c1", "dob": "2011-13-40"}]},
        {"id": "A-5", "source": "S", "persons": [{"ref": "p1"}], "phones": [{"ref": "p1"}]},
        "[1, 2]",
        EXAMPLE,
        {"id": "A-6", "source": "S"},
    )
    summary = reports_import(lines=lines, partnership=partnership)
    reasons = dict(summary.skipped)
    assert sorted(reasons) == [2, 3, 4, 5, 6, 7, 8, 9, 10]
    assert "not valid JSON" in reasons[2]
    assert "`id` is missing" in reasons[3]
    assert "`observed_at`" in reasons[4]
    assert "`persons` must be a list" in reasons[5]
    assert "age_estimate" in reasons[6]
    assert "dob" in reasons[7]
    assert "repeats the ref" in reasons[8]
    assert "JSON object" in reasons[9]
    assert "repeats the source and id of line 1" in reasons[10]
    assert summary.imported == 2


@pytest.mark.django_db
def test_the_import_command_prints_a_summary_and_the_bad_lines(partnership, tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(_lines(EXAMPLE, "oops")) + "\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "intel", "import", str(path), "--partnership", partnership.slug, stdout=out, stderr=err
    )
    assert "1 imported, 0 updated, 0 unchanged, 1 skipped" in out.getvalue()
    assert "line 2: skipped: not valid JSON" in err.getvalue()
    assert AuditEvent.objects.filter(target_type="intelligence_import").exists()


@pytest.mark.django_db
def test_source_agency_gives_the_reports_to_that_agency(partnership, school, tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(EXAMPLE) + "\n", encoding="utf-8")
    call_command(
        "intel",
        "import",
        str(path),
        "--partnership",
        partnership.slug,
        "--source-agency",
        school.name,
        stdout=io.StringIO(),
    )
    assert IntelligenceReport.objects.get().agency == school


def _generated(seed: int, reports: int = 50) -> tuple[str, str]:
    out, truth = io.StringIO(), io.StringIO()
    generate_to(reports=reports, seed=seed, output=out, truth_output=truth)
    return out.getvalue(), truth.getvalue()


def test_the_generator_is_deterministic_for_a_seed():
    assert _generated(5) == _generated(5)
    assert _generated(5) != _generated(6)


def test_the_generator_gives_truth_for_every_mention():
    lines, truth = _generated(3, reports=200)
    truth_rows = truth.splitlines()
    assert truth_rows[0] == "mention_id,entity_type,entity_id"
    mentions = set()
    for line in lines.splitlines():
        data = json.loads(line)
        for name in ("children", "persons", "vehicles", "phones", "online", "locations"):
            mentions |= {f"{data['id']}/{m['ref']}" for m in data.get(name, [])}
    assert {row.split(",")[0] for row in truth_rows[1:]} == mentions
    # Partial plates, nicknames and several phone formats all appear.
    assert "?" in lines and "+44 " in lines and "(0" in lines


@pytest.mark.django_db
def test_generated_reports_import_cleanly(partnership):
    lines, _ = _generated(9, reports=100)
    summary = reports_import(lines=lines.splitlines(), partnership=partnership, batch_size=30)
    assert (summary.imported, summary.skipped) == (100, [])
