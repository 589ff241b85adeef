"""The score of a workbook attempt against its course's pass mark and must-be-right questions.

A pure reading of questions and answers already fetched (selectors.workbook.attempt_result does
the fetching). The same result is shown to the learner before they submit, to the reviewer before
they confirm, and checked by the services that submit and confirm, so what the pages say and what
the services allow cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .models import Answer, CourseSection, Question, QuestionKind


@dataclass(frozen=True)
class WrongAnswer:
    question: Question
    given: str
    right: str

    @property
    def must_be_right(self) -> bool:
        return self.question.must_be_right

    @property
    def section(self) -> CourseSection | None:
        return self.question.section


@dataclass(frozen=True)
class AttemptResult:
    marked: int
    right: int
    # A percentage, or None for a course without one (then every marked answer counts alike).
    pass_mark: int | None
    wrong: tuple[WrongAnswer, ...]

    @property
    def percent(self) -> int:
        return (self.right * 100) // self.marked if self.marked else 100

    @property
    def needed(self) -> int:
        """How many marked answers must be right to reach the pass mark."""
        if self.pass_mark is None:
            return 0
        return -(-self.marked * self.pass_mark // 100)

    @property
    def meets_pass_mark(self) -> bool:
        return self.right >= self.needed

    @property
    def must_be_right_wrong(self) -> tuple[WrongAnswer, ...]:
        return tuple(wrong for wrong in self.wrong if wrong.must_be_right)

    @property
    def passed(self) -> bool:
        return self.meets_pass_mark and not self.must_be_right_wrong

    @property
    def sections_to_reread(self) -> list[CourseSection]:
        """The sections teaching the must-be-right answers that are wrong, in course order."""
        sections: dict[int, CourseSection] = {}
        for wrong in self.must_be_right_wrong:
            if wrong.section is not None:
                sections.setdefault(wrong.section.pk, wrong.section)
        return sorted(sections.values(), key=lambda section: section.position)

    def problems(self) -> list[str]:
        """Why the attempt cannot be signed off, in words for the learner and the reviewer."""
        problems = [
            f'"{wrong.question.prompt}" must be answered correctly: read '
            f'"{wrong.section.title if wrong.section else "the course"}" again'
            for wrong in self.must_be_right_wrong
        ]
        if not self.meets_pass_mark:
            problems.append(
                f"{self.right} of {self.marked} marked answers are right; the pass mark is "
                f"{self.pass_mark}% ({self.needed} of {self.marked})"
            )
        return problems


def answer_text(question: Question, answer: Answer | None) -> str:
    """What the learner answered, as words."""
    if answer is None:
        return ""
    if question.kind == QuestionKind.FREE_TEXT:
        return answer.text
    if question.kind == QuestionKind.NAME_N:
        return "; ".join(item.label for item in answer.items.all())
    return "; ".join(choice.label for choice in answer.choices.all())


def right_answer_text(question: Question) -> str:
    if question.kind == QuestionKind.NAME_N:
        vocabulary = question.vocabulary.name if question.vocabulary else "the list"
        return f"Any {question.n} from {vocabulary}"
    return "; ".join(
        choice.label
        for choice in question.choices.all()
        if choice.is_correct and not choice.is_retired
    )


def attempt_result_of(
    *, questions: Sequence[Question], answers: Mapping[int, Answer], pass_mark: int | None
) -> AttemptResult:
    """Score the marked questions; one not yet answered counts as not right."""
    marked = [question for question in questions if question.is_marked]
    wrong = []
    for question in marked:
        answer = answers.get(question.pk)
        if answer is not None and answer.is_correct:
            continue
        wrong.append(
            WrongAnswer(
                question=question,
                given=answer_text(question, answer) or "Not answered",
                right=right_answer_text(question),
            )
        )
    return AttemptResult(
        marked=len(marked),
        right=len(marked) - len(wrong),
        pass_mark=pass_mark,
        wrong=tuple(wrong),
    )
