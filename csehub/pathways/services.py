"""Loading pathway and contact files into the database: the only writes the pathways app makes.

A file whose content is unchanged adds nothing. A changed file becomes a new version and the
old one is kept, no longer current; a changed file must carry a higher version number so that
what a referral followed can always be told apart from what replaced it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from csehub.accounts.models import Partnership, User
from csehub.audit.models import Verb
from csehub.audit.services import audit_record

from .files import (
    CONTACTS_FILE,
    PATHWAY_FILE,
    ContactsFile,
    PartnershipFiles,
    PartnershipInfo,
    PathwayFile,
    PathwayFileError,
    partnership_files_read,
    shipped_folders,
)
from .graph import Outcome
from .models import (
    Answer,
    AnswerTarget,
    ClosureDate,
    ContactDirectory,
    ContactNumber,
    ContactService,
    Node,
    NodeContact,
    NodeKind,
    OpeningHours,
    Pathway,
    PathwayVersion,
)


@dataclass(frozen=True)
class PartnershipLoad:
    slug: str
    pathway_version: int
    pathway_changed: bool
    contacts_version: int | None
    contacts_changed: bool


@dataclass(frozen=True)
class LoadReport:
    partnerships: tuple[PartnershipLoad, ...]

    def for_slug(self, slug: str) -> PartnershipLoad:
        for load in self.partnerships:
            if load.slug == slug:
                return load
        raise KeyError(slug)


def _version_problem(where: str, *, loaded: int, wanted: int) -> str | None:
    if wanted <= loaded:
        return (
            f"{where}: the file differs from version {loaded}, which is loaded, but its version "
            f"is {wanted}; give it version {loaded + 1} or higher"
        )
    return None


def _partnership_get_or_create(*, info: PartnershipInfo, actor: User | None) -> Partnership:
    # An existing partnership keeps its name: administrators may have changed it.
    partnership = Partnership.objects.filter(slug=info.slug).first()
    if partnership is not None:
        return partnership
    partnership = Partnership(slug=info.slug, name=info.name, is_example=info.is_example)
    partnership.full_clean()
    partnership.save()
    audit_record(
        actor=actor, verb=Verb.CREATED, target_type="partnership", target_id=str(partnership.pk)
    )
    return partnership


def _pathway_store(
    *, partnership: Partnership, file: PathwayFile, actor: User | None
) -> tuple[int, bool]:
    pathway, _ = Pathway.objects.get_or_create(partnership=partnership)
    current = pathway.versions.filter(is_current=True).first()
    if current is not None and current.checksum == file.checksum:
        return current.version, False
    highest = pathway.versions.order_by("-version").values_list("version", flat=True).first()
    if highest is not None and (
        problem := _version_problem(
            f"{partnership.slug}/{PATHWAY_FILE}", loaded=highest, wanted=file.graph.version
        )
    ):
        raise PathwayFileError([problem])
    if current is not None:
        current.is_current = False
        current.save(update_fields=["is_current"])
    graph = file.graph
    version = PathwayVersion(
        pathway=pathway,
        version=graph.version,
        title=graph.title,
        description=graph.description,
        differs_from_seed=graph.differs_from_seed,
        start_code=graph.start,
        checksum=file.checksum,
        is_current=True,
        loaded_at=timezone.now(),
        loaded_by=actor,
    )
    version.full_clean()
    version.save()
    stored: dict[str, Node] = {}
    for position, spec in enumerate(graph.nodes.values(), start=1):
        is_outcome = isinstance(spec, Outcome)
        node = Node(
            pathway_version=version,
            code=spec.id,
            kind=NodeKind.OUTCOME if is_outcome else NodeKind.QUESTION,
            text=spec.text,
            hint="" if isinstance(spec, Outcome) else spec.hint,
            outcome_kind=spec.kind.value if isinstance(spec, Outcome) else "",
            position=position,
        )
        node.full_clean(exclude=["pathway_version"])
        node.save()
        stored[spec.id] = node
        if isinstance(spec, Outcome):
            for index, code in enumerate(spec.contacts, start=1):
                contact = NodeContact(node=node, service_code=code, position=index)
                contact.full_clean(exclude=["node"])
                contact.save()
    for spec in graph.questions:
        for index, answer_spec in enumerate(spec.answers, start=1):
            answer = Answer(
                node=stored[spec.id],
                value=answer_spec.value,
                label=answer_spec.label,
                position=index,
            )
            answer.full_clean(exclude=["node"])
            answer.save()
            for order, target in enumerate(answer_spec.next, start=1):
                AnswerTarget.objects.create(answer=answer, target=stored[target], position=order)
    audit_record(
        actor=actor,
        verb=Verb.LOADED,
        target_type="pathway_version",
        target_id=str(version.pk),
        detail={
            "partnership_id": partnership.pk,
            "version": graph.version,
            "questions": len(graph.questions),
            "outcomes": len(graph.outcomes),
        },
    )
    return graph.version, True


def _contacts_store(
    *, partnership: Partnership, file: ContactsFile, actor: User | None
) -> tuple[int, bool]:
    directories = ContactDirectory.objects.filter(partnership=partnership)
    current = directories.filter(is_current=True).first()
    if current is not None and current.checksum == file.checksum:
        return current.version, False
    highest = directories.order_by("-version").values_list("version", flat=True).first()
    spec = file.directory
    if highest is not None and (
        problem := _version_problem(
            f"{partnership.slug}/{CONTACTS_FILE}", loaded=highest, wanted=spec.version
        )
    ):
        raise PathwayFileError([problem])
    if current is not None:
        current.is_current = False
        current.save(update_fields=["is_current"])
    directory = ContactDirectory(
        partnership=partnership,
        version=spec.version,
        checksum=file.checksum,
        is_current=True,
        loaded_at=timezone.now(),
        loaded_by=actor,
    )
    directory.full_clean()
    directory.save()
    for position, service_spec in enumerate(spec.services, start=1):
        ooh = service_spec.out_of_hours
        service = ContactService(
            directory=directory,
            code=service_spec.code,
            name=service_spec.name,
            purpose=service_spec.purpose,
            phone=service_spec.phone,
            email=service_spec.email,
            hours_note=service_spec.hours_note,
            out_of_hours_phone=ooh.number if ooh else "",
            out_of_hours_kind=ooh.kind.value if ooh else "",
            out_of_hours_description=ooh.description if ooh else "",
            closed_on_bank_holidays=service_spec.closed_on_bank_holidays,
            position=position,
        )
        service.full_clean(exclude=["directory"])
        service.save()
        for index, other in enumerate(service_spec.other_numbers, start=1):
            number = ContactNumber(
                service=service, label=other.label, number=other.number, position=index
            )
            number.full_clean(exclude=["service"])
            number.save()
        for weekday, ranges in sorted(service_spec.hours.items()):
            for opening in ranges:
                hours = OpeningHours(
                    service=service, weekday=weekday, opens=opening.opens, closes=opening.closes
                )
                hours.full_clean(exclude=["service"])
                hours.save()
    for closure in spec.closures:
        stored = ClosureDate(directory=directory, date=closure.date, reason=closure.reason)
        stored.full_clean(exclude=["directory"])
        stored.save()
    audit_record(
        actor=actor,
        verb=Verb.LOADED,
        target_type="contact_directory",
        target_id=str(directory.pk),
        detail={
            "partnership_id": partnership.pk,
            "version": spec.version,
            "services": len(spec.services),
        },
    )
    return spec.version, True


def _partnership_load(*, files: PartnershipFiles, actor: User | None) -> PartnershipLoad:
    partnership = _partnership_get_or_create(info=files.partnership, actor=actor)
    pathway_version, pathway_changed = _pathway_store(
        partnership=partnership, file=files.pathway, actor=actor
    )
    contacts_version: int | None = None
    contacts_changed = False
    if files.contacts is not None:
        contacts_version, contacts_changed = _contacts_store(
            partnership=partnership, file=files.contacts, actor=actor
        )
    return PartnershipLoad(
        slug=partnership.slug,
        pathway_version=pathway_version,
        pathway_changed=pathway_changed,
        contacts_version=contacts_version,
        contacts_changed=contacts_changed,
    )


@transaction.atomic
def pathway_load(
    *, slug: str | None = None, actor: User | None = None, data_dir: Path | str | None = None
) -> LoadReport:
    """Load the pathway and contact files of every partnership folder (or only `slug`'s).

    Every file is checked before anything is written; on any problem PathwayFileError names
    the file and node and nothing changes. Partnerships named by the files are created when
    missing (the examples), marked as examples where the file says so.
    """
    folders = shipped_folders(Path(data_dir) if data_dir is not None else None)
    if slug is not None:
        folders = [folder for folder in folders if folder.name == slug]
        if not folders:
            raise PathwayFileError([f"{slug}: no pathway folder with that name"])
    problems: list[str] = []
    all_files: list[PartnershipFiles] = []
    for folder in folders:
        try:
            all_files.append(partnership_files_read(folder))
        except PathwayFileError as error:
            problems.extend(error.problems)
    if problems:
        raise PathwayFileError(problems)
    loads = tuple(_partnership_load(files=files, actor=actor) for files in all_files)
    return LoadReport(partnerships=loads)
