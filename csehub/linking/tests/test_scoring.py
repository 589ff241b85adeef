import datetime as dt

from csehub.linking.engine.index import _row
from csehub.linking.engine.scoring import AUTO_ASSIGN_AT, SUGGEST_AT, score_pair
from csehub.linking.models import How


def mention(entity_type, container="R1", **values):
    return _row(
        partnership_id=1,
        mention_id=f"{container}/x",
        source="intelligence",
        entity_type=entity_type,
        container=container,
        **values,
    )


def hows(score):
    return {(r.field, r.how) for r in score.reasons}


def test_the_same_phone_written_two_ways_is_an_exact_identifier():
    from csehub.intelligence.normalise import phone_e164

    a = mention("phone", e164=phone_e164("07700 900123"))
    b = mention("phone", "R2", e164=phone_e164("+44 (7700) 900-123"))
    score = score_pair(a, b)
    assert hows(score) == {("e164", How.EXACT)}
    assert score.exact_identifier and score.weight >= AUTO_ASSIGN_AT


def test_a_partial_plate_fits_the_full_plate_it_could_be():
    partial = mention("vehicle", plate="YX1? ?BC")  # normalised to YX1??BC
    full = mention("vehicle", "R2", plate="yx12 abc")
    assert partial.plate == "YX1??BC" and partial.is_partial
    score = score_pair(partial, full)
    assert hows(score) == {("plate", How.PARTIAL_PLATE)}
    assert SUGGEST_AT <= score.weight < AUTO_ASSIGN_AT
    assert not score.exact_identifier
    assert "YX1??BC fits YX12ABC" in score.reasons[0].detail


def test_a_partial_plate_weighs_less_when_several_plates_fit():
    partial = mention("vehicle", plate="YX1? ?BC")
    full = mention("vehicle", "R2", plate="YX12ABC")
    assert score_pair(partial, full, ambiguity=3).weight < score_pair(partial, full).weight


def test_an_ocr_confused_plate_is_suggested_but_not_assigned():
    misread = mention("vehicle", plate="YXI2 A8C")
    full = mention("vehicle", "R2", plate="YX12 ABC")
    score = score_pair(misread, full)
    assert hows(score) == {("plate", How.CONFUSABLE)}
    assert SUGGEST_AT <= score.weight < AUTO_ASSIGN_AT and not score.exact_identifier


def test_different_plates_do_not_match():
    assert (
        score_pair(mention("vehicle", plate="YX12ABC"), mention("vehicle", plate="YX12ABD")).weight
        == 0
    )


def test_danny_and_daniel_are_the_same_name():
    score = score_pair(
        mention("person", name="Danny Ashdown", age_estimate=25),
        mention("person", "R2", name="Daniel Ashdown", age_estimate=27),
    )
    assert ("name", How.NICKNAME) in hows(score) and ("age_estimate", How.AGE) in hows(score)
    assert score.weight >= SUGGEST_AT and not score.exact_identifier


def test_mohammed_and_muhammad_are_the_same_name():
    score = score_pair(
        mention("person", name="Mohammed Varley"), mention("person", "R2", name="Muhammad Varley")
    )
    assert ("name", How.NICKNAME) in hows(score)
    assert score.weight >= SUGGEST_AT


def test_a_typo_in_a_name_is_a_fuzzy_match():
    score = score_pair(
        mention("person", name="Daniel Whitcombe"), mention("person", "R2", name="Daniel Whitcmbe")
    )
    assert ("name", How.FUZZY_NAME) in hows(score)


def test_people_of_the_same_name_but_far_apart_in_age_are_not_suggested():
    score = score_pair(
        mention("person", name="Thomas Garside", age_estimate=19),
        mention("person", "R2", name="Thomas Garside", age_estimate=41),
    )
    assert score.weight < SUGGEST_AT


def test_children_of_the_same_name_but_different_dates_of_birth_are_not_suggested():
    score = score_pair(
        mention("child", name="Jessica Ashdown", dob=dt.date(2011, 4, 2)),
        mention("child", "R2", name="Jessica Ashdown", dob=dt.date(2012, 9, 30)),
    )
    assert ("dob", How.DOB) in hows(score)
    assert score.weight < SUGGEST_AT


def test_children_with_the_same_name_and_date_of_birth_are_strong_but_not_exact():
    score = score_pair(
        mention("child", name="Jessica Ashdown", dob=dt.date(2011, 4, 2)),
        mention("child", "R2", name="Jessica Ashdown", dob=dt.date(2011, 4, 2)),
    )
    assert score.weight >= 0.9 and not score.exact_identifier


def test_a_shared_street_name_alone_does_not_link_people_whose_names_differ():
    score = score_pair(
        mention("person", name="Kieran Ashdown", nickname="Tiny", age_estimate=30),
        mention("person", "R2", name="Thomas Garside", nickname="Tiny", age_estimate=31),
    )
    assert score.weight < SUGGEST_AT


def test_a_street_name_and_a_given_name_link_a_mention_without_a_surname():
    score = score_pair(
        mention("person", name="Danny", nickname="Tiny"),
        mention("person", "R2", name="Daniel Ashdown", nickname="Tiny"),
    )
    assert ("name", How.NICKNAME) in hows(score) and ("nickname", How.EXACT) in hows(score)
    assert score.weight >= SUGGEST_AT


def test_a_nickname_with_a_slip_is_still_the_same_name():
    score = score_pair(
        mention("person", name="Billy Redfern", age_estimate=30),
        mention("person", "R2", name="William Redforn", age_estimate=32),
    )
    assert ("name", How.FUZZY_NAME) in hows(score)
    assert score.weight >= SUGGEST_AT


def test_a_typo_in_a_childs_name_with_the_same_date_of_birth_is_suggested_not_exact():
    score = score_pair(
        mention("child", name="Chloe Ingleby", dob=dt.date(2013, 1, 1)),
        mention("child", "R2", name="Chhloe Ingleby", dob=dt.date(2013, 1, 1)),
    )
    assert score.weight >= SUGGEST_AT and not score.exact_identifier


def test_platform_names_written_differently_are_the_same_platform():
    score = score_pair(
        mention("online", username="@Danny_D22", platform="Insta"),
        mention("online", "R2", username="danny_d22", platform="Instagram"),
    )
    assert score.exact_identifier


def test_the_same_username_on_another_platform_is_not_suggested_on_its_own():
    score = score_pair(
        mention("online", username="danny_d22", platform="snapchat"),
        mention("online", "R2", username="danny_d22", platform="tiktok"),
    )
    assert 0 < score.weight < SUGGEST_AT


def test_place_names_written_differently_are_the_same_place():
    score = score_pair(
        mention("location", place_name="the Canal St carpark"),
        mention("location", "R2", place_name="Canal Street car park"),
    )
    assert ("name", How.EXACT) in hows(score) and score.weight >= SUGGEST_AT


def test_a_place_name_in_another_order_is_suggested():
    score = score_pair(
        mention("location", place_name="the shops on Canal Street"),
        mention("location", "R2", place_name="Canal St shops"),
    )
    assert ("name", How.FUZZY_NAME) in hows(score) and score.weight >= SUGGEST_AT


def test_a_park_and_shops_of_the_same_name_are_not_one_place():
    score = score_pair(
        mention("location", place_name="Northgate Park"),
        mention("location", "R2", place_name="Northgate shops"),
    )
    assert score.weight == 0


def test_two_places_with_nothing_in_common_but_the_postcode_are_not_suggested():
    score = score_pair(
        mention("location", place_name="Albion takeaway", postcode="FB3 4XQ"),
        mention("location", "R2", place_name="Westfield Park", postcode="FB3 4XQ"),
    )
    assert 0 < score.weight < SUGGEST_AT and not score.exact_identifier
