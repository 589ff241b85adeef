"""Normal forms: plates, phones, usernames, postcodes and names."""

from __future__ import annotations

import pytest

from csehub.intelligence.normalise import (
    given_name_variants,
    jaro_winkler,
    name_block_keys,
    name_groups,
    name_keys,
    name_normalise,
    phone_e164,
    place_name_key,
    place_name_normalise,
    place_name_words,
    plate_confusable_key,
    plate_confusable_variants,
    plate_is_partial,
    plate_matches,
    plate_normalise,
    platform_normalise,
    postcode_normalise,
    username_normalise,
)


@pytest.mark.parametrize(
    ("written", "normal", "partial"),
    [
        ("yx12 abc", "YX12ABC", False),
        ("YX12-ABC", "YX12ABC", False),
        (" A123 BCD ", "A123BCD", False),
        ("ABC 123D", "ABC123D", False),
        ("YX1? ?BC", "YX1??BC", True),
        ("YX1_ _BC", "YX1??BC", True),
        ("YX1*", "YX1*", True),
        ("YX1**", "YX1*", True),
        ("starts with YX", "YX*", True),
        ("Starting with yx1", "YX1*", True),
        ("ends with BC", "*BC", True),
        ("ending in BC", "*BC", True),
        ("partial plate YX1", "*YX1*", True),
        ("???", "", False),
        ("", "", False),
    ],
)
def test_plates_are_normalised(written, normal, partial):
    assert plate_normalise(written) == normal
    assert plate_is_partial(plate_normalise(written)) is partial


def test_confusable_characters_share_one_key():
    assert plate_confusable_key("YX12 ABC") == plate_confusable_key("YXI2 A8C") == "YX12A8C"
    assert plate_confusable_key("SO55 ZZB") == plate_confusable_key("5055 228")
    assert plate_confusable_key("YX12 ABC") != plate_confusable_key("YX12 ABD")


def test_confusable_variants_include_every_reading():
    variants = plate_confusable_variants("B0")
    assert variants == {"B0", "BO", "80", "8O"}
    assert len(plate_confusable_variants("SO12 BZI")) <= 128


@pytest.mark.parametrize(
    ("pattern", "plate", "confusable", "matches"),
    [
        ("YX1? ?BC", "YX12 ABC", False, True),
        ("YX1? ?BC", "YX12 ABD", False, False),
        ("YX*", "YX12 ABC", False, True),
        ("*BC", "YX12 ABC", False, True),
        ("partial plate X12", "YX12 ABC", False, True),
        ("YX1? ?BC", "YXI2 A8C", False, False),
        ("YX1? ?BC", "YXI2 A8C", True, True),
        ("", "YX12 ABC", False, False),
    ],
)
def test_partial_plates_match_full_ones(pattern, plate, confusable, matches):
    assert plate_matches(pattern, plate, confusable=confusable) is matches


@pytest.mark.parametrize(
    ("written", "e164"),
    [
        ("07700 900123", "+447700900123"),
        ("07700900123", "+447700900123"),
        ("+44 7700 900123", "+447700900123"),
        ("+44 (0)7700 900123", "+447700900123"),
        ("0044 7700 900123", "+447700900123"),
        ("07700-900-123", "+447700900123"),
        ("(01632) 960123", "+441632960123"),
        ("01632 960 123", "+441632960123"),
        ("020 7946 0000", "+442079460000"),
        ("07700 90012", ""),  # one digit short
        ("2025", ""),
        ("16:30", ""),
        ("not a number", ""),
        ("", ""),
    ],
)
def test_phone_numbers_become_e164(written, e164):
    assert phone_e164(written) == e164


@pytest.mark.parametrize(
    ("written", "normal"),
    [("@Danny_D22", "danny_d22"), ("  danny_d22 ", "danny_d22"), ("@@Big.Mo", "big.mo"), ("", "")],
)
def test_usernames_are_case_folded_without_at(written, normal):
    assert username_normalise(written) == normal


@pytest.mark.parametrize(
    ("written", "normal"),
    [
        ("dn156nl", "DN15 6NL"),
        ("DN15 6NL", "DN15 6NL"),
        (" sw1a 1aa ", "SW1A 1AA"),
        ("EC1A1BB", "EC1A 1BB"),
        ("M1 1AE", "M1 1AE"),
        ("B33 8TH", "B33 8TH"),
        ("GIR 0AA", "GIR 0AA"),
        ("FB1 4QT", "FB1 4QT"),
        ("AB12 CDE", ""),  # a plate, not a postcode
        ("QX1 1AA", ""),  # Q never starts a postcode
        ("DN15 6CL", ""),  # C is never in the inward letters
        ("2025", ""),
        ("", ""),
    ],
)
def test_postcodes_are_standard_or_rejected(written, normal):
    assert postcode_normalise(written) == normal


def test_names_are_folded_and_stripped_of_accents():
    assert name_normalise("  Zoë O'Neil-Smith ") == "zoe oneilsmith"


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Danny Smith", "Daniel Smith"),
        ("Dan Smith", "Danny Smith"),
        ("Mohammed Khan", "Muhammad Khan"),
        ("Mohamed Khan", "Mo Khan"),
        ("Jon Ashdown", "Jonathan Ashdown"),
        ("John Ashdown", "Jon Ashdown"),
        ("Kate Marsh", "Catherine Marsh"),
        ("Katie Marsh", "Kathryn Marsh"),
        ("Ali Hussein", "Ali Hussain"),
        ("Imran Chaudhry", "Imran Chowdhury"),
        ("Bilal Mahmood", "Bilal Mahmud"),
        ("Danny", "Daniel"),
    ],
)
def test_nicknames_and_spellings_share_a_name_key(left, right):
    assert name_keys(left) & name_keys(right)


@pytest.mark.parametrize(
    ("left", "right"),
    [("Daniel Smith", "Daniel Jones"), ("Daniel Smith", "David Smith"), ("Alexander", "Alexandra")],
)
def test_different_names_do_not_share_a_key(left, right):
    assert not (name_keys(left) & name_keys(right))


def test_a_name_in_two_groups_is_a_variant_of_both():
    assert {"alexander", "alexandra"} <= given_name_variants("Alex")
    assert "alexandra" not in given_name_variants("Alexander")


def test_the_variant_table_has_at_least_forty_groups_of_two_or_more():
    groups = name_groups()
    assert len(groups) >= 40
    assert all(len(group) >= 2 for group in groups)


@pytest.mark.parametrize(
    ("written", "normal"),
    [
        ("Snapchat", "snapchat"),
        ("snap", "snapchat"),
        (" Insta ", "instagram"),
        ("IG", "instagram"),
        ("Tik Tok", "tiktok"),
        ("tik-tok", "tiktok"),
        ("Whats App", "whatsapp"),
        ("Some New App", "some new app"),
        ("", ""),
    ],
)
def test_platforms_are_named_one_way(written, normal):
    assert platform_normalise(written) == normal


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Canal St car park", "the Canal Street carpark"),
        ("Albion Bus Stn", "albion bus station"),
        ("McDonald's, Mill Ln", "mcdonalds mill lane"),
        ("Golden Fry Takeaway", "  golden fry takeaway "),
    ],
)
def test_place_names_written_differently_are_one_name(left, right):
    assert place_name_normalise(left) == place_name_normalise(right)


def test_place_names_keep_their_numbers():
    assert place_name_normalise("Unit 9, Mill Lane") == "unit 9 mill lane"
    assert place_name_normalise("Unit 9") != place_name_normalise("Unit 12")


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Billy Redfern", "William Redforn"),  # a nickname and a slip in the surname
        ("Daniel Whitcombe", "Danel Whitcombe"),  # a slip in the given name
        ("Mohammed Khan", "Muhammad Khan"),
    ],
)
def test_a_slip_in_one_word_still_finds_the_name(left, right):
    assert name_block_keys(left) & name_block_keys(right)


def test_block_keys_include_the_name_keys():
    assert name_keys("Danny Smith") <= name_block_keys("Danny Smith")
    assert not (name_block_keys("Daniel Smith") & name_block_keys("Thomas Jones"))


def test_jaro_winkler_scores_a_slip_high_and_a_different_name_low():
    assert jaro_winkler("martha", "marhta") == pytest.approx(0.961, abs=0.001)
    assert jaro_winkler("redfern", "redforn") > 0.9
    assert jaro_winkler("ahmad", "mahmud") < 0.9
    assert jaro_winkler("same", "same") == 1.0
    assert jaro_winkler("", "abc") == 0.0


def test_a_place_name_in_another_order_has_the_same_key():
    assert place_name_key("the shops on Canal Street") == place_name_key("Canal St shops")
    assert place_name_key("Golden Fry takeaway") == "fry golden"
    assert place_name_key("bus station") == ""


def test_the_words_of_a_place_name_leave_out_what_kind_of_place_it_is():
    assert place_name_words("Northgate Park") == place_name_words("Northgate shops")
    assert place_name_words("Albion takeaway") == {"albion"}
