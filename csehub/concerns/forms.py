"""Forms for raising a concern and for the risk identification tool: the shape of the input
only. A draft may be incomplete, so the concern form requires nothing; submitting asks the
service, which says what is still missing."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms

from csehub.children.forms import PostcodeField
from csehub.govuk_forms import GovukDateField, GovukForm, GovukRadioSelect
from csehub.taxonomy.models import Item

from .models import HowKnown, RiskLevel, RoughlyWhen
from .selectors import VocabularySection

TEXT_MAX = 10_000


def _text(label: str, max_length: int = 200, **kw: Any) -> Any:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        widget=forms.TextInput(attrs={"class": "govuk-input", "autocomplete": "off"}),
        error_messages={
            "max_length": f"{label.removesuffix(' (optional)')} must be {max_length} characters "
            "or fewer"
        },
        **kw,
    )


def _textarea(label: str, *, rows: int = 5, **kw: Any) -> Any:
    return forms.CharField(
        label=label,
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": rows}),
        error_messages={
            "max_length": f"{label.removesuffix(' (optional)')} must be {TEXT_MAX:,} characters "
            "or fewer"
        },
        **kw,
    )


class TimeField(forms.CharField):
    """A time of day typed as 24-hour HH:MM (or H.MM, or 4pm), optional."""

    def clean(self, value: Any) -> dt.time | None:
        text = (super().clean(value) or "").strip().lower().replace(".", ":")
        if not text:
            return None
        match = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?\s*(am|pm)?", text)
        if match:
            hour, minute = int(match[1]), int(match[2] or 0)
            if match[3] == "pm" and hour < 12:
                hour += 12
            elif match[3] == "am" and hour == 12:
                hour = 0
            if hour < 24 and minute < 60 and (match[2] or match[3]):
                return dt.time(hour, minute)
        raise forms.ValidationError("Enter the time like 16:45, or leave it blank if not known")


class ConcernForm(GovukForm):
    how_known = forms.ChoiceField(
        label="How do you know about this?",
        choices=HowKnown.choices,
        required=False,
        widget=GovukRadioSelect,
        error_messages={"invalid_choice": "Select how you know about it"},
    )
    what_was_seen = _textarea(
        "What did you see, hear or were you told?",
        rows=8,
        help_text=(
            "Describe what happened in plain words, as it was. If the child told you, write "
            "down their own words. Say what you saw, not what you think it means."
        ),
    )
    observed_on = GovukDateField(label="When did it happen?", help_text="For example, 27 3 2026")
    observed_time = TimeField(
        label="Time (optional)",
        required=False,
        max_length=10,
        help_text="Leave blank if you do not know the time",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-5"}),
    )
    where = _text(
        "Where did it happen? (optional)",
        max_length=300,
        help_text="For example, the school gate, a car park, a named street or an online platform",
    )

    def answers_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "how_known": data.get("how_known") or "",
            "what_was_seen": data.get("what_was_seen") or "",
            "observed_on": data.get("observed_on"),
            "observed_time": data.get("observed_time"),
            "where": data.get("where") or "",
        }


class InvolvedForm(GovukForm):
    """One row of an add-another list. A row left empty is ignored."""

    def is_blank(self) -> bool:
        return not any(
            str(v).strip() for v in getattr(self, "cleaned_data", {}).values() if v is not None
        )

    def row(self) -> dict[str, object]:
        return {
            k: ("" if v is None and k != "age_estimate" else v)
            for k, v in self.cleaned_data.items()
        }


class PersonForm(InvolvedForm):
    name = _text("Name (optional)")
    nickname = _text("Nickname or name they use (optional)")
    age_estimate = forms.IntegerField(
        label="Age, or your best guess (optional)",
        required=False,
        min_value=0,
        max_value=120,
        widget=forms.TextInput(
            attrs={"class": "govuk-input govuk-input--width-3", "inputmode": "numeric"}
        ),
        error_messages={
            "invalid": "Age must be a whole number, like 25",
            "min_value": "Age must be 0 or more",
            "max_value": "Age must be 120 or less",
        },
    )
    description = _textarea("What they look like or anything else (optional)", rows=3)


PLATE_PATTERN = re.compile(r"^[A-Z0-9? ]{1,12}$")


class VehicleForm(InvolvedForm):
    plate = _text(
        "Registration plate (optional)",
        max_length=16,
        help_text="Type ? for each character you did not see, for example YX1? ?BC",
    )
    make = _text("Make and model (optional)", max_length=100)
    colour = _text("Colour (optional)", max_length=50)

    def clean_plate(self) -> str:
        plate = " ".join(self.cleaned_data["plate"].upper().split())
        if plate and not PLATE_PATTERN.match(plate):
            raise forms.ValidationError(
                "A plate can only have letters, numbers, spaces and ? for a character not seen"
            )
        return plate


class PhoneForm(InvolvedForm):
    number = _text("Phone number", max_length=32)

    def clean_number(self) -> str:
        number = " ".join(self.cleaned_data["number"].split())
        if number and (
            not re.fullmatch(r"[0-9+() -]+", number) or len(re.sub(r"\D", "", number)) < 6
        ):
            raise forms.ValidationError("Enter a phone number using digits, like 07700 900123")
        return number


class OnlineForm(InvolvedForm):
    platform = _text("App, game or website (optional)", max_length=100)
    username = _text("Username or handle", max_length=200)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("platform") and not data.get("username"):
            self.add_error("username", "Enter the username, or clear the app or website")
        return data


class LocationForm(InvolvedForm):
    name = _text("Name of the place (optional)")
    address = _text("Address or description (optional)", max_length=300)
    postcode = PostcodeField(label="Postcode (optional)")


INVOLVED_KINDS: dict[str, tuple[type[InvolvedForm], str, str]] = {
    # prefix: (form, heading, "add another" noun)
    "people": (PersonForm, "People involved", "person"),
    "vehicles": (VehicleForm, "Vehicles", "vehicle"),
    "phones": (PhoneForm, "Phone numbers", "phone number"),
    "online": (OnlineForm, "Online usernames", "username"),
    "locations": (LocationForm, "Places", "place"),
}
INVOLVED_MAX = 20


def involved_formset(prefix: str) -> type[forms.BaseFormSet]:
    form_class = INVOLVED_KINDS[prefix][0]
    return forms.formset_factory(
        form_class, extra=0, max_num=INVOLVED_MAX, absolute_max=INVOLVED_MAX
    )


# The risk identification tool.

IMMEDIATE_DANGER_CHOICES = [("yes", "Yes"), ("no", "No")]


# The sign the tool offers first for a child under 13, beside what the law says.
UNDER_13_SIGN = ("warning_signs", "under_13_sexual_activity")
UNDER_13 = 13
WHEN_ASKED = "indicator"  # only indicators count by age; other sections never ask when


def _in_a_sentence(name: str) -> str:
    """A vocabulary's name inside a sentence: "warning signs", but "VIPA (...)" kept."""
    return name if name[:2].isupper() else name[:1].lower() + name[1:]


class RiskToolForm(GovukForm):
    """Immediate danger, then each section's signs as checkboxes, with "roughly when" asked
    once per section of indicators. A ticked sign needs what was seen. Fields are named by
    the item's id (ind_12, seen_12) and each section's "when" by its vocabulary
    (when_warning_signs)."""

    immediate_danger = forms.ChoiceField(
        label="Is the child in immediate danger now?",
        help_text="If they are, stop and call 999 now. You can finish this afterwards.",
        choices=IMMEDIATE_DANGER_CHOICES,
        widget=GovukRadioSelect,
        error_messages={
            "required": "Select yes if the child is in immediate danger now",
            "invalid_choice": "Select yes or no",
        },
    )

    def __init__(
        self, *args: Any, sections: list[VocabularySection], age: int | None = None, **kwargs: Any
    ) -> None:
        self.sections = sections
        self.age = age
        self.items: dict[int, Item] = {}
        self.section_of: dict[int, VocabularySection] = {}
        super().__init__(*args, **kwargs)
        for section in sections:
            code = section.vocabulary.code
            if section.role == WHEN_ASKED:
                self.fields[f"when_{code}"] = forms.ChoiceField(
                    label=f"Roughly when did you last see the "
                    f"{_in_a_sentence(section.vocabulary.name)} you ticked?",
                    help_text="If you saw them at different times, choose the most recent. "
                    "Say more in what you saw.",
                    required=False,
                    choices=RoughlyWhen.choices,
                    widget=GovukRadioSelect,
                    error_messages={"invalid_choice": "Select roughly when"},
                )
            for _parent, items in section.groups:
                for item in items:
                    self.items[item.pk] = item
                    self.section_of[item.pk] = section
                    self.fields[f"ind_{item.pk}"] = forms.BooleanField(
                        label=item.label, required=False
                    )
                    self.fields[f"seen_{item.pk}"] = forms.CharField(
                        label=f"What did you see or hear? ({item.label})",
                        required=False,
                        max_length=TEXT_MAX,
                        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 3}),
                        error_messages={
                            "max_length": f"What you saw must be {TEXT_MAX:,} characters or fewer"
                        },
                    )
        self._mark_fields()

    @property
    def under_13(self) -> bool:
        return self.age is not None and self.age < UNDER_13

    def _is_under_13_sign(self, item: Item) -> bool:
        return (item.vocabulary.code, item.code) == UNDER_13_SIGN

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        missing_when: set[str] = set()
        for pk, item in self.items.items():
            if not data.get(f"ind_{pk}"):
                continue
            if not (data.get(f"seen_{pk}") or "").strip() and f"seen_{pk}" not in self.errors:
                self.add_error(f"seen_{pk}", f"Enter what you saw or heard for “{item.label}”")
            section = self.section_of[pk]
            name = f"when_{section.vocabulary.code}"
            if name in self.fields and not data.get(name) and name not in self.errors:
                missing_when.add(section.vocabulary.code)
        for section in self.sections:
            if section.vocabulary.code in missing_when:
                self.add_error(
                    f"when_{section.vocabulary.code}",
                    "Select roughly when you last saw the "
                    f"{_in_a_sentence(section.vocabulary.name)} you ticked",
                )
        return data

    def _when_for(self, pk: int, data: dict[str, Any]) -> str:
        return str(data.get(f"when_{self.section_of[pk].vocabulary.code}") or RoughlyWhen.NOT_SURE)

    def _entry(self, item: Item) -> dict[str, Any]:
        return {"item": item, "tick": self[f"ind_{item.pk}"], "seen": self[f"seen_{item.pk}"]}

    def _is_ticked(self, pk: int) -> bool:
        return bool(self[f"ind_{pk}"].value())

    def rows(self) -> list[dict[str, Any]]:
        """The sections with each item's bound fields and how many are ticked, for the
        template. For a child under 13 the under-13 sign is asked first, not in its section."""
        out = []
        for section in self.sections:
            code = section.vocabulary.code
            groups: list[dict[str, Any]] = []
            pks: list[int] = []
            for parent, items in section.groups:
                shown = [i for i in items if not (self.under_13 and self._is_under_13_sign(i))]
                if shown:
                    groups.append({"parent": parent, "items": [self._entry(i) for i in shown]})
                    pks += [i.pk for i in shown]
            names = [f"ind_{pk}" for pk in pks] + [f"seen_{pk}" for pk in pks] + [f"when_{code}"]
            out.append(
                {
                    "section": section,
                    "groups": groups,
                    "ticked": sum(self._is_ticked(pk) for pk in pks),
                    "when": self[f"when_{code}"] if f"when_{code}" in self.fields else None,
                    "has_errors": any(self.errors.get(name) for name in names),
                }
            )
        return out

    def under_13_entry(self) -> dict[str, Any] | None:
        if not self.under_13:
            return None
        for item in self.items.values():
            if self._is_under_13_sign(item):
                return self._entry(item)
        return None

    def ticked(self) -> list[tuple[Item, str, str]]:
        data = self.cleaned_data
        return [
            (item, data[f"seen_{pk}"], self._when_for(pk, data))
            for pk, item in self.items.items()
            if data.get(f"ind_{pk}")
        ]

    def when_not_answered(self) -> bool:
        """Whether a section with ticks has not said roughly when yet."""
        data = self.data
        return any(
            data.get(f"ind_{pk}")
            and f"when_{self.section_of[pk].vocabulary.code}" in self.fields
            and not data.get(f"when_{self.section_of[pk].vocabulary.code}")
            for pk in self.items
        )

    def ticked_so_far(self) -> list[tuple[Item, str]]:
        """For the live result of a form not yet complete: each sign ticked so far and when,
        "not sure" where the section's "when" is not answered yet."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return [
            (item, self._when_for(pk, data))
            for pk, item in self.items.items()
            if data.get(f"ind_{pk}")
        ]


class JudgementForm(GovukForm):
    judgement_level = forms.ChoiceField(
        label="What level of risk do you judge it to be?",
        choices=RiskLevel.choices,
        widget=GovukRadioSelect,
        error_messages={
            "required": "Select the level of risk you judge it to be",
            "invalid_choice": "Select a level from the list",
        },
    )
    judgement_rationale = forms.CharField(
        label="Why do you judge it to be this level?",
        help_text=(
            "Explain what you know that the tool does not: for example, what the child or others "
            "have said, patterns over time, or information from other agencies."
        ),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 6}),
        error_messages={
            "required": "Explain why you have set this level",
            "max_length": f"Your reasons must be {TEXT_MAX:,} characters or fewer",
        },
    )
