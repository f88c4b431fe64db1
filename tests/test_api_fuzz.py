"""Schemathesis against our OpenAPI schema on the real index: no generated request gets a 5xx."""

from __future__ import annotations

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from api.app import create_app
from rag.config import Settings


def test_generated_requests_never_get_a_server_error(real_index) -> None:
    app = create_app(Settings(index_dir=real_index, rate_limit_per_minute=0))
    failures: list[str] = []
    statuses: list[int] = []
    with TestClient(app):  # runs the lifespan, so the real index is loaded
        schema = schemathesis.openapi.from_asgi("/openapi.json", app)
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) >= 5
        for operation in operations:

            @given(case=operation.as_strategy())
            @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
            def check(case) -> None:
                response = case.call()
                statuses.append(response.status_code)
                if response.status_code >= 500:
                    failures.append(
                        f"{case.method} {case.formatted_path} -> {response.status_code}"
                    )

            check()
    assert not failures, failures[:10]
    assert (
        len(statuses) >= 100 and any(s == 200 for s in statuses) and any(s >= 400 for s in statuses)
    )
