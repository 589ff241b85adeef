"""Bulk exchange: import, export, re-import, bad lines, and the generator."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from csehub.audit.models import AuditEvent
from csehub.intelligence.generator import generate_to
from csehub.intelligence.management.commands.intel import SKIPPED_EXIT
from csehub.intelligence.models import IntelligenceReport, PersonMention, VehicleMention
from csehub.intelligence.services import reports_import


def _import_with_skips(*args: str, **streams: io.StringIO) -> CommandError:
    """Run `csehub intel import` on a file with bad lines: it imports the rest and exits
    SKIPPED_EXIT, so that a partner's script can tell."""
    with pytest.raises(CommandError) as raised:
        call_command("intel", "import", *args, **streams)
    assert raised.value.returncode == SKIPPED_EXIT
    return raised.value


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
    # Which entry has the ref already, not the ref itself (it may be written by hand).
    assert reasons[8] == "`phones[0].ref` repeats the ref of `persons[0]`"
    assert "JSON object" in reasons[9]
    assert "repeats the source and id of line 1" in reasons[10]
    assert summary.imported == 2


@pytest.mark.django_db
def test_the_import_command_lists_the_bad_lines_in_the_order_of_the_file(partnership, tmp_path):
    # Line 2 is refused when its batch is written, line 3 as it is read: listed 2, then 3.
    path = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"id": "R-1", "source": "Fernbridge Youth Service"}),
        json.dumps({"id": "R-1", "source": "Fernbridge Homes"}),
        "oops",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    err = io.StringIO()
    _import_with_skips(
        str(path), "--partnership", partnership.slug, stdout=io.StringIO(), stderr=err
    )
    skipped = [line for line in err.getvalue().splitlines() if "skipped" in line]
    assert [line.split(":")[0] for line in skipped] == ["line 2", "line 3"]
    assert "`id` is already used by a report from another source" in skipped[0]


@pytest.mark.django_db
def test_the_import_command_prints_a_summary_and_the_bad_lines(partnership, tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(_lines(EXAMPLE, "oops")) + "\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    error = _import_with_skips(str(path), "--partnership", partnership.slug, stdout=out, stderr=err)
    assert "1 imported, 0 updated, 0 unchanged, 1 skipped" in out.getvalue()
    assert str(error).startswith("1 of 2 lines were skipped (listed above)")
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


# ---------------------------------------------------------------------------------------------
# Lines a partner system gets wrong: each is skipped with its number and field, never the file
# ---------------------------------------------------------------------------------------------


def _numbered(count: int) -> list[dict]:
    return [{**EXAMPLE, "id": f"NL-2026-{n:06d}"} for n in range(1, count + 1)]


@pytest.mark.django_db
def test_a_line_that_is_not_utf8_is_named_and_only_it_is_skipped(partnership, tmp_path):
    lines = [json.dumps(r, ensure_ascii=False).encode("utf-8") for r in _numbered(25)]
    # Line 17 was written by a system using Windows-1252: "Zoë" with a bare \xeb.
    lines[16] = lines[16].replace(b"Free text", b"Zo\xeb said")
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    out, err = io.StringIO(), io.StringIO()
    _import_with_skips(
        str(path), "--partnership", partnership.slug, "--batch-size", "10", stdout=out, stderr=err
    )
    assert "24 imported, 0 updated, 0 unchanged, 1 skipped" in out.getvalue()
    assert "line 17: skipped: not UTF-8 text" in err.getvalue()
    assert "Zo" not in err.getvalue()  # the reason names the place, never the content
    imported = set(IntelligenceReport.objects.values_list("external_id", flat=True))
    assert "NL-2026-000017" not in imported and len(imported) == 24


@pytest.mark.django_db
def test_a_byte_order_mark_and_windows_line_ends_are_read(partnership, tmp_path):
    path = tmp_path / "in.jsonl"
    body = "\r\n".join(json.dumps(r) for r in _numbered(3)) + "\r\n"
    path.write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8"))
    out = io.StringIO()
    call_command("intel", "import", str(path), "--partnership", partnership.slug, stdout=out)
    assert "3 imported, 0 updated, 0 unchanged, 0 skipped" in out.getvalue()


@pytest.mark.django_db
def test_standard_input_with_a_bad_byte_skips_only_that_line(partnership, monkeypatch):
    data = b"\n".join(json.dumps(r).encode() for r in _numbered(3)).replace(b"NL-", b"\xff-", 1)
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    out, err = io.StringIO(), io.StringIO()
    _import_with_skips("-", "--partnership", partnership.slug, stdout=out, stderr=err)
    assert "2 imported, 0 updated, 0 unchanged, 1 skipped" in out.getvalue()
    assert "line 1: skipped: not UTF-8 text" in err.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"text": "x" * 20_001}, "`text` is longer than 20,000 characters"),
        ({"id": "N" * 101}, "`id` is longer than 100 characters"),
        ({"source": "S" * 201}, "`source` is longer than 200 characters"),
        (
            {"persons": [{"ref": "p1", "name": "Dan " * 51}]},
            "`persons[0].name` is longer than 200 characters",
        ),
        (
            {"persons": [{"ref": "p1", "description": "tall " * 2001}]},
            "`persons[0].description` is longer than 10,000 characters",
        ),
        (
            {"vehicles": [{"ref": "v1", "plate": "Y" * 41}]},
            "`vehicles[0].plate` is longer than 40 characters",
        ),
        (
            {"links": [{"from": "p1", "to": "v1", "kind": "k" * 101}]},
            "`links[0].kind` is longer than 100 characters",
        ),
    ],
)
def test_an_oversized_field_is_refused_with_its_line_and_field(partnership, change, reason):
    lines = _lines(*_numbered(2), {**EXAMPLE, "id": "BIG-1", **change})
    summary = reports_import(lines=lines, partnership=partnership)
    assert (summary.imported, summary.skipped) == (2, [(3, reason)])
    assert not IntelligenceReport.objects.filter(external_id="BIG-1").exists()


@pytest.mark.django_db
def test_a_huge_line_is_refused_without_reading_it_whole(partnership, tmp_path):
    path = tmp_path / "in.jsonl"
    huge = json.dumps({**EXAMPLE, "id": "HUGE-1", "notes": "x" * 3_000_000})
    path.write_text("\n".join([json.dumps(EXAMPLE), huge, json.dumps(_numbered(1)[0])]) + "\n")
    out, err = io.StringIO(), io.StringIO()
    _import_with_skips(str(path), "--partnership", partnership.slug, stdout=out, stderr=err)
    assert "2 imported, 0 updated, 0 unchanged, 1 skipped" in out.getvalue()
    assert "line 2: skipped: the line is longer than 2,000,000 bytes" in err.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            {"persons": [{"ref": "p1", "name": "Danny\tSmith"}]},
            "`persons[0].name` has a control character (a tab, line break or similar) at "
            "character 6",
        ),
        (
            {"children": [{"ref": "c1", "name": "Jane\x1b[31mDoe"}]},
            "`children[0].name` has a control character",
        ),
        ({"id": "NL-2026\n-1"}, "`id` has a control character"),
        (
            {"online": [{"ref": "u1", "username": "danny\u202e22"}]},
            "`online[0].username` has a control character",
        ),
        ({"text": "Seen at 9pm\x00 by the park"}, "`text` has a control character"),
    ],
)
def test_a_name_or_identifier_with_a_control_character_is_refused(partnership, change, reason):
    lines = _lines(EXAMPLE, {**EXAMPLE, "id": "CTRL-1", **change})
    summary = reports_import(lines=lines, partnership=partnership)
    assert summary.imported == 1
    assert [number for number, _ in summary.skipped] == [2]
    assert summary.skipped[0][1].startswith(reason)


@pytest.mark.django_db
def test_tabs_and_line_breaks_are_kept_in_narrative_text(partnership):
    text = "First seen:\tFriday\r\nThen again on Saturday"
    reports_import(lines=_lines({**EXAMPLE, "text": text}), partnership=partnership)
    assert IntelligenceReport.objects.get().text == text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"id": "A-1", "source": "S", "text": "\\ud800"}', "`text` has an unpaired surrogate"),
        ('{"id": "A-1", "source": "S", "note": "\\u0000"}', "`note` has a control character"),
        (
            '{"id": "A-1", "source": "S", "persons": [{"ref": "p1", "x": {"\\udfff": 1}}]}',
            'the name of the field `persons[0].x["\\udfff"]` has an unpaired surrogate',
        ),
        ('{"id": "A-1", "source": "S", "score": NaN}', "NaN is not a number JSON allows"),
        ('{"id": "A-1", "source": "S", "score": 1e400}', "not valid JSON"),
        ('{"id": "A-1", "source": "S", "n": ' + "9" * 5000 + "}", "not valid JSON"),
        ('{"id": "A-1", "source": "S", "x": ' + "[" * 5000 + "]" * 5000 + "}", "nested"),
        (
            '{"id": "A-1", "source": "S", "observed_at": "0001-01-01T00:00:00+01:00"}',
            "`observed_at` must be between 1900 and 2100",
        ),
        (
            '{"id": "A-1", "source": "S", "persons": [{"age_estimate": "\\u00b2"}]}',
            "`persons[0].age_estimate` must be a whole number",
        ),
    ],
)
def test_lines_that_once_stopped_the_import_are_skipped_with_a_reason(partnership, line, reason):
    summary = reports_import(lines=[json.dumps(EXAMPLE), line], partnership=partnership)
    assert summary.imported == 1
    assert [number for number, _ in summary.skipped] == [2]
    assert reason in summary.skipped[0][1]


@pytest.mark.django_db
def test_an_import_with_every_line_in_exits_0(partnership, tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in _numbered(3)) + "\n", encoding="utf-8")
    call_command(
        "intel", "import", str(path), "--partnership", partnership.slug, stdout=io.StringIO()
    )
    assert IntelligenceReport.objects.count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize("size", ["0", "-5", "ten", "10001"])
def test_a_batch_size_out_of_range_is_refused_before_anything_is_read(partnership, tmp_path, size):
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(EXAMPLE) + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match="--batch-size: must be a whole number from 1 to 10,000"):
        call_command(
            "intel", "import", str(path), "--partnership", partnership.slug, "--batch-size", size
        )
    assert not IntelligenceReport.objects.exists()


@pytest.mark.django_db
def test_a_link_must_name_mentions_of_its_own_report(partnership):
    base = {"source": "S", "persons": [{"ref": "p1"}], "vehicles": [{"plate": "YX12ABC"}]}
    lines = _lines(
        {**base, "id": "L-1", "links": [{"from": "p1", "to": "v1", "kind": "drives"}]},
        {**base, "id": "L-2", "links": [{"from": "p1", "to": "v9", "kind": "drives"}]},
        {**base, "id": "L-3", "links": [{"from": "Dean", "to": "v1"}]},
    )
    summary = reports_import(lines=lines, partnership=partnership)
    # The vehicle without a ref is given "v1", so the first link holds.
    assert summary.imported == 1
    assert dict(summary.skipped) == {
        2: "`links[0].to` names no entry of this report by its ref",
        3: "`links[0].from` names no entry of this report by its ref",
    }
    report = IntelligenceReport.objects.get(external_id="L-1")
    assert [(k.from_ref, k.to_ref, k.kind) for k in report.links.all()] == [("p1", "v1", "drives")]
