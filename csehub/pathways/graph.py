"""A referral pathway as a decision graph, checked and walked without touching the database.

Questions have answers; an answer leads to one or more next nodes, so one answer can reach
several outcomes at once (Southwark: "yes" goes to the allocated social worker *and* to the
police referral desk). Outcomes end a branch. The graph must be a tree-like DAG from `start`:
no dead ends, no cycles, nothing unreachable. `graph_problems` lists every problem, each
naming the node, so whoever edits a pathway file can find the line to fix.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


class OutcomeKind(enum.StrEnum):
    """What a pathway can tell a practitioner to do. Referrals are built on these codes."""

    CALL_999 = "call_999"
    REFER_CHILDRENS_SOCIAL_CARE = "refer_childrens_social_care"
    SEEK_ADVICE_CHILDRENS_SOCIAL_CARE = "seek_advice_childrens_social_care"
    INFORM_ALLOCATED_SOCIAL_WORKER = "inform_allocated_social_worker"
    REFER_POLICE_CSE_DESK = "refer_police_cse_desk"
    REPORT_MISSING_TO_POLICE = "report_missing_to_police"
    AGENCY_LEADS_MONITORS_EARLY_HELP = "agency_leads_monitors_early_help"
    COMPLETE_RISK_IDENTIFICATION_TOOL = "complete_risk_identification_tool"
    CONSIDER_MACE = "consider_mace"
    SHARE_INTELLIGENCE = "share_intelligence"

    @property
    def label(self) -> str:
        return OUTCOME_KIND_LABELS[self]


OUTCOME_KIND_LABELS: dict[OutcomeKind, str] = {
    OutcomeKind.CALL_999: "Call 999",
    OutcomeKind.REFER_CHILDRENS_SOCIAL_CARE: "Refer to children's social care",
    OutcomeKind.SEEK_ADVICE_CHILDRENS_SOCIAL_CARE: "Talk it through with children's social care",
    OutcomeKind.INFORM_ALLOCATED_SOCIAL_WORKER: (
        "Send to the allocated social worker for information"
    ),
    OutcomeKind.REFER_POLICE_CSE_DESK: "Send to the police referral desk",
    OutcomeKind.REPORT_MISSING_TO_POLICE: "Report the child missing to the police",
    OutcomeKind.AGENCY_LEADS_MONITORS_EARLY_HELP: (
        "Your agency leads, monitors and considers early help"
    ),
    OutcomeKind.COMPLETE_RISK_IDENTIFICATION_TOOL: "Complete the risk identification tool",
    OutcomeKind.CONSIDER_MACE: "Consider the multi-agency child exploitation (MACE) process",
    OutcomeKind.SHARE_INTELLIGENCE: "Share what you know as intelligence",
}


@dataclass(frozen=True)
class Answer:
    value: str  # the code sent by the form, e.g. "yes"
    label: str  # what the user reads, e.g. "Yes"
    next: tuple[str, ...]  # node ids, in the order they are followed


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    hint: str
    answers: tuple[Answer, ...]

    def answer(self, value: str) -> Answer | None:
        for answer in self.answers:
            if answer.value == value:
                return answer
        return None


@dataclass(frozen=True)
class Outcome:
    id: str
    kind: OutcomeKind
    text: str
    contacts: tuple[str, ...]  # service codes in the partnership's contact directory

    @property
    def kind_label(self) -> str:
        return self.kind.label


Node = Question | Outcome


@dataclass(frozen=True)
class PathwayGraph:
    partnership: str  # slug
    version: int
    title: str
    description: str
    start: str
    nodes: Mapping[str, Node]
    # Where and why a partnership's pathway departs from the seed flowchart (Southwark's),
    # shown on the pathway page so no one mistakes a local choice for the seed's.
    differs_from_seed: str = ""

    @property
    def questions(self) -> list[Question]:
        return [n for n in self.nodes.values() if isinstance(n, Question)]

    @property
    def outcomes(self) -> list[Outcome]:
        return [n for n in self.nodes.values() if isinstance(n, Outcome)]

    def node(self, node_id: str) -> Node:
        return self.nodes[node_id]


@dataclass(frozen=True)
class AnsweredQuestion:
    question: Question
    answer: Answer


@dataclass(frozen=True)
class WalkResult:
    """Where a set of answers leads.

    `outcomes` are in the order they are reached, so "call 999" comes first when the immediate
    danger question comes first. `next_question` is the first question still to answer (None
    when the walk is complete); outcomes reached before it are already listed.
    """

    asked: tuple[AnsweredQuestion, ...]
    outcomes: tuple[Outcome, ...]
    next_question: Question | None
    invalid: tuple[str, ...] = field(default=())  # question ids given an answer they lack

    @property
    def is_complete(self) -> bool:
        return self.next_question is None

    @property
    def outcome_kinds(self) -> list[OutcomeKind]:
        return [outcome.kind for outcome in self.outcomes]


def pathway_walk(graph: PathwayGraph, answers: Mapping[str, str]) -> WalkResult:
    """Follow the answers from the start, depth first in file order.

    A node reached twice (two branches joining) is visited once. Answers to questions the walk
    does not reach are ignored; an answer a question does not offer counts as unanswered.
    """
    asked: list[AnsweredQuestion] = []
    outcomes: list[Outcome] = []
    invalid: list[str] = []
    visited: set[str] = set()
    stack: list[str] = [graph.start]
    while stack:
        node_id = stack.pop()
        if node_id in visited:
            continue
        visited.add(node_id)
        node = graph.nodes[node_id]
        if isinstance(node, Outcome):
            outcomes.append(node)
            continue
        given = answers.get(node.id)
        answer = node.answer(given) if given is not None else None
        if answer is None:
            if given:
                invalid.append(node.id)
            return WalkResult(tuple(asked), tuple(outcomes), node, tuple(invalid))
        asked.append(AnsweredQuestion(node, answer))
        stack.extend(reversed(answer.next))
    return WalkResult(tuple(asked), tuple(outcomes), None, tuple(invalid))


def graph_problems(graph: PathwayGraph, *, contact_codes: Iterable[str] = ()) -> list[str]:
    """Every structural problem in the graph, each naming the node; empty when valid."""
    problems: list[str] = []
    known_contacts = set(contact_codes)
    if not graph.start:
        return ["start is missing: name the first question"]
    if graph.start not in graph.nodes:
        return [f"start: names node {graph.start!r}, which is not defined"]
    broken_edges = False
    for node in graph.nodes.values():
        if isinstance(node, Outcome):
            for code in node.contacts:
                if code not in known_contacts:
                    problems.append(
                        f"node {node.id!r}: contact service {code!r} is not in the "
                        "partnership's contact directory"
                    )
            continue
        if not node.answers:
            problems.append(f"node {node.id!r}: dead end, the question has no answers")
        seen: set[str] = set()
        for answer in node.answers:
            if answer.value in seen:
                problems.append(f"node {node.id!r}: the answer {answer.value!r} appears twice")
            seen.add(answer.value)
            if not answer.next:
                problems.append(
                    f"node {node.id!r}: dead end, the answer {answer.value!r} leads nowhere"
                )
            for target in answer.next:
                if target not in graph.nodes:
                    broken_edges = True
                    problems.append(
                        f"node {node.id!r}: the answer {answer.value!r} leads to unknown "
                        f"node {target!r}"
                    )
    if broken_edges:
        return problems
    problems.extend(_cycle_problems(graph))
    reachable = _reachable(graph)
    for node_id in graph.nodes:
        if node_id not in reachable:
            problems.append(f"node {node_id!r}: unreachable from the start {graph.start!r}")
    return problems


def _successors(node: Node) -> list[str]:
    if isinstance(node, Outcome):
        return []
    return [target for answer in node.answers for target in answer.next]


def _reachable(graph: PathwayGraph) -> set[str]:
    seen = {graph.start}
    stack = [graph.start]
    while stack:
        for target in _successors(graph.nodes[stack.pop()]):
            if target not in seen:
                seen.add(target)
                stack.append(target)
    return seen


def _cycle_problems(graph: PathwayGraph) -> list[str]:
    """Depth-first search with colours; a grey node met again closes a loop."""
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(graph.nodes, white)
    problems: list[str] = []

    def visit(node_id: str, path: list[str]) -> None:
        colour[node_id] = grey
        path.append(node_id)
        for target in _successors(graph.nodes[node_id]):
            if colour[target] == grey:
                loop = [*path[path.index(target) :], target]
                problems.append(f"node {node_id!r}: cycle {' -> '.join(loop)}")
            elif colour[target] == white:
                visit(target, path)
        path.pop()
        colour[node_id] = black

    for node_id in graph.nodes:
        if colour[node_id] == white:
            visit(node_id, [])
    return problems
