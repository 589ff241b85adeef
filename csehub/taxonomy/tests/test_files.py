from __future__ import annotations

import pytest

from csehub.taxonomy.files import TaxonomyFileError, vocabulary_files_check

from .conftest import rewrite


def test_shipped_files_are_valid_and_parents_come_first():
    specs = vocabulary_files_check()

    order = [s.code for s in specs]
    assert order.index("safeguard_areas") < order.index("warning_signs")
    assert order.index("grooming_stages") < order.index("grooming_behaviours")


def test_every_problem_is_reported_together(data_copy):
    rewrite(data_copy / "vipa.yaml", lambda d: d["items"][0].pop("label"))
    rewrite(data_copy / "volt.yaml", lambda d: d.update(colour="blue"))

    with pytest.raises(TaxonomyFileError) as caught:
        vocabulary_files_check(data_dir=data_copy)

    assert "vipa.yaml: item 1 ('violence'): label is missing" in caught.value.problems
    assert "volt.yaml: unknown key(s) colour" in caught.value.problems


def test_a_repeated_key_is_refused(data_copy):
    path = data_copy / "vipa.yaml"
    path.write_text(
        path.read_text().replace("    label: Violence\n", "    label: Violence\n    label: Force\n")
    )

    with pytest.raises(
        TaxonomyFileError,
        match=r"vipa\.yaml: not valid YAML at line \d+: the key 'label' appears twice",
    ):
        vocabulary_files_check(data_dir=data_copy)


def test_a_parent_loop_is_refused(data_copy):
    def loop(data):
        data["items"][0]["parent"] = "intimidation"
        data["items"][1]["parent"] = "violence"

    rewrite(data_copy / "vipa.yaml", loop)

    with pytest.raises(
        TaxonomyFileError, match=r"vipa\.yaml: item 1 \('violence'\): parent chain loops"
    ):
        vocabulary_files_check(data_dir=data_copy)


def test_a_parent_vocabulary_that_is_nowhere_is_refused(data_copy):
    (data_copy / "grooming_stages.yaml").unlink()

    with pytest.raises(
        TaxonomyFileError, match=r"grooming_behaviours\.yaml: parent_vocabulary 'grooming_stages'"
    ):
        vocabulary_files_check(data_dir=data_copy)


def test_an_empty_directory_is_refused(tmp_path):
    with pytest.raises(TaxonomyFileError, match="no vocabulary files"):
        vocabulary_files_check(data_dir=tmp_path)
