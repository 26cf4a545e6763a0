"""Schemathesis over the referral API with a Jobcenter key: no input gives a server error."""

from tests.jobcenter.helpers import api_key, auth
from tests.schema_fuzz import api_schema, fuzz


def test_no_server_error_for_generated_requests(net, keep_test_connection):
    schema = api_schema("^/api/v1/referrals/")
    headers = {"Authorization": auth(api_key(net.w.jobcenter))["HTTP_AUTHORIZATION"]}
    result = fuzz(schema, headers=headers, examples=25)
    assert result.server_errors == []
    assert {200, 400, 404} <= result.statuses
