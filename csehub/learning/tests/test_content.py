"""Loading the course files: the shipped workbook, problems named by file and item, versions."""

from __future__ import annotations

import shutil

import pytest

from csehub.audit.models import AuditEvent, Verb
from csehub.learning.files import DEFAULT_DATA_DIR, CourseFileError, course_files_check
from csehub.learning.models import Course, CourseKind, Question, QuestionKind
from csehub.learning.services.content import learning_content_load
from csehub.taxonomy.services import taxonomy_load

from .workbook_setup import WORKBOOK, workbook_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def workbook(db, tmp_path) -> Course:
    return workbook_load(tmp_path)


def _copy(tmp_path):
    directory = tmp_path / "courses"
    directory.mkdir()
    target = directory / f"{WORKBOOK}.yaml"
    shutil.copy(DEFAULT_DATA_DIR / f"{WORKBOOK}.yaml", target)
    return directory, target


def test_every_shipped_course_file_loads():
    taxonomy_load(actor=None)
    loads = learning_content_load(actor=None)
    assert WORKBOOK in {load.code for load in loads}
    assert AuditEvent.objects.filter(verb=Verb.LOADED, target_type="course").exists()


def test_the_workbook_has_its_sections_in_order_and_enough_questions(workbook):
    assert workbook.kind == CourseKind.WORKBOOK
    assert workbook.refresher_months == 36
    codes = list(workbook.sections.order_by("position").values_list("code", flat=True))
    assert codes == [
        "what_is_cse",
        "how_it_happens",
        "who_is_vulnerable",
        "grooming",
        "spotting_the_signs",
        "the_law",
        "police_powers",
        "making_a_referral",
        "dealing_with_a_disclosure",
        "supporting_parents_and_carers",
        "supporting_the_child",
    ]
    questions = Question.objects.filter(course=workbook)
    assert questions.count() >= 12
    assert set(questions.values_list("kind", flat=True)) == set(QuestionKind.values)
    under_16 = questions.get(code="definition_under_16")
    assert under_16.kind == QuestionKind.TRUE_FALSE
    assert under_16.choices.get(is_correct=True).code == "false"
    safeguard = questions.get(code="safeguard_three")
    assert safeguard.n == 3 and safeguard.vocabulary.code == "safeguard_areas"


def test_the_referral_section_draws_contacts_from_the_directory_not_the_file(workbook):
    section = workbook.sections.get(code="making_a_referral")
    assert any(block["type"] == "directory" for block in section.blocks)
    text = str(section.blocks)
    assert "01724" not in text and "0113" not in text


def test_a_bad_file_names_the_file_and_the_question(tmp_path):
    taxonomy_load(actor=None)
    directory, target = _copy(tmp_path)
    text = target.read_text()
    text = text.replace("    answer: false\n", "    answer: maybe\n", 1)
    text = text.replace(
        "vocabulary: safeguard_areas\n    prompt", "vocabulary: no_such_list\n    prompt"
    )
    target.write_text(text)
    with pytest.raises(CourseFileError) as caught:
        learning_content_load(actor=None, data_dir=directory)
    problems = "\n".join(caught.value.problems)
    assert (
        f"{WORKBOOK}.yaml: question 2 ('definition_under_16'): answer must be true or false"
        in problems
    )
    assert "('safeguard_three'): vocabulary 'no_such_list' is not loaded" in problems
    assert not Course.objects.exists()


def test_a_bad_block_names_the_section_and_the_block(tmp_path):
    taxonomy_load(actor=None)
    directory, target = _copy(tmp_path)
    target.write_text(
        target.read_text().replace("      - type: warning\n", "      - type: banner\n", 1)
    )
    with pytest.raises(CourseFileError) as caught:
        course_files_check(data_dir=directory)
    assert any(
        p.startswith(f"{WORKBOOK}.yaml: section 1 ('what_is_cse'): block ")
        and "type is one of" in p
        for p in caught.value.problems
    )


def test_a_changed_file_needs_a_higher_version_and_retires_what_left(tmp_path):
    taxonomy_load(actor=None)
    directory, target = _copy(tmp_path)
    learning_content_load(actor=None, data_dir=directory)
    original = target.read_text()
    # Remove the last question (supporting_parents) without raising the version.
    cut = original[: original.index("  - code: supporting_parents\n")]
    target.write_text(cut)
    version = Course.objects.get(code=WORKBOOK).version
    with pytest.raises(CourseFileError, match=f"raise it to {version + 1}"):
        learning_content_load(actor=None, data_dir=directory)
    target.write_text(cut.replace(f"version: {version}\n", f"version: {version + 1}\n", 1))
    learning_content_load(actor=None, data_dir=directory)
    retired = Question.objects.get(code="supporting_parents")
    assert retired.is_retired and retired.retired_at is not None
    assert Course.objects.get(code=WORKBOOK).version == version + 1


def test_loading_the_same_file_twice_changes_nothing(tmp_path):
    taxonomy_load(actor=None)
    directory, _ = _copy(tmp_path)
    learning_content_load(actor=None, data_dir=directory)
    second = learning_content_load(actor=None, data_dir=directory)
    assert [load.changed for load in second] == [False]


def test_a_workbook_without_a_pass_mark_or_with_a_free_text_must_be_right_is_refused(tmp_path):
    taxonomy_load(actor=None)
    directory, target = _copy(tmp_path)
    text = target.read_text().replace("pass_mark: 80\n", "", 1)
    text = text.replace(
        "    section: what_is_cse\n    prompt: In your own words",
        "    section: what_is_cse\n    must_be_right: true\n    prompt: In your own words",
        1,
    )
    target.write_text(text)
    with pytest.raises(CourseFileError) as caught:
        learning_content_load(actor=None, data_dir=directory)
    problems = caught.value.problems
    assert any("pass_mark is missing" in p for p in problems)
    assert any(
        "'what_is_cse'" in p and "must_be_right needs a marked question" in p for p in problems
    )
