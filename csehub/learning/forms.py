"""Forms for the workbook: one question, choosing a reviewer, the reviewer's decision.

Every field has its own message, written for the question being asked ("Select true or false"),
and a form that fails keeps what the learner entered.
"""

from __future__ import annotations

from typing import Any

from django import forms

from csehub.accounts.models import User
from csehub.govuk_forms import GovukForm
from csehub.taxonomy.models import Item

from .models import Answer, Question, QuestionKind

MAX_ANSWER = 5_000
MAX_COMMENTS = 5_000


def _required_message(question: Question) -> str:
    if question.kind == QuestionKind.TRUE_FALSE:
        return "Select true or false"
    if question.kind == QuestionKind.SINGLE_CHOICE:
        return "Select an answer"
    if question.kind == QuestionKind.MULTIPLE_CHOICE:
        return "Select at least one answer"
    if question.kind == QuestionKind.NAME_N:
        vocabulary = question.vocabulary.name if question.vocabulary else "items"
        return f"Select {question.n} from the list of {vocabulary}"  # noqa: S608 - not SQL
    return "Enter your answer"


class QuestionForm(GovukForm):
    """One field, `answer`, whose shape follows the question's kind."""

    def __init__(
        self, *args: Any, question: Question, items: list[Item] | None = None, **kwargs: Any
    ) -> None:
        self.question = question
        super().__init__(*args, **kwargs)
        required = {"required": _required_message(question)}
        kind = question.kind
        if kind == QuestionKind.FREE_TEXT:
            field: forms.Field = forms.CharField(
                max_length=MAX_ANSWER,
                widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 8}),
                error_messages={
                    **required,
                    "max_length": f"Your answer must be {MAX_ANSWER:,} characters or fewer",
                },
            )
        elif kind in (QuestionKind.TRUE_FALSE, QuestionKind.SINGLE_CHOICE):
            field = forms.ChoiceField(
                choices=[(c.code, c.label) for c in question.choices.all() if not c.is_retired],
                widget=forms.RadioSelect,
                error_messages={**required, "invalid_choice": required["required"]},
            )
        elif kind == QuestionKind.MULTIPLE_CHOICE:
            field = forms.MultipleChoiceField(
                choices=[(c.code, c.label) for c in question.choices.all() if not c.is_retired],
                widget=forms.CheckboxSelectMultiple,
                error_messages={**required, "invalid_choice": "Select from the answers shown"},
            )
        else:
            field = forms.MultipleChoiceField(
                choices=[(item.code, item.label) for item in items or []],
                widget=forms.CheckboxSelectMultiple,
                error_messages={**required, "invalid_choice": "Select from the list shown"},
            )
        field.label = question.prompt
        field.help_text = question.hint
        self.fields["answer"] = field

    def clean_answer(self) -> Any:
        value = self.cleaned_data["answer"]
        question = self.question
        if question.kind == QuestionKind.NAME_N and len(value) != question.n:
            raise forms.ValidationError(
                f"Select {question.n}: you have selected {len(value)}",
                code="count",
            )
        if question.kind == QuestionKind.FREE_TEXT and not value.strip():
            raise forms.ValidationError(_required_message(question), code="required")
        return value


def question_initial(question: Question, answer: Answer | None) -> dict[str, Any]:
    """What the learner answered last time, to show in the form."""
    if answer is None:
        return {}
    if question.kind == QuestionKind.FREE_TEXT:
        return {"answer": answer.text}
    if question.kind in (QuestionKind.TRUE_FALSE, QuestionKind.SINGLE_CHOICE):
        chosen = [c.code for c in answer.choices.all()]
        return {"answer": chosen[0] if chosen else None}
    if question.kind == QuestionKind.MULTIPLE_CHOICE:
        return {"answer": [c.code for c in answer.choices.all()]}
    return {"answer": [item.code for item in answer.items.all()]}


class ReviewerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        user: User = obj
        detail = user.job_title or user.get_role_display()
        return f"{user.full_name} ({detail})" if detail else user.full_name


class SubmitForm(GovukForm):
    reviewer = ReviewerChoiceField(
        queryset=User.objects.none(),
        label="Who will review your workbook?",
        help_text="They will read your answers, talk them through with you and confirm that you "
        "have completed the course.",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Select who will review your workbook",
            "invalid_choice": "Select a reviewer from the list",
        },
    )

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reviewer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = candidates


class ReviewForm(GovukForm):
    CONFIRM = "confirm"
    RETURN = "return"

    discussed_with_learner = forms.BooleanField(
        label="I have discussed the answers with the learner",
        required=False,
    )
    comments = forms.CharField(
        label="Comments for the learner",
        help_text="Needed if you return the workbook: say what to look at again. Optional when "
        "you confirm.",
        required=False,
        max_length=MAX_COMMENTS,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 5}),
        error_messages={"max_length": f"Comments must be {MAX_COMMENTS:,} characters or fewer"},
    )
    decision = forms.ChoiceField(
        choices=[(CONFIRM, "Confirm completion"), (RETURN, "Return to the learner")],
        widget=forms.HiddenInput,
        error_messages={"required": "Choose to confirm or to return the workbook"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        decision = data.get("decision")
        if decision == self.CONFIRM and not data.get("discussed_with_learner"):
            self.add_error(
                "discussed_with_learner",
                "Confirm that you have discussed the answers with the learner before you "
                "confirm completion",
            )
        if decision == self.RETURN and not (data.get("comments") or "").strip():
            self.add_error("comments", "Enter comments so the learner knows what to change")
        return data
