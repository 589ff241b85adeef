"""Hypothesis profile and strategies for the property tests of parsers and normalisers.

The "properties" profile runs 10,000 examples a test, derandomised so that CI sees the same
examples every run; set CSEHUB_HYPOTHESIS_PROFILE=properties-quick for a fast local loop. Text
is any Unicode but unpaired surrogates, control characters included, mixed with fragments of the
thing being parsed (a pure random string almost never looks like a postcode) and, now and then,
a huge one.
"""

from __future__ import annotations

import os
import string

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

settings.register_profile(
    "properties",
    max_examples=10_000,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("properties-quick", settings.get_profile("properties"), max_examples=300)
PROPERTIES = settings.get_profile(os.environ.get("CSEHUB_HYPOTHESIS_PROFILE", "properties"))

# Huge inputs, about one example in HUGE_ONE_IN: ten times the longest name or identifier a
# column holds, and for free text (a report, the line parser) past the longest text allowed.
# Bounded so that 10,000 examples stay quick.
HUGE = 2_000
HUGE_TEXT = 21_000  # past the 20,000 characters a report may have
HUGE_ONE_IN = 20

# Characters that have tripped text handling before: controls, separators, bidi overrides,
# combining marks, ligatures and letters whose case changes their length or script (ß, ﬃ, İ,
# the Kelvin sign, the long s), fullwidth and other-script digits, and the zero-width ones.
AWKWARD = (
    "\x00\x01\x07\t\n\r\x0b\x0c\x1b\x1c\x1f\x7f\x85\xa0\u2028\u2029\u202e\u2066\u200b\u200c"
    "\u200d\ufeff\u0301\u0308\u0345\u0307ßẞﬃﬅİ\u0131\u017fKΩǅᾈŉ²³٣\uff10\uff11\uff21\uff22\u00ad'\u2019-_.,;:@#?*()+"
)


def any_text(max_size: int = 60) -> st.SearchStrategy[str]:
    return st.text(max_size=max_size)


def huge(alphabet: str, longest: int = HUGE) -> st.SearchStrategy[str]:
    """A long run of one short piece, up to `longest` characters (cheap to make, unlike
    st.text)."""
    piece = st.text(alphabet=alphabet, min_size=1, max_size=8)
    return st.builds(lambda p, n: (p * n)[:longest], piece, st.integers(1, longest))


def mixed(
    fragments: list[str],
    alphabet: str,
    *,
    max_pieces: int = 6,
    longest: int = HUGE,
    huge_one_in: int = HUGE_ONE_IN,
) -> st.SearchStrategy[str]:
    """Any text; text of the field's own characters; pieces of it joined; now and then huge."""
    own = alphabet + AWKWARD
    # One draw a piece: a fragment or a single character (cheaper than a choice of the two).
    pieces = st.lists(st.sampled_from([*fragments, *own]), max_size=max_pieces).map("".join)
    usual = [any_text(), st.text(alphabet=own, max_size=30), pieces, pieces]
    # one_of picks a branch evenly: repeating the usual ones makes a huge one rare.
    return st.one_of(*usual * (huge_one_in // len(usual)), huge(own, longest))


def short(text: st.SearchStrategy[str], limit: int) -> st.SearchStrategy[str]:
    """At most `limit` characters: for what is quadratic in its length, like name similarity."""
    return text.map(lambda t: t[:limit])


UPPER = string.ascii_uppercase
PLATE_FRAGMENTS = [
    "YX12 ABC", "yx12abc", "YX1?", "?BC", "*", "**", "?", "_", " ", "  ", "starts with ",
    "Starting with ", "it begins ", "ends with ", "ending in ", "partial plate ",
    "part of the reg: ",
    "A123 BCD", "ABC 123D", "SO55 ZZB", "OI5B", "ß", "ﬃ", "\u0131", "\u017f",
]  # fmt: skip
PHONE_FRAGMENTS = [
    "07700 900123", "+44", "0044", "(0)", "+1 202 555 0143", "01632 960", "7700", "900",
    "123", " ", "-", ".", "(", ")", "ext ", "x", "+", "٣", "\uff10", "²", "#", "tel:",
]  # fmt: skip
POSTCODE_FRAGMENTS = [
    "DN15 6NL", "dn156nl", "GIR 0AA", "GIR", "0AA", "EC1A 1BB", "W1A 0AX", "M1 1AE", "B33 8TH",
    "CR2 6XH", "DN", "15", "6NL", " ", "\t", "\u00a0", "\u0131", "\u017f",
]  # fmt: skip
USERNAME_FRAGMENTS = [
    "@", "@@", " ", "danny_d22", "Danny", "ß", "ẞ", "ﬃ", "İ", "K", "\u00a0", "\u3000", ".",
    "snap:", "x@example.org", "\u0345", "ǅ", "ΐ", "Insta", "Tik Tok", "tik-tok", "SNAP",
    "snapchat app", "X", "\u017f",
]  # fmt: skip
NAME_FRAGMENTS = [
    "Zoë", "O'Neil", "-Smith", " ", "  ", "Danny", "Daniel", "Dan", "Alex", "Kayleigh", "Mc",
    "İ", "\u0131", "ß", "ẞ", "ﬃ", "ǅ", "ᾈ", "ŉ", "\u0301", "\u0308", "\u0345", "\u093e",
    "राम", "محمد",
    "Jean-Luc", "the", "St.", "Canal", "St", "car-park", "carpark", "McDonald's", "Unit 9",
    "centre", "center", "Rd", "Ln",
]  # fmt: skip

plate_text = mixed(PLATE_FRAGMENTS, UPPER + string.digits + "?*_ -" + UPPER.lower())
phone_text = mixed(PHONE_FRAGMENTS, string.digits + " +-().", max_pieces=10)
postcode_text = mixed(POSTCODE_FRAGMENTS, UPPER + string.digits + " " + UPPER.lower())
username_text = mixed(USERNAME_FRAGMENTS, string.ascii_letters + string.digits + "_.@ ")
name_text = mixed(NAME_FRAGMENTS, string.ascii_letters + " '-.")


def full_plates() -> st.SearchStrategy[str]:
    """A full plate: letters and digits, perhaps with a space, as long as UK plates are."""
    return st.builds(
        lambda chars, space: (
            chars[:space] + " " + chars[space:] if 0 < space < len(chars) else chars
        ),
        st.text(alphabet=UPPER + string.digits, min_size=2, max_size=8),
        st.integers(0, 8),
    )


def partial_of(plate: str, unseen: int, start: int, length: int) -> str:
    """A partial plate that `plate` fits: the characters whose bit is set in `unseen` not seen
    (?), and only `length` characters from `start` kept, the rest an open start or end (*)."""
    chars = ["?" if unseen >> i & 1 else c for i, c in enumerate(plate.replace(" ", ""))]
    start %= len(chars)
    end = start + 1 + length % (len(chars) - start)
    kept = "".join(chars[start:end])
    if not any(c.isalnum() for c in kept):
        return f"*{next(c for c in plate if c.isalnum())}*"
    return ("*" if start else "") + kept + ("*" if end < len(chars) else "")


def plates_with_partials() -> st.SearchStrategy[tuple[str, str]]:
    """A full plate and a partial plate that it fits."""
    return st.builds(
        lambda plate, *how: (plate, partial_of(plate, *how)),
        full_plates(),
        st.integers(0, 255),
        st.integers(0, 7),
        st.integers(0, 7),
    )
