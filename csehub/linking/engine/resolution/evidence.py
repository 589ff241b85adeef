"""What a run's records say beyond one pair: term frequencies, whose each identifier is, which
mentions can be one person, and what makes a pair clear on its own."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import replace
from typing import Any

from ..scoring.names import one_field_out
from . import model, names
from .pairs import WEIGHT_AT, Pair

# Years between two age estimates that rule a pair out, and that agree, as on arrival
# (scoring.AGES_CLASH, scoring.AGE_AGREES).
AGES_CLASH = 8
AGE_AGREES = 4
# Two groups of mentions under full names alike are one person on the name and the age alone
# only when their mean age estimates are at most this far apart and the name is rare: at most
# COMMON_NAME_AT people expected to carry it by chance (`expected_namesakes`). Checked on the
# quality benchmark's generator at seeds 7 and 11 (where one person in twelve has an earlier
# one's name, whatever its rarity): joins made so were right 98 to 99% of the time; at 2 years
# or at a name expected twice as often, 97 to 98%.
MEANS_AGREE = 1.0
COMMON_NAME_AT = 0.2
# All the mentions that full names alike tie together are one person when the name is rarer
# still (at most ONE_NAME_AT expected namesakes), every mention is in full, at least
# ONE_NAME_AGES of them have an age estimate and all the estimates are within ONE_AGE_SPAN
# years, and every two may be one person (`compatible`): the only man of that name known, as
# the only child of a name is (decision 0015). At most ONE_NAME_MAX mentions. With the stages
# before it, on the benchmark's generator (3,000 reports, seeds 7 and 11), the export's person
# pairs were right 98.5 to 98.7% of the time; at 6 years, or a name expected twice as often,
# 98.1 to 98.4%.
ONE_NAME_AT = 0.1
ONE_AGE_SPAN = 4
ONE_NAME_AGES = 2
ONE_NAME_MAX = 60


class RunEvidence:
    """What the run's records say beyond one pair: how many mentions carry each name, street
    name and identifier (the term frequencies), and each mention's age and given names, with
    which the clustering checks that a cluster can be one person; and what it makes clear
    about a pair on its own (`clear`)."""

    def __init__(
        self,
        columns: dict[str, list[Any]],
        reports: list[str] | None = None,
        dobs: list[str | None] | None = None,
    ) -> None:
        self.ids = columns["unique_id"]
        # Children's dates of birth as written (ISO), None where not known (and for persons).
        self.dob = dobs or [None] * len(self.ids)
        self.position = {mention_id: i for i, mention_id in enumerate(self.ids)}
        self.name_key = columns["name_key"]
        self.nickname = columns["nickname"]
        self.context = columns["context"]
        self.age = columns["age_estimate"]
        self.given = columns["given_keys"]
        self.words = list(zip(columns["first_name"], columns["surname"], strict=True))
        # Mentions whose street name is made of their own name (model.nickname_from_name).
        self.own_nickname = {
            i
            for i, (nickname, given, name) in enumerate(
                zip(self.nickname, self.given, columns["name"], strict=True)
            )
            if nickname is not None and model.nickname_from_name(nickname, given, name)
        }
        self.population = max(len(self.ids), model.TF_POPULATION_AT_LEAST)
        self.counts = {
            "name": Counter(k for k in self.name_key if k is not None),
            "nickname": Counter(n for n in self.nickname if n is not None),
            "context": Counter(c for values in self.context if values for c in values),
        }
        self.prior_bits = math.log2(model.PRIOR / (1 - model.PRIOR))
        # How common each full name is: the family names seen with each given name's key and
        # the given names' keys seen with each family name, over the distinct full names.
        self.given_key = columns["given_key"]
        family_of: dict[str, set[str]] = {}
        given_of: dict[str, set[str]] = {}
        for given, (_first, surname) in zip(self.given_key, self.words, strict=True):
            if given and surname:
                family_of.setdefault(given, set()).add(surname)
                given_of.setdefault(surname, set()).add(given)
        self.family_counts = {given: len(found) for given, found in family_of.items()}
        self.given_counts = {surname: len(found) for surname, found in given_of.items()}
        self.full_names = max(1, sum(self.family_counts.values()))
        # The full names (first and last word) each street name, not made of the name, is
        # known with.
        self.called: dict[str, set[tuple[str, str]]] = {}
        for i, (nickname, (first, surname)) in enumerate(
            zip(self.nickname, self.words, strict=True)
        ):
            if nickname is not None and first and surname and i not in self.own_nickname:
                self.called.setdefault(nickname, set()).add((first, surname))
        # Whose each identifier is: who (first and last word of the name, None for a family
        # name not written) is named in each report, and the reports each identifier is in. A
        # phone or plate is someone's when at least half the other reports holding it (the
        # pair's own two say nothing of whose it is) name someone of that name, others beside
        # them or not (a phone turns up now and then where its owner is not named); one seen
        # mostly with other people is no one's in particular and corroborates nothing. A
        # person's own phone in many of their reports is no common value either, so it is not
        # adjusted for term frequency.
        report_of = reports if reports is not None else [str(i) for i in range(len(self.ids))]
        self.report = report_of
        self.named_in: dict[str, set[tuple[str | None, str | None]]] = {}
        self.reports_of: dict[str, set[str]] = {}
        for i, report in enumerate(report_of):
            self.named_in.setdefault(report, set()).add(self.words[i])
            for value in self.context[i] or ():
                self.reports_of.setdefault(value, set()).add(report)

    def _theirs(self, value: str, a: int, b: int) -> bool:
        """Whether at least half the reports holding `value`, the pair's own two left out (they
        say nothing of whose it is), name someone who may be both a and b (names.names_alike:
        a slip or a nickname of the name is the name)."""
        mine, theirs = self.words[a], self.words[b]
        holding = self.reports_of.get(value, set()) - {self.report[a], self.report[b]}
        naming = sum(
            any(
                names.names_alike(who, mine) and names.names_alike(who, theirs)
                for who in self.named_in[report]
            )
            for report in holding
        )
        return 2 * naming >= len(holding)

    def _count(self, name: str, a: int, b: int) -> int:
        counts = self.counts[name]
        if name == "name":
            return max(counts[self.name_key[a]], counts[self.name_key[b]])
        if name == "nickname":
            return counts[self.nickname[a]]
        shared = set(self.context[a] or ()) & set(self.context[b] or ())
        return min((counts[c] for c in shared), default=0)

    def adjusted(self, pair: Pair) -> Pair:
        """The pair with its assign_probability: Splink's weights with each agreeing level's u
        raised to the frequency of the value it agrees on (never lowered). Splink's own
        probability and weights stay as they are, for suggestions and their reasons."""
        a, b = self.position[pair.left], self.position[pair.right]
        weights = list(pair.weights)
        changed = False
        ignored: tuple[str, ...] = ()
        if pair.level("nickname") and (a in self.own_nickname or b in self.own_nickname):
            weights[WEIGHT_AT["nickname"]] = 0.0  # says no more than the name (see CORROBORATING)
            ignored = ("nickname",)
            changed = True
        theirs = False
        if pair.level("context"):
            shared = set(self.context[a] or ()) & set(self.context[b] or ())
            theirs = any(self._theirs(value, a, b) for value in shared)
            if not theirs:
                weights[WEIGHT_AT["context"]] = 0.0  # no one's in particular (see __init__)
                ignored = (*ignored, "context")
                changed = True
        for name, labels in model.TF_LEVELS.items():
            label = pair.level(name)
            if label not in labels or weights[WEIGHT_AT[name]] == 0:
                continue
            if name == "context" and theirs:
                continue  # their own identifier (see __init__)
            index = [*model.REASONS[name]].index(label)
            m, u = model.PARAMETERS[name]["m"][index], model.PARAMETERS[name]["u"][index]
            frequency = self._count(name, a, b) / self.population
            if frequency > u:
                weights[WEIGHT_AT[name]] = math.log2(m / frequency)
                changed = True
        clear = self.clear(a, b, theirs=theirs)
        if not changed:
            return replace(pair, assign_probability=pair.probability, clear=clear)
        bits = self.prior_bits + sum(weights)
        probability = 1 / (1 + 2 ** (-bits)) if bits > -60 else 0.0
        return replace(pair, assign_probability=probability, uncorroborating=ignored, clear=clear)

    def clear(self, a: int, b: int, *, theirs: bool) -> str:
        """What makes the pair of mentions a and b clear on its own, whatever the weights, as
        the on-arrival rules read persons (decision 0015), or "": names alike word by word
        (names.names_alike: a full name with a full name, or a given name alone with the same
        given name) and ages not ruled out, with a phone, full plate or account in both
        reports that is theirs (`theirs`, from `_theirs`), or the same street name that is not
        made of their name. A given name alone needs the street name, ages that agree, and the
        men known in full by that street name and given name to be of one family (a street
        name is shared now and then): a given name and an identifier is too little."""
        age_a, age_b = self.age[a], self.age[b]
        if age_a is not None and age_b is not None and abs(age_a - age_b) > AGES_CLASH:
            return ""
        words_a, words_b = self.words[a], self.words[b]
        if not (words_a[0] and words_b[0] and names.names_alike(words_a, words_b)):
            return ""
        street = (
            self.nickname[a] is not None
            and self.nickname[a] == self.nickname[b]
            and a not in self.own_nickname
            and b not in self.own_nickname
        )
        full = bool(words_a[1] and words_b[1])
        given = (words_b if words_a[1] else words_a)[0]
        of_an_age = age_a is not None and age_b is not None and abs(age_a - age_b) <= AGE_AGREES
        if street and (full or (of_an_age and self._one_family_called(self.nickname[a], given))):
            return "street name"
        if theirs and full:
            return "identifier"
        return ""

    def compatible(self, a: str, b: str) -> bool:
        """Whether two mentions can be one person: ages (when both known) at most AGE_APART
        years apart, names alike word by word (names.names_alike: a slip, a nickname or
        spelling, either order), so that a given name alone ("Anthony") never bridges two men
        of that given name and different surnames, nor a slip-like likeness ("Eastford",
        "Eastfield") two families; street names (not made of their name) that do not clash;
        and, for children, dates of birth (when both known) the same or one field out."""
        i, j = self.position[a], self.position[b]
        dob_a, dob_b = self.dob[i], self.dob[j]
        if dob_a and dob_b and not _dates_may_agree(dob_a, dob_b):
            return False  # two children born on different days, not one slip apart
        age_a, age_b = self.age[i], self.age[j]
        if age_a is not None and age_b is not None and abs(age_a - age_b) > model.AGE_APART:
            return False
        if not names.names_alike(self.words[i], self.words[j]):
            return False
        street_a = None if i in self.own_nickname else self.nickname[i]
        street_b = None if j in self.own_nickname else self.nickname[j]
        return not names.street_names_clash(street_a, street_b)

    def expected_namesakes(self, i: int) -> float:
        """How many people may carry mention i's full name by chance: the distinct full names
        times the share of them with its given name and the share with its family name (each
        counted over distinct full names, so that one man named in many reports does not make
        his own name common). Infinite for a given name alone."""
        given, surname = self.given_key[i], self.words[i][1]
        if not given or not surname:
            return math.inf
        family = self.family_counts.get(given, 0)
        return family * self.given_counts.get(surname, 0) / self.full_names

    def one_by_name_and_age(self, pair: Pair, left: list[str], right: list[str]) -> bool:
        """Whether two groups of mentions (`left` holding pair.left, `right` pair.right) are
        one person on full names alike and ages alone: both groups have an age estimate, their
        mean estimates are at most MEANS_AGREE apart, and the name is rare (both of the pair's
        mentions at most COMMON_NAME_AT expected namesakes). Whether every mention of one may
        be the other's is `compatible`, checked by the clustering."""
        if pair.level("name") not in ("exact", "nickname or spelling", "similar"):
            return False
        a, b = self.position[pair.left], self.position[pair.right]
        if max(self.expected_namesakes(a), self.expected_namesakes(b)) > COMMON_NAME_AT:
            return False
        means = []
        for group in (left, right):
            ages = [self.age[self.position[m]] for m in group]
            known = [age for age in ages if age is not None]
            if not known:
                return False
            means.append(sum(known) / len(known))
        return abs(means[0] - means[1]) <= MEANS_AGREE

    def one_person_named(self, group: list[str]) -> bool:
        """Whether all the mentions that full names alike tie together can only be one man:
        see ONE_NAME_AT."""
        if len(group) > ONE_NAME_MAX:
            return False
        found = [self.position[m] for m in group]
        if any(self.expected_namesakes(i) > ONE_NAME_AT for i in found):
            return False  # a given name alone among them has infinitely many
        ages = [self.age[i] for i in found if self.age[i] is not None]
        if len(ages) < ONE_NAME_AGES or (ages and max(ages) - min(ages) > ONE_AGE_SPAN):
            return False
        return all(self.compatible(a, b) for n, a in enumerate(group) for b in group[n + 1 :])

    def _one_family_called(self, nickname: str, given: str) -> bool:
        """Whether the men known in full by a street name whose given name may be `given` are
        of one family (the same family name, or slips and spellings of it), and one at least:
        a street name is shared now and then, by men of other names."""
        families = sorted(
            {
                surname
                for first, surname in self.called.get(nickname, ())
                if names.names_alike((given, None), (first, surname))
            }
        )
        return bool(families) and all(names.words_alike(families[0], f) for f in families[1:])


def _dates_may_agree(a: str, b: str) -> bool:
    """Whether two dates of birth (ISO) may be one child's: the same, or one field out, as on
    arrival (scoring.names.one_field_out)."""
    one, other = dt.date.fromisoformat(a), dt.date.fromisoformat(b)
    return one == other or one_field_out(one, other)
