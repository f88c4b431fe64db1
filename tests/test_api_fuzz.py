"""Schemathesis against our OpenAPI schema on the real index: every generated request gets a
response the schema documents (status code, content type, headers, body shape), never a 5xx,
and schema-invalid requests are refused."""

from __future__ import annotations

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.app import create_app
from rag.config import Settings

# Skipped: a schema-valid request must be accepted. `q` and `question` are refused when blank or
# longer than IMR_MAX_QUERY_CHARS, a runtime setting the static schema cannot carry, so a valid
# string can get the documented 422; every other check runs.
EXCLUDED = [positive_data_acceptance]


def test_generated_requests_get_documented_responses(real_index) -> None:
    app = create_app(Settings(index_dir=real_index, rate_limit_per_minute=0))
    statuses: list[int] = []
    with TestClient(app):  # runs the lifespan, so the real index is loaded
        schema = schemathesis.openapi.from_asgi("/openapi.json", app)
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) >= 5
        for operation in operations:

            @given(case=operation.as_strategy())
            @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
            def check(case) -> None:
                response = case.call_and_validate(excluded_checks=EXCLUDED)
                statuses.append(response.status_code)

            check()
    assert len(statuses) >= 100
    assert any(s == 200 for s in statuses) and any(s >= 400 for s in statuses)
