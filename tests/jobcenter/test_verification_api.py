import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enrolment.models import Enrolment
from jobcenter.models import AccessLogEntry, AccessLogRecord, ConsentScope, ParticipationRule
from jobcenter.services import consent_revoke, link_end
from tests.factories import EnrolmentFactory, JobcenterLinkFactory, LearnerFactory
from tests.jobcenter.helpers import auth

URL = "/api/v1/jobcenter/verifications/"


def verify(client, key, participants):
    return client.post(URL, {"participants": participants}, format="json", **auth(key))


def p(learner, number):
    return {"customer_number": number, "date_of_birth": learner.date_of_birth.isoformat()}


def test_linked_client_is_found_with_enrolment_attendance_and_internship(jc, api_client):
    r = verify(api_client, jc.key, [p(jc.ana, "JC-1001")])
    assert r.status_code == 200
    (result,) = r.json()["results"]
    assert result["found"] is True and result["customer_number"] == "JC-1001"
    (enrolment,) = result["enrolments"]
    assert enrolment["status"] == "enrolled"
    assert enrolment["course_type"] == jc.course.course_type.code
    assert enrolment["provider"] == str(jc.course.provider)
    assert enrolment["ue_per_week"] == 25
    assert enrolment["start_date"] == jc.course.start_date.isoformat()
    att = enrolment["attendance"]
    assert att["ue_attended"] == 20.0
    assert att["unexcused_days"] == 1
    assert att["ue_held"] >= 25
    assert att["rate"] == pytest.approx(20 / att["ue_held"], abs=1e-4)
    assert att["last_attended"] is not None
    assert set(att) == {"ue_held", "ue_attended", "rate", "unexcused_days", "last_attended"}
    assert enrolment["proper_participation"] is (att["rate"] >= 0.8)
    (internship,) = result["internships"]
    assert internship == {
        "employer": "Bäckerei Ruge",
        "start_date": (timezone.localdate() - dt.timedelta(days=7)).isoformat(),
        "end_date": (timezone.localdate() + dt.timedelta(days=21)).isoformat(),
        "hours_per_week": 20.0,
        "status": "running",
    }


def test_proper_participation_follows_the_jobcenters_own_rule(jc, api_client):
    ParticipationRule.objects.create(
        jobcenter=jc.world.jobcenter, valid_from=dt.date(2020, 1, 1), min_rate=Decimal("0.05")
    )
    enrolment = verify(api_client, jc.key, [p(jc.ana, "JC-1001")]).json()["results"][0][
        "enrolments"
    ][0]
    assert enrolment["proper_participation"] is True
    ParticipationRule.objects.create(
        jobcenter=jc.world.jobcenter,
        valid_from=dt.date(2021, 1, 1),
        min_rate=Decimal("0.05"),
        max_unexcused_days=0,
    )
    enrolment = verify(api_client, jc.key, [p(jc.ana, "JC-1001")]).json()["results"][0][
        "enrolments"
    ][0]
    assert enrolment["proper_participation"] is False


def test_the_jobcenters_own_rule_in_force_wins_over_the_default_and_other_jobcenters(
    jc, api_client
):
    def proper() -> bool:
        result = verify(api_client, jc.key, [p(jc.ana, "JC-1001")]).json()["results"][0]
        return result["enrolments"][0]["proper_participation"]

    today = timezone.localdate()
    # Ana attended 20 UE of at least 25 held: below 1.00, above 0.00.
    ParticipationRule.objects.create(jobcenter=None, valid_from=today, min_rate=Decimal("0"))
    assert proper() is True  # the default (newest version) applies
    ParticipationRule.objects.create(
        jobcenter=jc.world.other_jobcenter, valid_from=today, min_rate=Decimal("1")
    )
    assert proper() is True  # another Jobcenter's rule does not
    ParticipationRule.objects.create(
        jobcenter=jc.world.jobcenter, valid_from=dt.date(2020, 1, 1), min_rate=Decimal("1")
    )
    assert proper() is False  # its own rule wins over a newer default
    ParticipationRule.objects.create(
        jobcenter=jc.world.jobcenter,
        valid_from=today + dt.timedelta(days=1),
        min_rate=Decimal("0"),
    )
    assert proper() is False  # a version from tomorrow is not in force yet


def test_proper_participation_is_null_before_any_ue_was_held(jc, api_client):
    other = LearnerFactory(provider=jc.world.a.provider)
    JobcenterLinkFactory(learner=other, jobcenter=jc.world.jobcenter, customer_number="JC-1002")
    EnrolmentFactory(learner=other, course=jc.world.a.course)  # starts in two weeks
    enrolment = verify(api_client, jc.key, [p(other, "JC-1002")]).json()["results"][0][
        "enrolments"
    ][0]
    assert enrolment["attendance"]["rate"] is None
    assert enrolment["proper_participation"] is None


def test_applied_reads_as_waitlisted(jc, api_client):
    other = LearnerFactory(provider=jc.world.a.provider)
    JobcenterLinkFactory(learner=other, jobcenter=jc.world.jobcenter, customer_number="JC-1003")
    EnrolmentFactory(learner=other, course=jc.world.a.course, status=Enrolment.Status.APPLIED)
    enrolment = verify(api_client, jc.key, [p(other, "JC-1003")]).json()["results"][0][
        "enrolments"
    ][0]
    assert enrolment["status"] == "waitlisted"
    assert enrolment["proper_participation"] is None


def test_unknown_number_wrong_birthday_unlinked_and_foreign_client_look_the_same(jc, api_client):
    wrong_day = {
        "customer_number": "JC-1001",
        "date_of_birth": (jc.ana.date_of_birth + dt.timedelta(days=1)).isoformat(),
    }
    asks = [
        {"customer_number": "NOPE-1", "date_of_birth": "1990-01-01"},
        wrong_day,
        p(jc.cem, "JC-1001"),  # unlinked learner under a real number
        p(jc.ben, "JC-2001"),  # Jobcenter B's client
    ]
    results = verify(api_client, jc.key, asks).json()["results"]
    for ask, result in zip(asks, results, strict=True):
        assert result == {
            "customer_number": ask["customer_number"],
            "found": False,
            "enrolments": [],
            "internships": [],
        }


def test_jobcenter_b_never_sees_jobcenter_a_clients(jc, api_client):
    r = verify(api_client, jc.other_key, [p(jc.ana, "JC-1001"), p(jc.ben, "JC-2001")])
    found = [res["found"] for res in r.json()["results"]]
    assert found == [False, True]
    r = api_client.get(
        "/api/v1/jobcenter/participants/JC-1001/",
        {"date_of_birth": jc.ana.date_of_birth.isoformat()},
        **auth(jc.other_key),
    )
    assert r.status_code == 200 and r.json()["found"] is False


def test_revoked_consent_hides_the_learner_immediately(jc, api_client):
    assert verify(api_client, jc.key, [p(jc.ana, "JC-1001")]).json()["results"][0]["found"]
    consent_revoke(link=jc.ana_link, by=None)
    assert not verify(api_client, jc.key, [p(jc.ana, "JC-1001")]).json()["results"][0]["found"]


def test_ended_link_hides_the_learner(jc, api_client):
    link_end(link=jc.ben_link, by=None)
    r = verify(api_client, jc.other_key, [p(jc.ben, "JC-2001")])
    assert r.json()["results"][0]["found"] is False


def test_consent_scope_limits_the_data(jc, api_client):
    consent_revoke(link=jc.ana_link, by=None)
    JobcenterLinkFactory(
        learner=jc.ana,
        jobcenter=jc.world.jobcenter,
        customer_number="JC-1001",
        consent_scope=ConsentScope.ENROLMENT,
    )
    result = verify(api_client, jc.key, [p(jc.ana, "JC-1001")]).json()["results"][0]
    assert result["found"] is True
    assert result["internships"] == []
    assert result["enrolments"][0]["attendance"] is None
    assert result["enrolments"][0]["proper_participation"] is None
    record = AccessLogRecord.objects.get(learner=jc.ana)
    assert record.fields == ["customer_number", "enrolments", "found"]


def test_no_health_details_or_absence_reasons_leave(jc, api_client):
    jc.ana_enrolment.status = Enrolment.Status.WITHDRAWN
    jc.ana_enrolment.withdrawal_reason = Enrolment.WithdrawalReason.ILLNESS
    jc.ana_enrolment.withdrawal_note = "Depression, Attest Dr. Meier"
    jc.ana_enrolment.save()
    jc.ana_enrolment.attendance.update(note="Krank: Grippe")
    body = verify(api_client, jc.key, [p(jc.ana, "JC-1001")]).content.decode()
    for secret in ("illness", "Depression", "Grippe", '"excused_days"', "note", "reason"):
        assert secret not in body
    assert json.loads(body)["results"][0]["enrolments"][0]["status"] == "withdrawn"


def test_results_keep_the_input_order_and_repeat_duplicates(jc, api_client):
    asks = [p(jc.cem, "X-1"), p(jc.ana, "JC-1001"), p(jc.ana, "JC-1001")]
    results = verify(api_client, jc.key, asks).json()["results"]
    assert [r["found"] for r in results] == [False, True, True]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "participants"),
        ({"participants": []}, "participants"),
        ({"participants": [{"customer_number": "A"}]}, "participants.0.date_of_birth"),
        (
            {"participants": [{"customer_number": "A", "date_of_birth": "01.02.1990"}]},
            "participants.0.date_of_birth",
        ),
        (
            {"participants": [{"customer_number": "", "date_of_birth": "1990-02-01"}]},
            "participants.0.customer_number",
        ),
        ({"participants": "nope"}, "participants"),
    ],
)
def test_malformed_input_names_the_fields(jc, api_client, payload, field):
    r = api_client.post(URL, payload, format="json", **auth(jc.key))
    assert r.status_code == 400
    assert r.json()["code"] == "invalid"
    assert field in r.json()["fields"]


def test_more_than_1000_participants_is_refused(jc, api_client):
    asks = [{"customer_number": f"N{i}", "date_of_birth": "1990-01-01"} for i in range(1001)]
    r = verify(api_client, jc.key, asks)
    assert r.status_code == 400 and "participants" in r.json()["fields"]


def test_participant_lookup_takes_the_birth_date_in_the_body_or_a_header(jc, api_client):
    url = "/api/v1/jobcenter/participants/JC-1001/"
    born = jc.ana.date_of_birth.isoformat()
    r = api_client.post(url, {"date_of_birth": born}, format="json", **auth(jc.key))
    assert r.status_code == 200 and r.json()["found"] is True
    r = api_client.get(url, HTTP_X_DATE_OF_BIRTH=born, **auth(jc.key))
    assert r.status_code == 200 and r.json()["found"] is True
    r = api_client.post(url, {}, format="json", **auth(jc.key))
    assert r.status_code == 400 and "date_of_birth" in r.json()["fields"]


def test_the_access_log_keeps_no_birth_date_from_the_url(jc, api_client):
    """The deprecated query form still answers, but the log stores the path alone."""
    born = jc.ana.date_of_birth.isoformat()
    url = "/api/v1/jobcenter/participants/JC-1001/"
    r = api_client.get(url, {"date_of_birth": born}, **auth(jc.key))
    assert r.status_code == 200
    entry = AccessLogEntry.objects.get()
    assert entry.path == url
    assert born not in entry.path
    record = entry.learner_rows.get()
    assert (record.learner_id, record.customer_number) == (jc.ana.pk, "JC-1001")


def test_participant_lookup_returns_one_result(jc, api_client):
    url = "/api/v1/jobcenter/participants/JC-1001/"
    r = api_client.get(url, {"date_of_birth": jc.ana.date_of_birth.isoformat()}, **auth(jc.key))
    assert r.status_code == 200 and r.json()["found"] is True
    r = api_client.get(url, **auth(jc.key))
    assert r.status_code == 400 and "date_of_birth" in r.json()["fields"]


def _queries(client, key, asks) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = verify(client, key, asks)
    assert r.status_code == 200
    return len(ctx.captured_queries)


def test_found_and_not_found_cost_the_same_queries(jc, api_client):
    found = _queries(api_client, jc.key, [p(jc.ana, "JC-1001")])
    unknown = _queries(
        api_client, jc.key, [{"customer_number": "X", "date_of_birth": "1990-01-01"}]
    )
    unlinked = _queries(api_client, jc.key, [p(jc.cem, "JC-1001")])
    assert found == unknown == unlinked


def test_bulk_verification_of_1000_uses_a_constant_number_of_queries(
    jc, api_client, django_assert_num_queries
):
    provider = jc.world.a.provider
    learners = LearnerFactory.create_batch(30, provider=provider)
    for i, learner in enumerate(learners):
        JobcenterLinkFactory(
            learner=learner, jobcenter=jc.world.jobcenter, customer_number=f"B-{i}"
        )
        EnrolmentFactory(learner=learner, course=jc.course)
    asks = [p(learner, f"B-{i}") for i, learner in enumerate(learners)]
    asks += [{"customer_number": f"U-{i}", "date_of_birth": "1990-01-01"} for i in range(970)]
    # key lookup, links, the rule in force, enrolments, placements, 2 × attendance, then the
    # access log in a transaction (savepoint, entry, records in one bulk insert, release)
    expected = 11
    with django_assert_num_queries(expected):
        r = verify(api_client, jc.key, asks)
    results = r.json()["results"]
    assert len(results) == 1000
    assert sum(res["found"] for res in results) == 30
    assert AccessLogEntry.objects.latest("pk").records == 30
    small = _queries(api_client, jc.key, asks[:2])
    assert small == expected


def test_plain_input_and_serializer_input_read_the_same(jc, api_client):
    """The fast path for well-formed input and the serializer (numbers as JSON integers, padded
    or non-ASCII numbers) give the same answers."""
    dob = jc.ana.date_of_birth.isoformat()
    asks = [
        {"customer_number": " JC-1001 ", "date_of_birth": dob},
        {"customer_number": "JC-1001", "date_of_birth": dob, "extra": 1},
    ]
    fast = verify(api_client, jc.key, asks).json()["results"]
    slow = verify(api_client, jc.key, [*asks, {"customer_number": 1001, "date_of_birth": dob}])
    assert slow.status_code == 200
    *slow_results, number = slow.json()["results"]
    assert fast == slow_results and fast[0]["found"] is True
    assert number["customer_number"] == "1001" and number["found"] is False
    r = verify(api_client, jc.key, [{"customer_number": "JC-1ÖÖ1", "date_of_birth": dob}])
    assert r.status_code == 200 and r.json()["results"][0]["found"] is False
