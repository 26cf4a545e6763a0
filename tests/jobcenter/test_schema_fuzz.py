"""Schemathesis over the Jobcenter part of the OpenAPI schema: no input gives a server error."""

import pytest

from tests.jobcenter.helpers import auth
from tests.schema_fuzz import api_schema, fuzz

EXAMPLES = 15


@pytest.fixture
def jobcenter_schema(db, keep_test_connection):
    return api_schema("^/api/v1/jobcenter/")


def test_schema_documents_the_contract(jobcenter_schema):
    paths = {op.ok().path for op in jobcenter_schema.get_all_operations()}
    assert {
        "/api/v1/jobcenter/verifications/",
        "/api/v1/jobcenter/participants/{customer_number}/",
        "/api/v1/jobcenter/events/",
    } <= paths


def test_no_server_error_for_generated_requests(jc, jobcenter_schema):
    headers = {"Authorization": auth(jc.key)["HTTP_AUTHORIZATION"]}
    result = fuzz(jobcenter_schema, headers=headers, examples=EXAMPLES)
    assert result.server_errors == []
    assert {200, 400} <= result.statuses  # authenticated calls reached the views
