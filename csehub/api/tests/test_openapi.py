"""The OpenAPI document: every operation with typed schemas, and `csehub api schema`."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from .test_operations import OPERATIONS

pytestmark = pytest.mark.django_db


def _document():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_every_operation_is_listed_with_its_schemas():
    document = _document()
    schemas = document["components"]["schemas"]
    for _, method, path, _ in OPERATIONS:
        operation = document["paths"][f"/api/v1{path}"][method.lower()]
        success = next(code for code in operation["responses"] if code.startswith("2"))
        content = operation["responses"][success]["content"]["application/json"]["schema"]
        assert content, f"{method} {path} has no response schema"
        if method in ("POST", "PUT") and "requestBody" in operation:
            body = operation["requestBody"]["content"]["application/json"]["schema"]
            assert body["$ref"].split("/")[-1] in schemas
        assert operation.get("security"), f"{method} {path} does not ask for a token"


def test_writes_document_their_refusals():
    create = _document()["paths"]["/api/v1/children"]["post"]
    assert {"201", "403", "409", "422"} <= set(create["responses"])
    problem = create["responses"]["422"]["content"]["application/json"]["schema"]
    assert problem["$ref"].endswith("/ValidationErrorOut")


def test_the_list_operations_are_paginated():
    listed = _document()["paths"]["/api/v1/concerns"]["get"]
    names = {parameter["name"] for parameter in listed["parameters"]}
    assert {"limit", "offset"} <= names


def test_the_command_prints_the_same_document():
    out = StringIO()
    call_command("api", "schema", stdout=out)
    printed = json.loads(out.getvalue())
    assert printed == _document()


def test_an_unexpected_failure_answers_json_without_repeating_the_input(
    school_practitioner, monkeypatch, caplog
):
    from csehub.api.routers import children

    def broken(*, details, **kwargs):
        raise RuntimeError(f"could not save {details.family_name}")

    monkeypatch.setattr(children.services, "child_create", broken)
    from .conftest import api_client, post

    response = post(
        api_client(school_practitioner),
        "/children",
        {"given_name": "Kayleigh", "family_name": "Marrowby", "age_not_known": True},
    )
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert "Marrowby" not in response.content.decode()
    assert "Marrowby" not in caplog.text
    assert "RuntimeError" in caplog.text


def test_the_csehub_command_line_prints_it(capsys):
    from csehub.cli import main

    main(["api", "schema"])
    printed = json.loads(capsys.readouterr().out)
    assert "/api/v1/concerns/{concern_id}/assessments" in printed["paths"]
