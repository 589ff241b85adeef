"""Reading and checking a pathway.yaml file, and a partnership's folder as a whole."""

from __future__ import annotations

from pathlib import Path

from ..graph import Answer, Node, Outcome, OutcomeKind, PathwayGraph, Question, graph_problems
from .common import (
    _SLUG,
    CONTACTS_FILE,
    DEFAULT_DATA_DIR,
    PATHWAY_FILE,
    PartnershipFiles,
    PartnershipInfo,
    PathwayFile,
    PathwayFileError,
    _clean,
    _id_problem,
    _is_int,
    _read_yaml,
    _string_list,
    _text,
)
from .contacts import contacts_file_read


def _read_partnership(where: str, raw: object, problems: list[str]) -> PartnershipInfo | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: partnership must be a mapping with slug, name and example")
        return None
    slug, name, example = raw.get("slug"), raw.get("name"), raw.get("example", False)
    before = len(problems)
    if not isinstance(slug, str) or not _SLUG.match(slug):
        problems.append(f"{where}: partnership slug must be lower-case words joined by hyphens")
    if not _text(name):
        problems.append(f"{where}: partnership name must be non-empty text")
    if not isinstance(example, bool):
        problems.append(f"{where}: partnership example must be true or false")
    if len(problems) > before:
        return None
    return PartnershipInfo(slug=slug, name=_clean(name), is_example=example)  # type: ignore[arg-type]


def _read_answer(where: str, node_id: str, raw: object, problems: list[str]) -> Answer | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: node {node_id!r}: each answer needs a value and next")
        return None
    value = raw.get("value")
    if isinstance(value, bool):
        problems.append(
            f"{where}: node {node_id!r}: write the answer value in quotes "
            '("yes", "no"), or YAML reads it as true or false'
        )
        return None
    if not _text(value):
        problems.append(f"{where}: node {node_id!r}: an answer has no value")
        return None
    label = raw.get("label", str(value).capitalize())
    if not _text(label):
        problems.append(f"{where}: node {node_id!r}: the answer {value!r} has an empty label")
        return None
    targets = _string_list(raw.get("next", []))
    if targets is None:
        problems.append(
            f"{where}: node {node_id!r}: next of the answer {value!r} must be a node id "
            "or a list of node ids"
        )
        return None
    unknown = sorted(str(k) for k in raw if k not in {"value", "label", "next"})
    if unknown:
        problems.append(f"{where}: node {node_id!r}: unknown answer key(s) {', '.join(unknown)}")
    return Answer(value=str(value).strip(), label=_clean(label), next=tuple(targets))


def _read_node(where: str, index: int, raw: object, problems: list[str]) -> Node | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: node {index + 1}: must be a mapping with an id")
        return None
    node_id = raw.get("id")
    if (problem := _id_problem(node_id)) is not None:
        problems.append(f"{where}: node {index + 1} ({node_id!r}): id {problem}")
        return None
    assert isinstance(node_id, str)
    is_question, is_outcome = "question" in raw, "outcome" in raw
    if is_question == is_outcome:
        problems.append(
            f"{where}: node {node_id!r}: give either question (with answers) or outcome "
            "(with its kind), not both or neither"
        )
        return None
    if is_question:
        unknown = sorted(str(k) for k in raw if k not in {"id", "question", "hint", "answers"})
        if unknown:
            problems.append(f"{where}: node {node_id!r}: unknown key(s) {', '.join(unknown)}")
        if not _text(raw["question"]):
            problems.append(f"{where}: node {node_id!r}: question must be non-empty text")
            return None
        raw_answers = raw.get("answers") or []
        if not isinstance(raw_answers, list):
            problems.append(f"{where}: node {node_id!r}: answers must be a list")
            return None
        answers = [_read_answer(where, node_id, a, problems) for a in raw_answers]
        hint = raw.get("hint", "")
        return Question(
            id=node_id,
            text=_clean(raw["question"]),
            hint=_clean(hint) if isinstance(hint, str) else "",
            answers=tuple(a for a in answers if a is not None),
        )
    unknown = sorted(str(k) for k in raw if k not in {"id", "outcome", "text", "contacts"})
    if unknown:
        problems.append(f"{where}: node {node_id!r}: unknown key(s) {', '.join(unknown)}")
    kind = raw["outcome"]
    if kind not in OutcomeKind._value2member_map_:
        problems.append(
            f"{where}: node {node_id!r}: unknown outcome kind {kind!r} "
            f"(known kinds: {', '.join(k.value for k in OutcomeKind)})"
        )
        return None
    if not _text(raw.get("text")):
        problems.append(f"{where}: node {node_id!r}: text must say what to do")
        return None
    contacts = _string_list(raw.get("contacts", []))
    if contacts is None:
        problems.append(f"{where}: node {node_id!r}: contacts must be a list of service codes")
        return None
    return Outcome(
        id=node_id, kind=OutcomeKind(kind), text=_clean(raw["text"]), contacts=tuple(contacts)
    )


PATHWAY_KEYS = {
    "version",
    "partnership",
    "title",
    "description",
    "differs_from_seed",
    "start",
    "nodes",
}


def pathway_file_read(path: Path, *, contact_codes: set[str] | None = None) -> PathwayFile:
    """Read and check one pathway file. Raises PathwayFileError naming every bad node.

    contact_codes are the services an outcome may name; by default those of the contacts.yaml
    beside the file (none when there is no such file).
    """
    path = Path(path)
    where = path.name if path.parent == Path() else f"{path.parent.name}/{path.name}"
    raw, checksum = _read_yaml(path)
    if contact_codes is None:
        beside = path.parent / CONTACTS_FILE
        contact_codes = (
            {s.code for s in contacts_file_read(beside).directory.services}
            if beside.exists()
            else set()
        )
    if not isinstance(raw, dict):
        raise PathwayFileError([f"{where}: must be a mapping with version, start and nodes"])
    problems: list[str] = []
    unknown = sorted(str(k) for k in raw if k not in PATHWAY_KEYS)
    if unknown:
        problems.append(f"{where}: unknown key(s) {', '.join(unknown)}")
    version = raw.get("version")
    if not (isinstance(version, int) and _is_int(version) and version >= 1):
        problems.append(f"{where}: version must be a whole number of 1 or more")
    partnership = _read_partnership(where, raw.get("partnership"), problems)
    if "differs_from_seed" in raw and not _text(raw["differs_from_seed"]):
        problems.append(f"{where}: differs_from_seed must be non-empty text when given")
    start = raw.get("start")
    if not _text(start):
        problems.append(f"{where}: start is missing: name the first question")
    raw_nodes = raw.get("nodes")
    if not isinstance(raw_nodes, list) or not raw_nodes:
        problems.append(f"{where}: nodes must be a list with at least one node")
        raw_nodes = []
    nodes: dict[str, Node] = {}
    for index, raw_node in enumerate(raw_nodes):
        node = _read_node(where, index, raw_node, problems)
        if node is None:
            continue
        if node.id in nodes:
            problems.append(f"{where}: node {node.id!r}: the id is used by another node")
            continue
        nodes[node.id] = node
    if problems:
        raise PathwayFileError(problems)
    assert partnership is not None
    graph = PathwayGraph(
        partnership=partnership.slug,
        version=version,  # type: ignore[arg-type]
        title=_clean(raw.get("title") or "Referral pathway"),
        description=_clean(raw.get("description") or ""),
        differs_from_seed=_clean(raw.get("differs_from_seed") or ""),
        start=start,  # type: ignore[arg-type]
        nodes=nodes,
    )
    problems = [f"{where}: {p}" for p in graph_problems(graph, contact_codes=contact_codes)]
    if problems:
        raise PathwayFileError(problems)
    return PathwayFile(partnership=partnership, graph=graph, checksum=checksum)


def partnership_files_read(folder: Path) -> PartnershipFiles:
    """Both files of one partnership folder, checked together (outcomes name its services)."""
    contacts_path = folder / CONTACTS_FILE
    contacts = contacts_file_read(contacts_path) if contacts_path.exists() else None
    codes = {s.code for s in contacts.directory.services} if contacts else set()
    pathway = pathway_file_read(folder / PATHWAY_FILE, contact_codes=codes)
    problems: list[str] = []
    if pathway.partnership.slug != folder.name:
        problems.append(
            f"{folder.name}/{PATHWAY_FILE}: partnership slug {pathway.partnership.slug!r} "
            f"does not match its folder {folder.name!r}"
        )
    if contacts and contacts.directory.partnership != folder.name:
        problems.append(
            f"{folder.name}/{CONTACTS_FILE}: partnership {contacts.directory.partnership!r} "
            f"does not match its folder {folder.name!r}"
        )
    if problems:
        raise PathwayFileError(problems)
    return PartnershipFiles(partnership=pathway.partnership, pathway=pathway, contacts=contacts)


def shipped_folders(data_dir: Path | None = None) -> list[Path]:
    directory = Path(data_dir) if data_dir is not None else DEFAULT_DATA_DIR
    return sorted(p for p in directory.iterdir() if p.is_dir() and (p / PATHWAY_FILE).exists())
