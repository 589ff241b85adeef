"""One resolution: records in, scored pairs out of Splink, then clusters that obey analysts.

Splink scores the blocked pairs on the chosen engine. Each pair's weights are then adjusted for
term frequency (a name, street name or identifier that many mentions in the run carry weighs
less: model.TF_LEVELS), the same way whatever the engine. The engine assigns conservatively: a
pair is joined only at or above CLUSTER_AT and when something besides the name agrees
(model.CORROBORATING); everything else from SUGGEST_AT is a suggestion for analysts.

The clusters are made here rather than by Splink's connected components, because analysts'
decisions must win and chaining must not glue namesakes: pairs are joined strongest first, and a
join is refused when it would put a pair an analyst rejected, or two entities an analyst keeps
apart, into one cluster, or two mentions that cannot be one person (ages far apart, other given
names, surnames with other initials), or make a cluster bigger than CLUSTER_MAX. Children
are never joined at all.

What was already resolved (`linked`: the pairs the on-arrival rules resolved, decision 0015,
and pairs analysts confirmed) is joined first, whatever Splink makes of it, so that a batch
run never loses a resolution; only analysts' decisions (a rejected pair, a split, two entities
kept apart) keep such a pair apart, and it is then returned as `unlinked`.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from . import model

Progress = Callable[[str, int, int], None]  # (stage, done, total)

STAGES = ["prepare", "score", "cluster"]


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

    def level(self, name: str) -> str:
        """The label of the level this pair is at in comparison `name` ("" for the else level
        and for no data). Splink's weight of a level is the stored log2(m/u), so it names it."""
        bits = self.weights[_INDEX[name]]
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
        """Sure enough for the engine to join the two mentions: strong once adjusted for term
        frequency, and corroborated."""
        return self.strength >= model.CLUSTER_AT and self.corroborated

    @property
    def strength(self) -> float:
        """The probability that decides an assignment: adjusted for term frequency."""
        if self.assign_probability is None:
            return self.probability
        return self.assign_probability


_INDEX = {name: i for i, name in enumerate(model.COMPARISONS)}


class Evidence:
    """What the run's records say beyond one pair: how many mentions carry each name, street
    name and identifier (the term frequencies), and each mention's age and given names, with
    which the clustering checks that a cluster can be one person."""

    def __init__(self, columns: dict[str, list[Any]], reports: list[str] | None = None) -> None:
        self.ids = columns["unique_id"]
        self.position = {mention_id: i for i, mention_id in enumerate(self.ids)}
        self.name_key = columns["name_key"]
        self.nickname = columns["nickname"]
        self.context = columns["context"]
        self.age = columns["age_estimate"]
        self.given = columns["given_keys"]
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
        # Whose each identifier is: who (given name's key, surname's initial or None) is named
        # in each report, and the reports each identifier is in. A phone or plate is someone's
        # when at least half the other reports holding it (the pair's own two say nothing of
        # whose it is) name someone of that name, others beside them or not (a phone turns up
        # now and then where its owner is not named); one seen mostly with other people is no
        # one's in particular and corroborates nothing. A person's own phone in many of their
        # reports is no common value either, so it is not adjusted for term frequency.
        self.who = [
            (given, surname[0] if surname else None)
            for given, surname in zip(columns["given_key"], columns["surname"], strict=True)
        ]
        report_of = reports if reports is not None else [str(i) for i in range(len(self.ids))]
        self.report = report_of
        self.named_in: dict[str, set[tuple[str | None, str | None]]] = {}
        self.reports_of: dict[str, set[str]] = {}
        for i, report in enumerate(report_of):
            self.named_in.setdefault(report, set()).add(self.who[i])
            for value in self.context[i] or ():
                self.reports_of.setdefault(value, set()).add(report)

    def _theirs(self, value: str, a: int, b: int) -> bool:
        """Whether at least half the reports holding `value`, the pair's own two left out (they
        say nothing of whose it is), name someone who may be both a and b."""

        def alike(one: tuple[str | None, str | None], other: tuple[str | None, str | None]) -> bool:
            return (
                one[0] is not None
                and one[0] == other[0]
                and (one[1] is None or other[1] is None or one[1] == other[1])
            )

        holding = self.reports_of.get(value, set()) - {self.report[a], self.report[b]}
        naming = sum(
            any(alike(w, self.who[a]) and alike(w, self.who[b]) for w in self.named_in[report])
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
            weights[_INDEX["nickname"]] = 0.0  # says no more than the name (see CORROBORATING)
            ignored = ("nickname",)
            changed = True
        theirs = False
        if pair.level("context"):
            shared = set(self.context[a] or ()) & set(self.context[b] or ())
            theirs = any(self._theirs(value, a, b) for value in shared)
            if not theirs:
                weights[_INDEX["context"]] = 0.0  # no one's in particular (see __init__)
                ignored = (*ignored, "context")
                changed = True
        for name, labels in model.TF_LEVELS.items():
            label = pair.level(name)
            if label not in labels or weights[_INDEX[name]] == 0:
                continue
            if name == "context" and theirs:
                continue  # their own identifier (see __init__)
            index = [*model.REASONS[name]].index(label)
            m, u = model.PARAMETERS[name]["m"][index], model.PARAMETERS[name]["u"][index]
            frequency = self._count(name, a, b) / self.population
            if frequency > u:
                weights[_INDEX[name]] = math.log2(m / frequency)
                changed = True
        if not changed:
            return replace(pair, assign_probability=pair.probability)
        bits = self.prior_bits + sum(weights)
        probability = 1 / (1 + 2 ** (-bits)) if bits > -60 else 0.0
        return replace(pair, assign_probability=probability, uncorroborating=ignored)

    def compatible(self, a: str, b: str) -> bool:
        """Whether two mentions can be one person: ages (when both known) at most AGE_APART
        years apart, given names (when both known) of one group and surnames (when both
        known) with the same initial, so that a given name alone ("Anthony") never bridges
        two men of that given name and different surnames."""
        i, j = self.position[a], self.position[b]
        age_a, age_b = self.age[i], self.age[j]
        if age_a is not None and age_b is not None and abs(age_a - age_b) > model.AGE_APART:
            return False
        initial_a, initial_b = self.who[i][1], self.who[j][1]
        if initial_a and initial_b and initial_a != initial_b:
            return False
        given_a, given_b = self.given[i], self.given[j]
        return not (given_a and given_b and not set(given_a) & set(given_b))


@dataclass
class Resolution:
    engine: str
    clusters: dict[str, str] = field(default_factory=dict)  # mention id -> cluster id
    # Every pair Splink scored at or above SUGGEST_AT, with its term-frequency adjusted
    # assign_probability.
    pairs: list[Pair] = field(default_factory=list)
    # Strong pairs that analysts' decisions kept apart (children's are not counted).
    refused: list[Pair] = field(default_factory=list)
    # Pairs resolved before the run (`linked`) that analysts' decisions now keep apart.
    unlinked: list[tuple[str, str]] = field(default_factory=list)
    records: int = 0
    prior: float = 0.0
    splink_settings: dict[str, Any] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def cluster_count(self) -> int:
        return len(set(self.clusters.values()))

    @property
    def joined(self) -> int:
        """How many mentions share their cluster with another."""
        sizes: dict[str, int] = {}
        for cluster in self.clusters.values():
            sizes[cluster] = sizes.get(cluster, 0) + 1
        return sum(size for size in sizes.values() if size > 1)


class _Clusters:
    """Union-find with cannot-link pairs and groups fixed by analysts."""

    def __init__(
        self,
        ids: Iterable[str],
        *,
        apart: Iterable[tuple[str, str]],
        fixed: dict[str, str],
        alone: set[str],
    ) -> None:
        self.parent = {i: i for i in ids}
        self.partners: dict[str, set[str]] = {}
        for a, b in apart:
            if a in self.parent and b in self.parent:
                self.partners.setdefault(a, set()).add(b)
                self.partners.setdefault(b, set()).add(a)
        # Per root: the constrained members in it, and the analysts' group it is (if any).
        self.constrained: dict[str, set[str]] = {i: {i} for i in self.partners}
        self.group: dict[str, str] = {}
        self.alone = alone
        self.members: dict[str, list[str]] = {}  # per root of more than one mention
        by_group: dict[str, str] = {}
        for mention_id, group in fixed.items():
            if mention_id not in self.parent:
                continue
            if group in by_group:
                self._union(self.find(by_group[group]), self.find(mention_id))
            else:
                by_group[group] = mention_id
                self.group[self.find(mention_id)] = group

    def find(self, item: str) -> str:
        parent = self.parent
        root = item
        while parent[root] != root:
            root = parent[root]
        while parent[item] != root:
            parent[item], item = root, parent[item]
        return root

    def _union(self, ra: str, rb: str) -> None:
        if ra == rb:
            return
        self.parent[rb] = ra
        self.members[ra] = [*self.members.pop(ra, [ra]), *self.members.pop(rb, [rb])]
        if rb in self.constrained:
            self.constrained.setdefault(ra, set()).update(self.constrained.pop(rb))
        if rb in self.group:
            self.group.setdefault(ra, self.group.pop(rb))

    def join(
        self, a: str, b: str, compatible: Callable[[str, str], bool] | None = None
    ) -> bool | None:
        """Join two mentions' clusters unless an analyst's decision forbids it (False) or, with
        `compatible`, a mention of one cannot be the same person as a mention of the other or
        the cluster would grow past CLUSTER_MAX (None). Children are never joined: see
        `cluster`."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        ga, gb = self.group.get(ra), self.group.get(rb)
        if ga is not None and gb is not None and ga != gb:
            return False
        if compatible is not None:
            left, right = self.members.get(ra, [ra]), self.members.get(rb, [rb])
            if len(left) + len(right) > model.CLUSTER_MAX:
                return None
            if not all(compatible(x, y) for x in left for y in right):
                return None
        small, other = (
            (ra, rb)
            if len(self.constrained.get(ra, ())) <= len(self.constrained.get(rb, ()))
            else (rb, ra)
        )
        for member in self.constrained.get(small, ()):
            if any(self.find(p) == other for p in self.partners[member]):
                return False
        self._union(ra, rb)
        return True


def cluster(
    ids: list[str],
    pairs: list[Pair],
    *,
    apart: Iterable[tuple[str, str]] = (),
    fixed: dict[str, str] | None = None,
    alone: set[str] | None = None,
    compatible: Callable[[str, str], bool] | None = None,
    linked: Iterable[tuple[str, str]] = (),
    unlinked: list[tuple[str, str]] | None = None,
) -> tuple[dict[str, str], list[Pair]]:
    """Clusters from the assignable pairs (at or above CLUSTER_AT and corroborated), strongest
    first; returns the clusters (mention id -> cluster id, the smallest member id) and the
    strong pairs analysts' decisions refused. With `compatible`, a join that would put two
    mentions that cannot be one person in a cluster is not made (the pair stays a suggestion).

    `linked` pairs (resolved before: see the module) are joined first, checked against
    analysts' decisions only; those refused are added to `unlinked`."""
    clusters = _Clusters(ids, apart=apart, fixed=fixed or {}, alone=alone or set())
    kept_apart = unlinked if unlinked is not None else []
    for a, b in sorted(linked):
        if a not in clusters.parent or b not in clusters.parent:
            continue
        if a in clusters.alone or b in clusters.alone or not clusters.join(a, b):
            kept_apart.append((a, b))
    refused = []
    strong = [p for p in pairs if p.assignable]
    strong.sort(key=lambda p: (-p.strength, p.left, p.right))
    for pair in strong:
        if pair.left in clusters.alone or pair.right in clusters.alone:
            continue  # a child's: only ever a suggestion, not a refusal
        if clusters.join(pair.left, pair.right, compatible) is False:
            refused.append(pair)
    smallest: dict[str, str] = {}
    for mention_id in ids:
        root = clusters.find(mention_id)
        if root not in smallest or mention_id < smallest[root]:
            smallest[root] = mention_id
    return {m: smallest[clusters.find(m)] for m in ids}, refused


def resolve(
    records: list[dict[str, Any]],
    *,
    engine: str = "duckdb",
    apart: Iterable[tuple[str, str]] = (),
    fixed: dict[str, str] | None = None,
    linked: Iterable[tuple[str, str]] = (),
    progress: Progress | None = None,
) -> Resolution:
    """Score and cluster `records` (see resolve_person_records) on `engine`.

    `apart`: pairs of mention ids never to be in one cluster (an analyst rejected them);
    `fixed`: mention id -> group for mentions an analyst placed (same group, same cluster;
    different groups are never joined). Records with is_child are never joined.
    `linked`: pairs already resolved, joined whatever Splink says unless analysts forbid it
    (`Resolution.unlinked`).
    """

    def step(stage: str, done: int, total: int) -> None:
        if progress is not None:
            progress(stage, done, total)

    started = time.monotonic()
    result = Resolution(engine=engine, records=len(records))
    step("prepare", 0, len(records))
    columns = model.model_columns(records)
    ids = columns["unique_id"]
    alone = {str(r["mention_id"]) for r in records if r.get("is_child")}
    result.prior = model.prior(len(ids))
    result.seconds["prepare"] = round(time.monotonic() - started, 3)
    step("prepare", len(records), len(records))

    mark = time.monotonic()
    if len(ids) > 1:
        runner = _runner(engine)
        scored, result.splink_settings = runner(columns, step)
    else:
        scored = []
    result.seconds["score"] = round(time.monotonic() - mark, 3)

    mark = time.monotonic()
    step("cluster", 0, len(scored))
    evidence = Evidence(columns, [str(r.get("report_id") or r["mention_id"]) for r in records])
    del columns
    pairs = [evidence.adjusted(p) for p in scored]
    del scored
    result.pairs = pairs
    result.clusters, result.refused = cluster(
        ids,
        pairs,
        apart=apart,
        fixed=fixed,
        alone=alone,
        compatible=evidence.compatible,
        linked=linked,
        unlinked=result.unlinked,
    )
    step("cluster", len(pairs), len(pairs))
    result.seconds["cluster"] = round(time.monotonic() - mark, 3)
    result.seconds["total"] = round(time.monotonic() - started, 3)
    return result


Runner = Callable[[dict[str, list[Any]], Progress], tuple[list[Pair], dict[str, Any]]]


def _runner(engine: str) -> Runner:
    if engine == "duckdb":
        from .duckdb import score

        return score
    if engine == "spark":
        from .spark import score

        return score
    raise ValueError(f"Unknown engine {engine!r}: choose duckdb or spark")


def pairs_from_rows(rows: Iterable[tuple[Any, ...]]) -> list[Pair]:
    """Pairs from (left, right, probability, weight...) rows of a prediction table (ids are
    strings and weights numbers already: a comparison with no data weighs 0, never null)."""
    return [Pair(r[0], r[1], r[2], tuple(r[3:])) for r in rows]


def prediction_columns() -> str:
    weights = ", ".join(f"mw_{name}" for name in model.COMPARISONS)
    return f"unique_id_l, unique_id_r, match_probability, {weights}"
