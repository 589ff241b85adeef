import random

import pytest

from csehub.intelligence.normalise import plate_matches
from csehub.linking.engine.evidence import evidence_of
from csehub.linking.engine.index import candidates
from csehub.linking.engine.plate_search import partial_plates_fitted_by, plates_fitting
from csehub.linking.engine.scoring import score_pair
from csehub.linking.models import IndexedMention, LinkSuggestion, MentionEntity

from .helpers import report_import

pytestmark = pytest.mark.django_db

KNOWN = {
    "v1": "YX12 ABC",
    "v2": "YX61 KBC",
    "v3": "YX12 ABD",
    "v4": "AB12 CDE",
    "v5": "A123 BCD",  # older formats
    "v6": "ABC 123D",
    "v7": "YX12 A8C",  # a misreading of v1
    "v8": "Y1 XYC",  # a short cherished plate
}


def _found(partnership, pattern):
    return sorted(
        row.mention_id for row in plates_fitting(partnership_id=partnership.pk, pattern=pattern)
    )


@pytest.fixture
def known(partnership):
    vehicles = [{"ref": ref, "plate": plate} for ref, plate in KNOWN.items()]
    return report_import(partnership, "K-1", vehicles=vehicles)


@pytest.mark.parametrize(
    ("pattern", "refs"),
    [
        ("YX1? ?BC", ["v1", "v7"]),
        ("YX*", ["v1", "v2", "v3", "v7"]),
        ("starts with YX", ["v1", "v2", "v3", "v7"]),
        ("*BC", ["v1", "v2", "v7"]),
        ("ends with BC", ["v1", "v2", "v7"]),
        ("Y?1*C", ["v1", "v7"]),
        ("Y*C", ["v1", "v2", "v7", "v8"]),
        ("partial plate 12A", ["v1", "v3", "v7"]),
        ("*123*", ["v5", "v6"]),
        ("A???BCD", ["v5"]),
        ("???????", []),
        ("ZZ*", []),
    ],
)
def test_a_partial_plate_finds_the_full_plates_it_fits(partnership, known, pattern, refs):
    assert _found(partnership, pattern) == [f"K-1/{ref}" for ref in refs]


def test_look_alike_characters_count_as_the_same(partnership, known):
    # I for 1, 8 for B, O for 0: what a camera or a hurried note gets wrong.
    assert _found(partnership, "YXI2 ?8C") == ["K-1/v1", "K-1/v7"]
    assert _found(partnership, "*I23*") == ["K-1/v5", "K-1/v6"]


def test_a_full_plate_finds_the_partial_plates_it_fits(partnership):
    report_import(
        partnership,
        "P-1",
        vehicles=[
            {"ref": "v1", "plate": "YX1? ?BC"},
            {"ref": "v2", "plate": "starts with YX"},
            {"ref": "v3", "plate": "ends with BD"},
            {"ref": "v4", "plate": "Y?I*C"},
            {"ref": "v5", "plate": "YX12 AB?C"},  # one character too many
        ],
    )
    found = partial_plates_fitted_by(partnership_id=partnership.pk, plate="YX12 ABC")
    assert sorted(row.mention_id for row in found) == ["P-1/v1", "P-1/v2", "P-1/v4"]


def test_the_index_agrees_with_a_plain_scan(partnership):
    generator = random.Random(4)
    letters, digits = "ABCDEFGHJKLMNOPRSTUVWXYZ", "0123456789"

    def plate():
        return "".join(
            generator.choice(pool) for pool in [letters] * 2 + [digits] * 2 + [letters] * 3
        )

    plates = [plate() for _ in range(150)] + ["YX12ABC", "YXI2A8C", "Y12ABC", "AB1", "ABCDEFGHIJ"]
    report_import(
        partnership,
        "G-1",
        vehicles=[{"ref": f"v{n}", "plate": p} for n, p in enumerate(plates, start=1)],
    )
    patterns = ["YX1??BC", "*C", "A*", "?B*", "*1*", "??2????", "Y*2*C", "AB*C*", "*DEFGHIJ"]
    patterns += [p[:3] + "*" for p in plates[:10]] + ["*" + p[-2:] for p in plates[10:20]]
    for pattern in patterns:
        expected = sorted(
            f"G-1/v{n}"
            for n, p in enumerate(plates, start=1)
            if plate_matches(pattern, p, confusable=True)
        )
        assert _found(partnership, pattern) == expected, pattern


def test_new_rows_are_found_and_replaced_ones_are_not(partnership, known):
    assert _found(partnership, "*QQ") == []
    report_import(partnership, "K-2", vehicles=[{"ref": "v1", "plate": "YX12 AQQ"}])
    assert _found(partnership, "*QQ") == ["K-2/v1"]
    # The report comes again with the plate corrected: the old plate is gone.
    report_import(partnership, "K-2", vehicles=[{"ref": "v1", "plate": "YX12 ARR"}])
    assert _found(partnership, "*QQ") == []
    assert _found(partnership, "*RR") == ["K-2/v1"]


def test_a_partial_arriving_is_linked_to_plates_indexed_before_it(partnership, known):
    report_import(partnership, "N-1", vehicles=[{"ref": "v1", "plate": "ends with 61 KBC"}])
    suggestion = LinkSuggestion.objects.get(mention_id="N-1/v1")
    assert suggestion.target_mention_id == "K-1/v2"
    assert suggestion.reasons.get().how == "partial_plate"


@pytest.mark.django_db(transaction=True)
def test_committed_rows_join_the_index_and_deleted_ones_never_surface(partnership):
    # Outside a transaction, as a worker process between requests: read, then caught up.
    assert _found(partnership, "*QQ") == []
    report_import(partnership, "C-1", vehicles=[{"ref": "v1", "plate": "YX12 AQQ"}])
    assert _found(partnership, "*QQ") == ["C-1/v1"]
    report_import(partnership, "C-1", vehicles=[{"ref": "v1", "plate": "YX12 ARR"}])
    assert _found(partnership, "*QQ") == []
    assert _found(partnership, "YX12 A?R") == ["C-1/v1"]


def test_a_partial_fitting_very_many_plates_is_linked_to_the_newest(partnership):
    letters = "ABCDEFGHJKLMNPRTUVWXY"
    plates = [f"YX12 A{a}{b}" for a in letters for b in letters][:105]
    report_import(
        partnership,
        "M-1",
        vehicles=[{"ref": f"v{n}", "plate": p} for n, p in enumerate(plates, start=1)],
    )
    report_import(partnership, "M-2", vehicles=[{"ref": "v1", "plate": "YX12 A??"}])
    row = IndexedMention.objects.get(mention_id="M-2/v1")
    pool = candidates(row)
    assert len(pool) == 100
    # The oldest mentions are the ones left out; the weight is that of a pattern fitting many.
    assert not {"M-1/v1", "M-1/v5"} & {k.mention_id for k in pool}
    assert {score_pair(row, k, evidence=evidence_of(row, pool)).weight for k in pool} == {0.34}
    # So ambiguous a pattern, with nothing to pick one plate out, is not worth an analyst's
    # time: nothing is stored, and nothing joined.
    assert not LinkSuggestion.objects.filter(mention_id="M-2/v1").exists()
    assert not MentionEntity.objects.filter(mention_id="M-2/v1").exists()
