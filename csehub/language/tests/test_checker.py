from __future__ import annotations

import time

import pytest

from csehub.language.checker import (
    MAX_CHECK_LENGTH,
    flag_codes,
    flags_fingerprint,
    flags_grouped,
    known_codes,
    language_check,
)
from csehub.language.phrases import phrase_book

# One realistic sentence for each kind of wording the guidance must catch, and the phrase code
# it must raise. All names are invented.
FLAGGED = [
    # A name or a few words between the phrase and the age (issue 12's first-hour finding).
    ("She is in a relationship with her boyfriend Dean, who is 24.", "adult_boyfriend"),
    ("She is in a relationship with her boyfriend Dean, who is 24.", "relationship_with_adult"),
    ("Her boyfriend Dean (24) collects her from school.", "adult_boyfriend"),
    ("Her boyfriend, who she says is 22, buys her vapes.", "adult_boyfriend"),
    ("She says she is in a relationship with Dean, who is 24.", "relationship_with_adult"),
    ("She believes she is in a loving relationship with Dee (31).", "relationship_with_adult"),
    ("She is seeing Dee, who is 27, most weekends.", "adult_boyfriend"),
    ("She has been going out with an older man from the takeaway.", "adult_boyfriend"),
    ("She keeps putting herself at risk by getting into cars.", "putting_themselves_at_risk"),
    ("They are putting themselves at risk at the park.", "putting_themselves_at_risk"),
    ("Staff believe she is prostituting herself for vapes.", "prostitution"),
    ("Neighbours describe her as a prostitute.", "prostitution"),
    ("An old file refers to child prostitution.", "prostitution"),
    ("Her older boyfriend collects her from school in a silver car.", "adult_boyfriend"),
    ("She says her boyfriend, aged 23, lets her stay at his flat.", "adult_boyfriend"),
    ("Her boyfriend aged 27 bought her the phone.", "adult_boyfriend"),
    ("She has an adult boyfriend she met online.", "adult_boyfriend"),
    ("He mentions a 31-year-old girlfriend who gives him money.", "adult_boyfriend"),
    ("Police noted that she consented to sex with the man.", "consent"),
    ("She describes what happened as consensual.", "consent"),
    ("Staff describe her as promiscuous.", "promiscuous"),
    (
        "Keeley is sexually active with an older man from the takeaway.",
        "sexually_active_with_adult",
    ),
    ("She is sexually active with adult males she meets in town.", "sexually_active_with_adult"),
    ("Going to the parties appears to be a lifestyle choice.", "lifestyle_choice"),
    ("He is engaging in risky behaviour online.", "risky_behaviour"),
    ("Her risky behaviour has increased since Easter.", "risky_behaviour"),
    ("Tyler is very streetwise and knows the area.", "streetwise"),
    ("She is in a relationship with a 24-year-old.", "relationship_with_adult"),
    (
        "She has been in a relationship with an older man since the summer.",
        "relationship_with_adult",
    ),
    ("She admitted sleeping with the man who runs the shop.", "sleeping_with"),
    ("She went with them willingly.", "willingly"),
    ("Carers feel she is choosing to go missing at weekends.", "choosing_to_go_missing"),
    ("Friends say she has a sugar daddy.", "sugar_daddy"),
    ("She has been sexting an adult she met on a game.", "sexting"),
    ("Staff see the self-harm as attention seeking.", "attention_seeking"),
    ("He is an attention-seeker.", "attention_seeking"),
]

# Sentences a careful practitioner might write that must not be flagged at all.
INNOCENT = [
    "She has been with her boyfriend for 18 months.",
    "Her boyfriend Jay, who is 15, is in her form.",
    "She has been in a relationship with Jay for 18 months.",
    "She is seeing her nan, who is 84, on Sundays.",
    "Her boyfriend, aged 15, from her class, walked her home.",
    "He sat next to his girlfriend, who is 16.",
    "The risk assessment was completed on Monday.",
    "She is at risk of harm from the men at the flat.",
    "Her mother consented to the referral and to sharing information.",
    "The assault was non-consensual.",
    "She was willing to talk to her social worker.",
    "She is in a relationship with a boy in her year.",
    "Since the incident she has been sleeping with the light on.",
    "She went missing on Friday night and was found on Sunday.",
    "We discussed the party lifestyle model at the panel.",
    "She asked for my attention after the lesson.",
    "She is putting together a scrapbook about her family.",
    "He is being sexually exploited by adults who give him money and cannabis.",
    "Sexually active with a peer of the same age, according to the school nurse.",
]


@pytest.mark.parametrize(("sentence", "code"), FLAGGED)
def test_wording_is_flagged_with_its_phrase(sentence, code):
    flags = language_check(sentence)

    assert code in flag_codes(flags)
    flag = next(f for f in flags if f.code == code)
    assert sentence[flag.start : flag.end] == flag.matched
    assert flag.why
    assert 2 <= len(flag.suggestions) <= 5
    assert flag.category in phrase_book().categories


@pytest.mark.parametrize("sentence", INNOCENT)
def test_careful_wording_is_not_flagged(sentence):
    assert language_check(sentence) == []


def test_every_phrase_in_the_brief_has_a_sentence_above():
    listed = {
        "putting_themselves_at_risk",
        "prostitution",
        "adult_boyfriend",
        "consent",
        "promiscuous",
        "sexually_active_with_adult",
        "lifestyle_choice",
        "risky_behaviour",
        "streetwise",
        "relationship_with_adult",
        "sleeping_with",
        "willingly",
        "choosing_to_go_missing",
        "sugar_daddy",
        "sexting",
        "attention_seeking",
    }
    assert listed <= set(phrase_book().by_code)
    assert listed <= {code for _sentence, code in FLAGGED}


def test_matching_ignores_case_and_line_breaks():
    flags = language_check("She keeps PUTTING\nHERSELF at   risk.")

    assert flag_codes(flags) == ["putting_themselves_at_risk"]
    assert flags[0].matched == "PUTTING HERSELF at risk"


def test_whole_words_only():
    assert language_check("The unstreetwiseness of it") == []
    assert language_check("Sextingly") == []


def test_overlapping_patterns_of_one_phrase_make_one_flag():
    flags = language_check("Her older boyfriend aged 25 picks her up.")

    assert [(f.code, f.matched) for f in flags] == [("adult_boyfriend", "older boyfriend aged 25")]


def test_flags_come_in_text_order_and_group_by_phrase():
    text = "She is streetwise. Her older boyfriend is 30. She is streetwise again."
    flags = language_check(text)

    assert [f.code for f in flags] == ["streetwise", "adult_boyfriend", "streetwise"]
    groups = flags_grouped(flags)
    assert [g.code for g in groups] == ["streetwise", "adult_boyfriend"]
    assert groups[0].matched == ("streetwise",)


def test_fingerprint_ignores_position_but_not_wording():
    first = flags_fingerprint(language_check("She is streetwise."))
    moved = flags_fingerprint(language_check("Today we met. She is streetwise."))
    other = flags_fingerprint(language_check("She is promiscuous."))

    assert first == moved
    assert first != other


def test_known_codes_keeps_only_phrases_in_the_file():
    assert known_codes("streetwise, nonsense,consent,streetwise") == ["streetwise", "consent"]
    assert known_codes("") == []


def test_long_text_is_checked_quickly_and_only_up_to_the_limit():
    text = "She was seen at the park with two men and a dog. " * 2000 + " streetwise"
    assert len(text) > MAX_CHECK_LENGTH

    started = time.perf_counter()
    flags = language_check(text)
    elapsed = time.perf_counter() - started

    assert flags == []
    assert elapsed < 1.0
