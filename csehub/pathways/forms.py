"""The one question asked at each step of the pathway walk."""

from __future__ import annotations

from typing import Any

from django import forms

from .graph import Question


class PathwayStepForm(forms.Form):
    """A radio choice between the answers of one question; the field is named by its id."""

    def __init__(self, *args: Any, question: Question, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.question = question
        self.fields[question.id] = forms.ChoiceField(
            label=question.text,
            help_text=question.hint,
            choices=[(answer.value, answer.label) for answer in question.answers],
            widget=forms.RadioSelect,
            error_messages={
                "required": f"Select an answer to the question: {question.text}",
                "invalid_choice": f"Select one of the answers to the question: {question.text}",
            },
        )

    @property
    def field(self) -> forms.BoundField:
        return self[self.question.id]
