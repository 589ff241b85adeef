"""Properties of the parsers and normalisers, for any text at all (Hypothesis).

For every normaliser: no text makes it fail, normalising twice changes nothing, and what comes
out has the documented shape (and fits the column it is stored in). For the exchange format's
line parser: any line, as text or bytes, is a report or a LineError, and a report parsed is one
the database can store. Each `@example` is an input that once broke one of them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import string
from typing import Any

from django.db.models import Model
from hypothesis import example, given
from hypothesis import strategies as st

from csehub.children.matching import _similar
from csehub.intelligence.extract import SuggestionKind, extract
from csehub.intelligence.interchange import (
    LINE_MAX_BYTES,
    MENTION_FIELDS,
    LineError,
    ParsedReport,
    report_parse,
)
from csehub.intelligence.models import LocationMention, OnlineMention, PhoneMention
from csehub.intelligence.normalise import (
    given_name_variants,
    jaro_winkler,
    name_block_keys,
    name_keys,
    name_normalise,
    name_skeleton,
    phone_e164,
    place_name_key,
    place_name_normalise,
    plate_confusable_key,
    plate_confusable_variants,
    plate_is_partial,
    plate_matches,
    plate_normalise,
    plate_pattern_fits,
    platform_normalise,
    postcode_normalise,
    username_normalise,
    vehicle_colour_key,
    vehicle_make_key,
)
from csehub.intelligence.validators import (
    PLATE_MAX,
    TEXT_MAX,
    refused_character,
    unstorable_character,
)

from .strategies import (
    AWKWARD,
    HUGE_TEXT,
    PROPERTIES,
    mixed,
    name_text,
    phone_text,
    plate_text,
    plates_with_partials,
    postcode_text,
    short,
    username_text,
)


def _column(model: type[Model], name: str) -> int:
    length = getattr(model._meta.get_field(name), "max_length", None)
    assert isinstance(length, int)
    return length


# ---------------------------------------------------------------------------------------------
# Registration plates, full and partial
# ---------------------------------------------------------------------------------------------

PLATE_SHAPE = re.compile(r"[A-Z0-9?*]*")


@PROPERTIES
@given(plate_text)
@example("ß" * 40)  # upper-cased to "SS": a plate of 40 characters normalised to 80
@example("\ufb03")  # the ligature ffi, upper-cased to three letters
@example("A*A*A*A*A*A*A*A*A*A*A*A*A*A*A*A*A*B")  # a regex took hours over this one
def test_plate_normalise_is_idempotent_and_shaped(text):
    normal = plate_normalise(text)
    assert plate_normalise(normal) == normal
    assert PLATE_SHAPE.fullmatch(normal) and "**" not in normal
    assert normal == "" or any(c.isalnum() for c in normal)
    assert len(normal) <= len(text)  # so a written plate's column holds its normal form
    assert plate_is_partial(normal) == bool(set(normal) & set("?*"))
    assert plate_confusable_key(normal) == plate_confusable_key(text)
    assert plate_confusable_key(plate_confusable_key(text)) == plate_confusable_key(text)
    written = text[:PLATE_MAX]  # as the column holds it: variants grow with the length
    variants = plate_confusable_variants(written)
    assert len(variants) <= 128 and (plate_normalise(written) in variants or not variants)
    # Anything that is a plate at all fits itself.
    assert plate_matches(text, text) is bool(normal)


@PROPERTIES
@given(plates_with_partials())
@example(("YX12 ABC", "*YX1*"))
def test_a_partial_plate_made_from_a_plate_matches_it(drawn):
    plate, partial = drawn
    assert plate_matches(partial, plate)
    assert plate_matches(partial, plate, confusable=True)
    assert plate_matches(plate, plate) and not plate_is_partial(plate_normalise(plate))


def _as_regex(pattern: str) -> str:
    return "".join("." if c == "?" else ".*" if c == "*" else re.escape(c) for c in pattern)


@PROPERTIES
@given(st.text(alphabet="AB8?*", max_size=12), st.text(alphabet="AB8?*", max_size=12))
@example("?*", "")
@example("A*", "A")
@example("*A*A", "AA")
def test_plate_pattern_fits_agrees_with_a_regular_expression(pattern, plate):
    expected = re.fullmatch(_as_regex(pattern), plate, re.S) is not None
    assert plate_pattern_fits(pattern, plate) is expected


def test_a_pattern_of_many_runs_is_matched_without_backtracking():
    # A regular expression took seconds over this, and hours with a few more runs.
    assert not plate_matches("A*A*A*A*A*A*A*A*A*A*A*A*A*A*A*A*A*B", "A" * 39 + "C")
    assert plate_matches("A*A*A*A*A*A*A*A*A*A*A*A*A*A*A*A*A*B", "A" * 39 + "B")


# ---------------------------------------------------------------------------------------------
# Identifiers: phone numbers, postcodes, usernames and platforms. One test for the three, each
# normaliser run on every example (phone-, postcode- and username-like text in turn).
# ---------------------------------------------------------------------------------------------

E164 = re.compile(r"\+[1-9][0-9]{6,14}")
POSTCODE_SHAPE = re.compile(r"(?:[A-Z]{1,2}[0-9][0-9A-Z]?|GIR) [0-9][A-Z]{2}")


@PROPERTIES
@given(phone_text | postcode_text | username_text)
@example("+44 7700 900123")
@example("07700 900123 ext 5")
@example("²²²²²²²²")
@example("dn15 6nl")
@example("\u0131p1 1aa")  # a dotless i upper-cases to I
@example(" @ @danny")  # a space between two @s: the second @ was kept, then removed next time
@example("@\u00a0@Danny")
@example("ß" * 200)  # case-folded to "ss": twice the length of its column
@example("Tik Tok")
def test_identifiers_normalise_idempotently_and_fit_their_columns(text):
    number = phone_e164(text)
    assert number == "" or E164.fullmatch(number)
    assert phone_e164(number) == number
    assert len(number) <= _column(PhoneMention, "e164")

    postcode = postcode_normalise(text)
    assert postcode == "" or POSTCODE_SHAPE.fullmatch(postcode)
    assert postcode_normalise(postcode) == postcode
    assert len(postcode) <= _column(LocationMention, "postcode_normalised")

    handle = username_normalise(text)
    assert username_normalise(handle) == handle
    assert handle == handle.casefold()
    assert not handle.startswith("@") and handle == handle.strip()
    assert len(handle) <= _column(OnlineMention, "username_normalised")
    platform = platform_normalise(text)
    assert platform_normalise(platform) == platform
    assert platform == " ".join(platform.split())


# ---------------------------------------------------------------------------------------------
# Names of people and places
# ---------------------------------------------------------------------------------------------


@PROPERTIES
@given(name_text)
@example("Zoë O'Neil-Smith ")
@example("İ")  # lower-cases to two characters, one of them combining
@example("ŉ")
@example("The Canal St. car-park")
@example("GRAY, Kai")  # "SURNAME, Given" is read as "given surname"
@example(", Kai")
@example("Gray,\u0301Kai")  # a combining accent after the comma: nothing of a name before it
def test_names_of_people_and_places_normalise_idempotently(text):
    name = name_normalise(text)
    assert name_normalise(name) == name
    assert name == " ".join(name.split()) and name == name.casefold()
    assert all(c.isalpha() or c == " " for c in name)
    assert name_keys(name) == name_keys(text)
    assert name_block_keys(name) == name_block_keys(text)
    assert set(name.split()) <= given_name_variants(text)
    for word in name.split()[:5]:
        skeleton = name_skeleton(word)
        assert name_skeleton(skeleton) == skeleton and skeleton[:1] == word[:1]
    place = place_name_normalise(text)
    assert place_name_normalise(place) == place
    assert place == " ".join(place.split())
    key = place_name_key(text)
    assert place_name_key(key) == key
    assert key.split() == sorted(key.split())


@PROPERTIES
@given(short(name_text, 60), short(name_text, 60))
@example("kayley", "kayleigh")
@example("abbc", "abcbac")  # difflib scored these 0.8 one way round and 0.6 the other
def test_name_similarity_is_bounded_and_symmetric(a, b):
    a, b = name_normalise(a), name_normalise(b)
    score = jaro_winkler(a, b)
    assert 0.0 <= score <= 1.0
    assert jaro_winkler(a, a) == 1.0
    # The duplicate-child warning must not depend on which of two records is the new one.
    left, right = given_name_variants(a), given_name_variants(b)
    assert _similar(left, right) == _similar(right, left)
    assert not left or _similar(left, left)


def test_a_name_written_surname_first_is_read_in_order():
    assert name_normalise("GRAY, Kai") == name_normalise("Kai Gray") == "kai gray"
    assert name_normalise("Smith, John Paul") == "john paul smith"
    assert name_normalise("Gray, Kai, Jr") == "gray kai jr"  # two commas: left in its order


@PROPERTIES
@given(name_text | plate_text)
@example("Mercedes-Benz")
@example("Citroën C3")
@example("Dark  Gray")
@example("\u01c5")  # a title-case letter: decomposes to an upper-case one
@example("ß")
def test_vehicle_makes_and_colours_normalise_idempotently(text):
    make, colour = vehicle_make_key(text), vehicle_colour_key(text)
    assert vehicle_make_key(make) == make and vehicle_colour_key(colour) == colour
    for key in (make, colour):
        assert key == "" or (len(key.split()) == 1 and all(c.isalnum() for c in key))


def test_makes_and_colours_written_differently_have_one_key():
    assert {vehicle_make_key(m) for m in ("VW", "Volkswagen Golf", "volks")} == {"volkswagen"}
    assert {vehicle_make_key(m) for m in ("Nissan", "nissan micra")} == {"nissan"}
    assert {vehicle_make_key(m) for m in ("Land Rover", "LANDROVER")} == {"landrover"}
    assert vehicle_make_key("Ford") != vehicle_make_key("Nissan")
    assert {vehicle_colour_key(c) for c in ("grey", "Gray", "dark grey")} == {"grey"}


# ---------------------------------------------------------------------------------------------
# Dates and times in the exchange format
# ---------------------------------------------------------------------------------------------


def _with(**fields: object) -> str:
    return json.dumps({"id": "P-1", "source": "Property tests", **fields})


def _parsed_or_refused(line: str | bytes) -> ParsedReport | None:
    try:
        return report_parse(line)
    except LineError:
        return None


@PROPERTIES
@given(
    mixed(
        ["2026-02-28", "T", "21:00", ":00", "Z", "+01:00", "-14:00", ".123456", "0001", "9999",
         "-13-40", " ", "2026-03-29T01:30:00"],
        string.digits + "-:T Z+.",
    )
)  # fmt: skip
@example("0001-01-01T00:00:00+01:00")  # out of the calendar when moved to UTC
@example("9999-12-31T23:59:59-01:00")
@example("2026-02-30")
def test_any_date_and_time_text_is_read_or_refused(text):
    parsed = _parsed_or_refused(_with(observed_at=text, children=[{"dob": text}]))
    if parsed is not None and parsed.observed_at is not None:
        assert parsed.observed_at.tzinfo is not None
        assert 1900 <= parsed.observed_at.year <= 2100
        assert parsed.observed_at.astimezone(dt.UTC)  # storable: in range in UTC too


@PROPERTIES
@given(
    st.datetimes(
        min_value=dt.datetime(1900, 1, 2),
        max_value=dt.datetime(2100, 12, 30),
        timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=-5))]),
    ),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
)
def test_dates_and_times_written_out_are_read_back_the_same(moment, day):
    written = moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    parsed = report_parse(_with(observed_at=written, children=[{"dob": day.isoformat()}]))
    assert parsed.observed_at == moment.replace(microsecond=0)
    assert parsed.observed_time_known
    assert parsed.mentions["children"][0]["dob"] == day
    alone = report_parse(_with(observed_at=day.isoformat()))
    assert (alone.observed_at.date(), alone.observed_time_known) == (day, False)


# ---------------------------------------------------------------------------------------------
# The exchange format's line parser
# ---------------------------------------------------------------------------------------------

# Any JSON: what a partner system might send in any field. A document is its id and source
# and a few other fields; kept small, as Hypothesis takes its time over large structures.
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.text(alphabet=AWKWARD, max_size=6)
)


def _nested(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)


json_values = st.recursive(scalars, _nested, max_leaves=4)
MENTION_KEYS = sorted({name for fields in MENTION_FIELDS.values() for name in fields} | {"ref"})
entries = st.dictionaries(
    st.sampled_from([*MENTION_KEYS, "from", "to", "kind", "x"]), scalars, max_size=3
)
REPORT_KEYS = ["text", "observed_at", "submitted_at", "how_known", *MENTION_FIELDS, "links", "x"]
report_documents = st.builds(
    lambda report_id, source, fields: {"id": report_id, "source": source, **fields},
    st.text(max_size=12) | scalars,
    st.text(max_size=8),
    st.dictionaries(
        st.sampled_from(REPORT_KEYS),
        scalars | st.lists(entries, max_size=2) | json_values,
        max_size=3,
    ),
)


def _storable(parsed: ParsedReport) -> None:
    """Every value fits its column and can be encoded for the database."""
    assert len(parsed.text) <= TEXT_MAX and not refused_character(parsed.text, multiline=True)
    assert not refused_character(parsed.external_id) and not refused_character(parsed.source)
    for rows in parsed.mentions.values():
        for row in rows:
            for name, value in row.items():
                if isinstance(value, str):
                    assert not unstorable_character(value), name
    documents = [parsed.extra, *(r["extra"] for rows in parsed.mentions.values() for r in rows)]
    for document in [*documents, *(link["extra"] for link in parsed.links)]:
        json.dumps(document, allow_nan=False).encode("utf-8")
    assert re.fullmatch(r"[0-9a-f]{64}", parsed.content_hash)


@PROPERTIES
@given(report_documents)
@example({"id": "A", "source": "S", "persons": [{"age_estimate": "²"}]})
@example({"id": "A", "source": "S", "text": "\ud800"})
@example({"id": "A", "source": "S", "x": {"\udfff": "\x00"}})
def test_any_json_report_is_parsed_storably_or_refused(document):
    parsed = _parsed_or_refused(json.dumps(document))
    if parsed is not None:
        _storable(parsed)


JSON_FRAGMENTS = [
    '{"id": ', '"A"', ', "source": "S"', "}", "[", "]", "NaN", "1e400", "-Infinity", "\\u0000",
    "\\ud800", '"', ":", ",", "\n", "\r", "\ufeff",
]  # fmt: skip
text_lines = st.text(max_size=200) | mixed(
    JSON_FRAGMENTS, '{}[]:,"0123456789.eE-', longest=HUGE_TEXT, huge_one_in=60
)
bytes_lines = st.binary(max_size=200) | text_lines.map(lambda t: t.encode("utf-8"))


@PROPERTIES
@given(text_lines | bytes_lines)
@example('{"id": "A", "source": "S", "n": ' + "9" * 5000 + "}")
@example('{"id": "A", "source": "S", "x": ' + "[" * 5000 + "]" * 5000 + "}")
@example('{"id": "A", "source": "S", "x": NaN}')
@example('\ufeff{"id": "A", "source": "S"}')
@example(b'{"id": "A", "source": "Zo\xeb"}')  # Windows-1252, not UTF-8
@example(b"\xef\xbb\xbf" + b'{"id": "A", "source": "S"}\r\n')
@example(b"x" * (LINE_MAX_BYTES + 1))
def test_any_line_of_text_or_bytes_is_a_report_or_a_line_error(line):
    parsed = _parsed_or_refused(line)
    if parsed is not None:
        _storable(parsed)


# ---------------------------------------------------------------------------------------------
# Details found in free text
# ---------------------------------------------------------------------------------------------

EXTRACT_FRAGMENTS = [
    "called ", "named ", "known as ", "they call him ", "'", '"', "\u2018", "\u2019", "Danny",
    " D", "  ", "\t", "Big  Mo", "snap: ", "snap ", "\u017fnap: ", "Snap is ", "insta - ", "@",
    "danny_d22", "07700 900123", "+44 7700 900123", "DN15 6NL", "dn15 6nl", "YX12 ABC",
    "YX1? ?BC", "starts with YX1", " and ends in BC", "partial plate ", "car ", "BMW ", ". ",
    ", ", "x@example.org", "The ", "Police",
]  # fmt: skip


@PROPERTIES
@given(
    mixed(
        EXTRACT_FRAGMENTS,
        string.ascii_letters + string.digits + " ",
        max_pieces=12,
        longest=HUGE_TEXT,
        huge_one_in=60,  # finding details in a whole report's text takes its time
    )
)
@example("known as 'Big  Mo'")  # two spaces: the name found was not in the text as written
@example("\u017fnap: danny_d22")  # the long s matches "s" ignoring case, but is not a platform
@example("they call him The  Don")
def test_details_are_found_in_any_text_where_they_are(text):
    found = extract(text)
    ends = 0
    for suggestion in found:
        assert text[suggestion.start : suggestion.end] == suggestion.written
        assert suggestion.start >= ends  # in order, without overlaps
        ends = suggestion.end
        if suggestion.kind == SuggestionKind.PLATE:
            assert plate_normalise(suggestion.value)
        elif suggestion.kind == SuggestionKind.PHONE:
            assert phone_e164(suggestion.value)
        elif suggestion.kind == SuggestionKind.POSTCODE:
            assert postcode_normalise(suggestion.value) == suggestion.value
    assert len({s.key for s in found}) == len(found)
