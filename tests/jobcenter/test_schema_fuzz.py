"""Schemathesis over the Jobcenter part of the OpenAPI schema: no input gives a server error."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from config.wsgi import application
from tests.jobcenter.helpers import auth

EXAMPLES = 15


@pytest.fixture
def keep_test_connection():
    """Calls go straight to the WSGI app, whose request signals would close the test's
    connection (it sits in the test transaction); Django's own test client unhooks them too."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def jobcenter_schema(db, keep_test_connection):
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    return schema.include(path_regex="^/api/v1/jobcenter/")


def test_schema_documents_the_contract(jobcenter_schema):
    paths = {op.ok().path for op in jobcenter_schema.get_all_operations()}
    assert {
        "/api/v1/jobcenter/verifications/",
        "/api/v1/jobcenter/participants/{customer_number}/",
        "/api/v1/jobcenter/events/",
    } <= paths


def test_no_server_error_for_generated_requests(jc, jobcenter_schema):
    headers = {"Authorization": auth(jc.key)["HTTP_AUTHORIZATION"]}
    failures = []
    statuses: set[int] = set()
    for result in jobcenter_schema.get_all_operations():
        operation = result.ok()
        strategy = st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        )

        @given(case=strategy)
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            response = case.call(headers=headers)
            statuses.add(response.status_code)
            if response.status_code >= 500:
                failures.append((case.method, case.formatted_path, response.status_code))

        run()
    assert failures == []
    assert {200, 400} <= statuses  # authenticated calls reached the views
