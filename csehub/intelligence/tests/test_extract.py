"""Details found in free text: a corpus of realistic sentences with what must be found."""

from __future__ import annotations

import pytest

from csehub.intelligence.extract import SuggestionKind, extract

P, T, U, E, PC, N, NN, V, PL = (
    SuggestionKind.PLATE,
    SuggestionKind.PHONE,
    SuggestionKind.USERNAME,
    SuggestionKind.EMAIL,
    SuggestionKind.POSTCODE,
    SuggestionKind.NAME,
    SuggestionKind.NICKNAME,
    SuggestionKind.VEHICLE,
    SuggestionKind.PLACE,
)

CORPUS = [
    # plates: current, older, partial, cue forms
    (
        "A silver Audi, plate starting YX, picked her up outside the takeaway, they call him "
        "Danny D.",
        [(P, "YX*"), (NN, "Danny D")],
    ),
    ("The car was YX12 ABC.", [(P, "YX12 ABC")]),
    ("She got into yx12abc outside school", [(P, "YX12ABC")]),
    ("An old Ford, reg A123 BCD, parked up on the corner", [(P, "A123 BCD")]),
    ("a taxi with the plate ABC 123D dropped them off", [(P, "ABC 123D")]),
    ("a private plate, ABC 123, on a black Range Rover", [(P, "ABC 123")]),
    ("Partial plate YX1? ?BC, black BMW", [(P, "YX1? ?BC")]),
    ("the number plate was YX1* and it was a van", [(P, "YX1*")]),
    ("the car reg starts with YX1 and ends in BC", [(P, "YX1*BC")]),
    ("a white van, the plate ends with BC", [(P, "*BC")]),
    ("partial plate YX1 on a grey Corsa", [(P, "*YX1*")]),
    # phones in every writing
    ("Her new phone is 07700 900123", [(T, "07700 900123")]),
    ("He gave her +44 7700 900124 to ring", [(T, "+44 7700 900124")]),
    ("Text 07700-900-125 for a lift", [(T, "07700-900-125")]),
    ("The landline was (01632) 960123", [(T, "(01632) 960123")]),
    ("call 07700900126 or 01632 960 127 after dark", [(T, "07700900126"), (T, "01632 960 127")]),
    ("international: 0044 7700 900128", [(T, "0044 7700 900128")]),
    # usernames and emails
    ("Messages from @danny_d22 on her phone", [(U, "@danny_d22")]),
    ("snap: big.mo99 keeps adding the girls", [(U, "big.mo99")]),
    ("on insta kayz_x99 and tiktok: kayz.official", [(U, "kayz_x99"), (U, "kayz.official")]),
    ("emails came from dan.d@example.com", [(E, "dan.d@example.com")]),
    # postcodes
    ("Seen near DN15 6NL most nights", [(PC, "DN15 6NL")]),
    ("the flat at fb1 4qt above the shops", [(PC, "FB1 4QT")]),
    # names after cue words
    ("a man called Daniel Smith was with them", [(N, "Daniel Smith")]),
    ("an older boy known as 'Big Mo' was there", [(NN, "Big Mo")]),
    ("the driver goes by Kez", [(NN, "Kez")]),
    ("the girls call him Uncle T and he buys them vodka", [(NN, "Uncle T")]),
    ("He waits by the shop. They call him Danny D.", [(NN, "Danny D")]),
    ("Known as Kez by the younger ones", [(NN, "Kez")]),
    # nicknames, makes and colours, streets and kinds of place
    (
        "A lad called Smokey picked her up in a blue Nissan on Mill Lane.",
        [(NN, "Smokey"), (V, "blue Nissan"), (PL, "Mill Lane")],
    ),
    ("a man called Dean was with her", [(N, "Dean")]),
    ("an older man called 'Tiny' buys them vodka", [(NN, "Tiny")]),
    ("he drives a black Mercedes-Benz", [(V, "black Mercedes")]),
    ("she got into a white VW Golf outside the shop", [(V, "white Volkswagen Golf")]),
    ("They met at the snooker hall on Canal St", [(PL, "Canal St")]),
    ("She goes to the Riverside Retail Park after school", [(PL, "Riverside Retail Park")]),
    ("a flat above the Golden Fry takeaway", [(PL, "Golden Fry takeaway")]),
    ("Seen at Castle Park, DN15 6NL, most nights", [(PL, "Castle Park")]),
    # things that must not be found
    ("She sat in the back seat and put on a mini skirt", []),
    ("On Friday she went to the park with her friends", []),
    ("She was collected at 16:30 on 12/03/2025 and came back in 2025", []),
    ("The NHS 111 service and A&E were both called; CCTV was checked", []),
    ("Year 10 pupils sat their GCSE mocks; COVID-19 closed the school", []),
    ("WHY? I asked her. She has a new PS5 and an MP3 player.", []),
    ("She called the police herself and then called Childline", []),
    ("Called her mum at nine. Named after his dad, apparently", []),
    ("The lesson starts with A quiz and ends with a discussion", []),
    ("There were 3 or 4 of them, aged 18-20, about 5ft 9", []),
    ("Is it 2025? I think it was March", []),
]


@pytest.mark.parametrize(("text", "expected"), CORPUS, ids=[t[:40] for t, _ in CORPUS])
def test_the_corpus(text, expected):
    found = [(s.kind, s.value) for s in extract(text)]
    assert found == expected


def test_the_corpus_is_large_enough():
    assert len(CORPUS) >= 30


def test_spans_point_at_the_text():
    text = "Plate YX12 ABC, phone 07700 900123, snap: danny_d22"
    for suggestion in extract(text):
        assert text[suggestion.start : suggestion.end] == suggestion.written


def test_a_detail_written_twice_is_suggested_once():
    found = extract("07700 900123, and again +44 7700 900123")
    assert [s.kind for s in found] == [SuggestionKind.PHONE]


def test_usernames_named_with_their_app_carry_the_platform():
    [suggestion] = extract("snap: danny_d22")
    assert suggestion.platform == "snapchat"


def test_an_email_is_not_also_a_username():
    assert [s.kind for s in extract("dan@example.com")] == [SuggestionKind.EMAIL]


def test_a_make_and_colour_beside_a_plate_fill_the_same_vehicle_row():
    found = extract("She got into a silver Audi A3, reg YX12 ABC, outside the school.")
    assert [(s.kind, s.value) for s in found] == [(P, "YX12 ABC")]
    assert dict(found[0].fields) == {"make": "Audi A3", "colour": "silver"}
    assert found[0].also == "silver Audi A3"


def test_a_place_and_the_postcode_after_it_are_one_place():
    (place,) = extract("Seen at Castle Park, DN15 6NL, most nights")
    assert dict(place.fields) == {"name": "Castle Park", "postcode": "DN15 6NL"}
    assert place.also == "DN15 6NL"
