"""One resolution: records in, scored pairs out of Splink, then clusters that obey analysts.

Splink scores the blocked pairs on the chosen engine. Each pair's weights are then adjusted for
term frequency (a name, street name or identifier that many mentions in the run carry weighs
less: model.TF_LEVELS), the same way whatever the engine (evidence.RunEvidence). A pair is
joined when the run's evidence makes it clear on its own (names alike word by word with a
phone, plate or account that is theirs, or the same street name: RunEvidence.clear), or when it
reaches CLUSTER_AT so adjusted and something besides the name agrees (model.CORROBORATING);
then two groups under a rare full name whose mean ages agree are joined
(RunEvidence.one_by_name_and_age). What is left from SUGGEST_AT is asked of analysts, one
question for each two groups (`questions`).

The clusters are made here rather than by Splink's connected components, because analysts'
decisions must win and chaining must not glue namesakes: pairs are joined strongest first, and a
join is refused when it would put a pair an analyst rejected, or two entities an analyst keeps
apart, into one cluster, or two mentions that cannot be one person (ages far apart, names not
alike word by word, street names that clash: RunEvidence.compatible), or make a cluster bigger
than CLUSTER_MAX. The model never joins children.

What was already resolved (`linked`: the pairs the on-arrival rules resolved, decision 0015,
and pairs analysts confirmed) is joined first, whatever Splink makes of it, so that a batch
run never loses a resolution; only analysts' decisions (a rejected pair, a split, two entities
kept apart) keep such a pair apart, and it is then returned as `unlinked`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from . import model
from .evidence import RunEvidence
from .pairs import Pair

Progress = Callable[[str, int, int], None]  # (stage, done, total)
# Whether two groups of mentions joined by a pair are one person (the pair, each group's ids).
GroupCheck = Callable[[Pair, list[str], list[str]], bool]
# The levels of Splink's name comparison at which two full names are alike.
FULL_NAME_LEVELS = ("exact", "nickname or spelling", "similar")

STAGES = ["prepare", "score", "cluster"]


@dataclass
class Resolution:
    engine: str
    clusters: dict[str, str] = field(default_factory=dict)  # mention id -> cluster id
    # Every pair Splink scored at or above SUGGEST_AT, with its term-frequency adjusted
    # assign_probability.
    pairs: list[Pair] = field(default_factory=list)
    # What is left for analysts to judge, strongest first: of the pairs not joined, one for
    # each two groups (a person's cluster, a child's entity), and none the run rules out
    # (mentions that cannot be one person: RunEvidence.compatible).
    questions: list[Pair] = field(default_factory=list)
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
    by_name_and_age: GroupCheck | None = None,
    one_person_named: Callable[[list[str]], bool] | None = None,
) -> tuple[dict[str, str], list[Pair]]:
    """Clusters from the assignable pairs (clear, or at or above CLUSTER_AT and corroborated),
    clear ones first, then strongest first; returns the clusters (mention id -> cluster id, the
    smallest member id) and the strong pairs analysts' decisions refused. With `compatible`, a
    join that would put two mentions that cannot be one person in a cluster is not made (the
    pair stays a suggestion). Then, with `by_name_and_age`, other pairs join two groups it finds
    one person, and with `one_person_named`, groups that full names alike tie together are
    joined whole where it finds them one person (see the module).

    `linked` pairs (resolved before: see the module) are joined first, checked against
    analysts' decisions only; those refused are added to `unlinked`."""
    clusters = _Clusters(ids, apart=apart, fixed=fixed or {}, alone=alone or set())
    kept_apart = unlinked if unlinked is not None else []
    for a, b in sorted(linked):
        if a not in clusters.parent or b not in clusters.parent:
            continue
        # Children's resolutions are grouped too, so that no question is asked within one
        # child's entity; the run assigns no child (services.links_run).
        if not clusters.join(a, b):
            kept_apart.append((a, b))
    refused = []
    strong = [p for p in pairs if p.assignable]
    strong.sort(key=lambda p: (not p.clear, -p.strength, p.left, p.right))
    for pair in strong:
        if pair.left in clusters.alone or pair.right in clusters.alone:
            continue  # a child's: only ever a suggestion, not a refusal
        if clusters.join(pair.left, pair.right, compatible) is False:
            refused.append(pair)
    if by_name_and_age is not None:
        _join_by_name_and_age(clusters, pairs, compatible, by_name_and_age)
    if one_person_named is not None:
        _join_name_groups(clusters, pairs, compatible, one_person_named)
    smallest: dict[str, str] = {}
    for mention_id in ids:
        root = clusters.find(mention_id)
        if root not in smallest or mention_id < smallest[root]:
            smallest[root] = mention_id
    return {m: smallest[clusters.find(m)] for m in ids}, refused


def questions(
    pairs: list[Pair], clusters: dict[str, str], compatible: Callable[[str, str], bool]
) -> list[Pair]:
    """The pairs worth an analyst's question, strongest first: not in one cluster already, not
    ruled out (`compatible`), and the strongest for each two clusters (accepting it joins
    them; asking again about another two of their mentions would ask the same thing)."""
    asked: set[tuple[str, str]] = set()
    found = []
    for pair in sorted(pairs, key=lambda p: (-p.probability, p.left, p.right)):
        one, other = sorted((clusters[pair.left], clusters[pair.right]))
        if one == other or (one, other) in asked or not compatible(pair.left, pair.right):
            continue
        asked.add((one, other))
        found.append(pair)
    return found


def _join_by_name_and_age(
    clusters: _Clusters,
    pairs: list[Pair],
    compatible: Callable[[str, str], bool] | None,
    check: GroupCheck,
) -> None:
    """After the assignable pairs: the other pairs, strongest first, join two groups that
    `check` finds one person on the name and the ages (RunEvidence.one_by_name_and_age)."""
    for pair in sorted(pairs, key=lambda p: (-p.probability, p.left, p.right)):
        if pair.assignable or pair.left in clusters.alone or pair.right in clusters.alone:
            continue
        ra, rb = clusters.find(pair.left), clusters.find(pair.right)
        if ra == rb:
            continue
        if check(pair, clusters.members.get(ra, [ra]), clusters.members.get(rb, [rb])):
            clusters.join(pair.left, pair.right, compatible)


def _join_name_groups(
    clusters: _Clusters,
    pairs: list[Pair],
    compatible: Callable[[str, str], bool] | None,
    one_person: Callable[[list[str]], bool],
) -> None:
    """Last, the groups that full names alike tie together (the clusters a pair of full names
    joins, where the two mentions may be one person) are joined whole where `one_person` finds
    the whole group can only be one man (RunEvidence.one_person_named)."""
    tied: dict[str, str] = {}  # root of a cluster -> another it is tied to (union-find)

    def top(root: str) -> str:
        while tied.get(root, root) != root:
            root = tied[root]
        return root

    for pair in pairs:
        if pair.left in clusters.alone or pair.right in clusters.alone:
            continue
        if pair.level("name") not in FULL_NAME_LEVELS:
            continue
        one, other = top(clusters.find(pair.left)), top(clusters.find(pair.right))
        if one != other and (compatible is None or compatible(pair.left, pair.right)):
            tied[other] = one
    groups: dict[str, list[str]] = {}
    for root in tied:
        groups.setdefault(top(root), []).append(root)
    for top_root, roots in groups.items():
        members = [m for r in [top_root, *roots] for m in clusters.members.get(r, [r])]
        if one_person(members):
            for other in members[1:]:
                clusters.join(members[0], other)


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
    different groups are never joined). Records with is_child are never joined by the model,
    only by `linked` pairs (a child's entity: no question is asked within it).
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
    evidence = RunEvidence(
        columns,
        [str(r.get("report_id") or r["mention_id"]) for r in records],
        [r.get("dob") for r in records],
    )
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
        by_name_and_age=evidence.one_by_name_and_age,
        one_person_named=evidence.one_person_named,
    )
    result.questions = questions(pairs, result.clusters, evidence.compatible)
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
