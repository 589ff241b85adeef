"""Schemathesis over the published OpenAPI document, in-process: whatever a partner system sends,
the answer is never a server error and always what the document says it will be.

Each operation gets a bounded, derandomised run of EXAMPLES_PER_OPERATION cases (the same cases
every time, so a failure in CI is a failure on a laptop), positive and negative: 32 operations
make about 1,300 cases. Each example picks a persona and, half the time, the ids of real
records that persona may see, so the cases reach past the 404s into the records themselves.
Every example runs in a savepoint that is rolled back: writes are exercised but do not pile up,
and a failed statement cannot poison the test's transaction on PostgreSQL.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 40
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
PERSONAS = ["school_practitioner", "school_dsl", "front_door", "police_desk", "police_analyst"]


CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 9,
        "generation": {
            "max-examples": EXAMPLES_PER_OPERATION,
            "deterministic": True,
            "database": "none",
        },
    }
)
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", get_wsgi_application(), config=CONFIG
)


@pytest.fixture
def in_process():
    # The Django test client does the same: closing "old" connections at the end of a request
    # would close the test's own connection, inside its transaction.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@schema.given(persona=st.sampled_from(PERSONAS), real_ids=st.booleans())
# `records` is built once per operation on purpose; each example rolls its own writes back. A
# busy CI machine is no reason to fail: the bound is the number of examples, not the time.
@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    deadline=None,
)
def test_no_server_errors_and_every_answer_matches_the_schema(
    case, persona, real_ids, records, in_process
):
    who = records[persona]
    if real_ids:
        for name in case.path_parameters or {}:
            if name in who.ids:
                case.path_parameters[name] = who.ids[name]
    with transaction.atomic():
        response = case.call(headers={"Authorization": f"Bearer {who.token}"})
        transaction.set_rollback(True)
    case.validate_response(response, checks=CHECKS)
