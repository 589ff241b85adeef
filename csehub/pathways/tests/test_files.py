"""The shipped files validate, and each kind of broken pathway is refused naming the node."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from csehub.pathways.files import (
    PathwayFileError,
    contacts_file_read,
    partnership_files_read,
    pathway_file_read,
    shipped_folders,
)

SHIPPED = ["fernbridge", "leeds", "north-lincolnshire", "southwark"]


def test_every_shipped_partnership_validates():
    folders = shipped_folders()
    assert [f.name for f in folders] == SHIPPED
    for folder in folders:
        files = partnership_files_read(folder)
        assert files.pathway.graph.questions
        assert files.pathway.graph.outcomes


def test_examples_are_marked_and_the_demo_is_not():
    marked = {f.name: partnership_files_read(f).partnership for f in shipped_folders()}
    assert marked["leeds"].is_example and marked["leeds"].name == "Leeds (example)"
    assert marked["north-lincolnshire"].name == "North Lincolnshire (example)"
    assert marked["southwark"].is_example
    assert not marked["fernbridge"].is_example


def test_fernbridge_numbers_are_all_from_the_drama_ranges():
    folder = next(f for f in shipped_folders() if f.name == "fernbridge")
    directory = contacts_file_read(folder / "contacts.yaml").directory
    numbers = [s.phone for s in directory.services]
    numbers += [s.out_of_hours.number for s in directory.services if s.out_of_hours]
    numbers += [o.number for s in directory.services for o in s.other_numbers]
    for number in numbers:
        digits = number.replace(" ", "")
        assert (
            digits.startswith("01632960")
            or digits.startswith("07700900")
            or digits.startswith("08081570")
        ), number


HEADER = """\
version: 1
partnership: {slug: testshire, name: Testshire, example: false}
start: first
nodes:
"""


def _write(tmp_path: Path, nodes: str, header: str = HEADER) -> Path:
    path = tmp_path / "pathway.yaml"
    path.write_text(header + textwrap.indent(textwrap.dedent(nodes), "  "), encoding="utf-8")
    return path


def _problems(path: Path) -> str:
    with pytest.raises(PathwayFileError) as caught:
        pathway_file_read(path)
    return str(caught.value)


def test_a_valid_small_file_is_accepted(tmp_path):
    path = _write(
        tmp_path,
        """
        - id: first
          question: Worried?
          answers:
            - {value: "yes", next: act}
            - {value: "no", next: watch}
        - {id: act, outcome: refer_childrens_social_care, text: Refer.}
        - {id: watch, outcome: agency_leads_monitors_early_help, text: Keep watching.}
        """,
    )
    graph = pathway_file_read(path).graph
    assert len(graph.questions) == 1 and len(graph.outcomes) == 2


def test_a_question_without_answers_is_a_dead_end(tmp_path):
    path = _write(tmp_path, '- {id: first, question: "Worried?", answers: []}\n')
    assert "node 'first': dead end, the question has no answers" in _problems(path)


def test_an_answer_leading_nowhere_is_a_dead_end(tmp_path):
    path = _write(
        tmp_path,
        """
        - id: first
          question: Worried?
          answers:
            - {value: "yes", next: []}
        """,
    )
    assert "node 'first': dead end, the answer 'yes' leads nowhere" in _problems(path)


def test_an_unreachable_node_is_named(tmp_path):
    path = _write(
        tmp_path,
        """
        - id: first
          question: Worried?
          answers:
            - {value: "yes", next: act}
        - {id: act, outcome: refer_childrens_social_care, text: Refer.}
        - {id: orphan, outcome: call_999, text: Call 999.}
        """,
    )
    assert "node 'orphan': unreachable from the start 'first'" in _problems(path)


def test_a_cycle_is_named(tmp_path):
    path = _write(
        tmp_path,
        """
        - id: first
          question: Worried?
          answers:
            - {value: "yes", next: second}
        - id: second
          question: Still worried?
          answers:
            - {value: "yes", next: first}
            - {value: "no", next: act}
        - {id: act, outcome: refer_childrens_social_care, text: Refer.}
        """,
    )
    assert "node 'second': cycle first -> second -> first" in _problems(path)


def test_an_unknown_next_node_is_named(tmp_path):
    path = _write(
        tmp_path,
        """
        - id: first
          question: Worried?
          answers:
            - {value: "yes", next: nowhere}
        """,
    )
    assert "node 'first': the answer 'yes' leads to unknown node 'nowhere'" in _problems(path)


def test_an_unknown_outcome_kind_is_named(tmp_path):
    path = _write(
        tmp_path,
        """
        - id: first
          question: Worried?
          answers:
            - {value: "yes", next: act}
        - {id: act, outcome: send_a_postcard, text: Write.}
        """,
    )
    assert "node 'act': unknown outcome kind 'send_a_postcard'" in _problems(path)


def test_duplicate_answers_are_named(tmp_path):
    path = _write(
        tmp_path,
        """
        - id: first
          question: Worried?
          answers:
            - {value: "yes", next: act}
            - {value: "yes", next: act}
        - {id: act, outcome: refer_childrens_social_care, text: Refer.}
        """,
    )
    assert "node 'first': the answer 'yes' appears twice" in _problems(path)


def test_an_unknown_contact_service_is_named(tmp_path):
    (tmp_path / "contacts.yaml").write_text(
        textwrap.dedent(
            """\
            version: 1
            partnership: testshire
            services:
              - code: front_door
                name: front door
                purpose: Referrals.
                phone: "01632 960001"
                hours: {weekdays: "09:00-17:00"}
            """
        ),
        encoding="utf-8",
    )
    path = _write(
        tmp_path,
        """
        - id: first
          question: Worried?
          answers:
            - {value: "yes", next: act}
        - {id: act, outcome: refer_childrens_social_care, text: Refer., contacts: [back_door]}
        """,
    )
    problems = _problems(path)
    assert "node 'act': contact service 'back_door' is not in the partnership's" in problems


def test_a_missing_start_is_reported(tmp_path):
    header = "version: 1\npartnership: {slug: testshire, name: Testshire}\nnodes:\n"
    path = _write(tmp_path, "- {id: act, outcome: call_999, text: Call.}\n", header=header)
    assert "start is missing" in _problems(path)


def test_a_start_naming_no_node_is_reported(tmp_path):
    header = HEADER.replace("start: first", "start: elsewhere")
    path = _write(tmp_path, "- {id: act, outcome: call_999, text: Call.}\n", header=header)
    assert "start: names node 'elsewhere', which is not defined" in _problems(path)


def test_an_unquoted_yes_gets_a_plain_explanation(tmp_path):
    path = _write(
        tmp_path,
        """
        - id: first
          question: Worried?
          answers:
            - {value: yes, next: act}
        - {id: act, outcome: call_999, text: Call.}
        """,
    )
    assert "node 'first': write the answer value in quotes" in _problems(path)


def test_contacts_with_bad_hours_name_the_service(tmp_path):
    path = tmp_path / "contacts.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            version: 1
            partnership: testshire
            services:
              - code: front_door
                name: front door
                purpose: Referrals.
                phone: "01632 960001"
                hours: {friday: "17:00-09:00", funday: "09:00-10:00"}
            """
        ),
        encoding="utf-8",
    )
    with pytest.raises(PathwayFileError) as caught:
        contacts_file_read(path)
    assert "service 'front_door': friday '17:00-09:00' closes before it opens" in str(caught.value)
    assert "service 'front_door': 'funday' is not a weekday" in str(caught.value)
