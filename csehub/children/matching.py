"""Likely existing records: warn before a second record is made for the same child.

Names are compared after normalising (case, accents, punctuation), through the product's table
of nicknames and other spellings (csehub.intelligence.normalise), and with difflib for near
spellings. A match is only ever a warning: the person creating the record decides.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

# One nickname table for the product (intelligence/data/name_variants.yaml), shared with the
# linking of intelligence; `name_normalise` is re-exported for this app's callers.
from csehub.intelligence.normalise import given_name_variants, name_normalise

from .models import Child

# Near spellings (Kayley, Kayleigh) share a first letter and most of their letters.
SIMILAR_NAME_RATIO = 0.7


def _similar(left: Iterable[str], right: Iterable[str]) -> bool:
    right = list(right)
    for a in left:
        for b in right:
            if a == b:
                return True
            if min(len(a), len(b)) >= 4 and a[0] == b[0] and _ratio(a, b) >= SIMILAR_NAME_RATIO:
                return True
    return False


def _ratio(a: str, b: str) -> float:
    """How alike two spellings are, the same whichever is given first: difflib's ratio is not
    ("abbc" against "abcbac" is 0.8, the other way 0.6), and the warning must not depend on
    which of two records is the new one."""
    return max(
        difflib.SequenceMatcher(None, a, b).ratio(), difflib.SequenceMatcher(None, b, a).ratio()
    )


@dataclass(frozen=True)
class NewChildNames:
    given_name: str
    family_name: str = ""
    known_as: str = ""
    aliases: tuple[str, ...] = ()
    date_of_birth: date | None = None


@dataclass
class Candidate:
    child: Child
    reasons: list[str] = field(default_factory=list)


def _given_names_of(child: Child) -> list[str]:
    names = [child.given_name, child.known_as]
    names += [alias.name.split()[0] for alias in child.aliases.all() if alias.name.strip()]
    return [n for n in names if n]


def _family_names_of(child: Child) -> list[str]:
    names = [child.family_name]
    names += [
        alias.name.split()[-1] for alias in child.aliases.all() if len(alias.name.split()) > 1
    ]
    return [name_normalise(n) for n in names if n]


def candidate_reasons(new: NewChildNames, child: Child) -> list[str]:
    """Why `child` may be the same child as the one about to be recorded; empty if not."""
    new_given: set[str] = set()
    for name in (new.given_name, new.known_as, *(a.split()[0] for a in new.aliases if a.strip())):
        if name:
            new_given |= given_name_variants(name)
    existing_given: set[str] = set()
    for name in _given_names_of(child):
        existing_given |= given_name_variants(name)
    new_family = [name_normalise(n) for n in (new.family_name,) if n]
    new_family += [name_normalise(a.split()[-1]) for a in new.aliases if len(a.split()) > 1]

    given = _similar(new_given, existing_given)
    family = bool(new_family) and _similar(new_family, _family_names_of(child))
    same_dob = new.date_of_birth is not None and new.date_of_birth == child.date_of_birth

    reasons: list[str] = []
    if given and family:
        reasons.append("A similar name, nickname or alias")
    elif same_dob and (given or family):
        reasons.append("A similar first name or nickname" if given else "A similar family name")
    if reasons and same_dob:
        reasons.append("The same date of birth")
    return reasons


def possible_duplicates_unchecked(
    *, children: Iterable[Child], new: NewChildNames
) -> list[Candidate]:
    """Candidates among `children` (unscoped: the caller decides what the user may see)."""
    found = []
    for child in children:
        reasons = candidate_reasons(new, child)
        if reasons:
            found.append(Candidate(child=child, reasons=reasons))
    return found
