"""A pair of person mentions as Splink scored it, and what decides whether it is joined."""

from __future__ import annotations

from dataclasses import dataclass

from . import model


@dataclass(frozen=True)
class Pair:
    """A scored pair: the mention ids (left sorts first), the probability, and the match weight
    (log2 Bayes factor) each comparison of model.COMPARISONS added, 0 when it had no data."""

    left: str
    right: str
    probability: float
    weights: tuple[float, ...]
    # The probability once adjusted for term frequency (Evidence.adjusted), which decides an
    # assignment; None until adjusted (then `probability`, Splink's, is used).
    assign_probability: float | None = None
    # Comparisons that do not count as corroboration for this pair (a street name made of
    # the person's own name).
    uncorroborating: tuple[str, ...] = ()
    # What the run's evidence makes clear on its own (evidence.RunEvidence.clear: full names
    # alike with a phone, plate or account that is theirs, or the same street name), whatever
    # Splink's weight: the reason joined, "" when there is none.
    clear: str = ""

    def level(self, name: str) -> str:
        """The label of the level this pair is at in comparison `name` ("" for the else level
        and for no data). Splink's weight of a level is the stored log2(m/u), so it names it."""
        bits = self.weights[WEIGHT_AT[name]]
        return model.level_of(name, bits)[0] if bits != 0 else ""

    def reasons(self) -> list[tuple[str, str, str, float]]:
        """(field, how, detail, contribution in bits) for each comparison that said something."""
        found = []
        for name, bits in zip(model.COMPARISONS, self.weights, strict=True):
            if bits == 0:
                continue
            label, field_name, how = model.level_of(name, bits)
            if label:
                found.append((field_name, how, label, round(bits, 3)))
        return found

    @property
    def corroborated(self) -> bool:
        """Something besides the name agrees (model.CORROBORATING)."""
        return any(
            self.level(name) in labels
            for name, labels in model.CORROBORATING.items()
            if name not in self.uncorroborating
        )

    @property
    def assignable(self) -> bool:
        """Sure enough for the engine to join the two mentions: clear by the run's evidence,
        or strong once adjusted for term frequency and corroborated."""
        return bool(self.clear) or (self.strength >= model.CLUSTER_AT and self.corroborated)

    @property
    def strength(self) -> float:
        """The probability that decides an assignment: adjusted for term frequency."""
        if self.assign_probability is None:
            return self.probability
        return self.assign_probability


# Where each comparison's weight is in Pair.weights.
WEIGHT_AT = {name: i for i, name in enumerate(model.COMPARISONS)}
