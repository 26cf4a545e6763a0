"""Schemathesis runs over the project's OpenAPI schema, shared by the API fuzz tests."""

from __future__ import annotations

from dataclasses import dataclass, field

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from config.wsgi import application


def api_schema(path_regex: str):
    return schemathesis.openapi.from_wsgi("/api/schema/", application).include(
        path_regex=path_regex
    )


@dataclass
class FuzzResult:
    server_errors: list[tuple] = field(default_factory=list)
    statuses: set[int] = field(default_factory=set)


def fuzz(schema, *, headers: dict[str, str], examples: int, result: FuzzResult | None = None):
    """Positive and negative examples of every operation; 5xx answers are collected."""
    result = result or FuzzResult()
    for operation_result in schema.get_all_operations():
        operation = operation_result.ok()
        strategy = st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        )

        @given(case=strategy)
        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            response = case.call(headers=headers)
            result.statuses.add(response.status_code)
            if response.status_code >= 500:
                result.server_errors.append(
                    (case.method, case.formatted_path, response.status_code)
                )

        run()
    return result
