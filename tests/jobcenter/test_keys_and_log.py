from django.core.management import call_command

from jobcenter.authentication import JobcenterThrottle
from jobcenter.models import AccessLogEntry, AccessLogRecord, JobcenterAPIKey
from jobcenter.services import api_key_revoke
from people.models import Network, Role
from tests.factories import member
from tests.jobcenter.helpers import auth

URL = "/api/v1/jobcenter/verifications/"


def ask(learner, number="JC-1001"):
    return {
        "participants": [
            {"customer_number": number, "date_of_birth": learner.date_of_birth.isoformat()}
        ]
    }


def test_wrong_key_gets_401(jc, api_client):
    prefix = jc.key.partition(".")[0]
    r = api_client.post(URL, ask(jc.ana), format="json", **auth(prefix + ".wrong-secret"))
    assert r.status_code == 401
    assert r["WWW-Authenticate"] == "Api-Key"


def test_missing_key_and_session_login_get_401(jc, api_client):
    assert api_client.post(URL, ask(jc.ana), format="json").status_code == 401
    api_client.force_login(jc.world.caseworker)
    assert api_client.post(URL, ask(jc.ana), format="json").status_code == 401


def test_revoked_key_gets_401_at_once(jc, api_client):
    assert api_client.post(URL, ask(jc.ana), format="json", **auth(jc.key)).status_code == 200
    api_key_revoke(api_key=JobcenterAPIKey.objects.get(jobcenter=jc.world.jobcenter), by=None)
    assert api_client.post(URL, ask(jc.ana), format="json", **auth(jc.key)).status_code == 401


def test_every_response_is_logged_with_the_records_returned(jc, api_client):
    api_client.post(URL, ask(jc.ana), format="json", **auth("nope.nope"))
    api_client.post(URL, {}, format="json", **auth(jc.key))
    api_client.post(URL, ask(jc.ana), format="json", **auth(jc.key))
    api_client.get("/api/v1/jobcenter/events/", **auth(jc.key))
    entries = list(AccessLogEntry.objects.order_by("pk"))
    assert [(e.status_code, e.jobcenter_id) for e in entries] == [
        (401, None),
        (400, jc.world.jobcenter.pk),
        (200, jc.world.jobcenter.pk),
        (200, jc.world.jobcenter.pk),
    ]
    assert entries[0].key_prefix == "nope"
    key = JobcenterAPIKey.objects.get(jobcenter=jc.world.jobcenter)
    assert entries[2].api_key_id == key.pk and entries[2].records == 1
    record = AccessLogRecord.objects.get(entry=entries[2])
    assert record.learner_id == jc.ana.pk
    assert record.customer_number == "JC-1001"
    assert record.fields == [
        "attendance",
        "customer_number",
        "enrolments",
        "found",
        "internships",
        "proper_participation",
    ]


def test_a_revoked_and_deleted_key_keeps_its_log_entries(jc, api_client):
    assert api_client.post(URL, ask(jc.ana), format="json", **auth(jc.key)).status_code == 200
    JobcenterAPIKey.objects.filter(jobcenter=jc.world.jobcenter).delete()
    entry = AccessLogEntry.objects.get()
    assert entry.api_key_id is None and entry.records == 1


def test_the_access_log_keeps_one_index_on_the_api_key(db, on_postgres):
    """Every API request writes an entry: no pattern-matching index beside the plain one."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
            [AccessLogEntry._meta.db_table, "%api_key_id%"],
        )
        definitions = [row[0] for row in cursor.fetchall()]
    assert len(definitions) == 1
    assert "pattern_ops" not in definitions[0]


def test_lookups_that_find_nobody_are_logged_without_a_learner(jc, api_client):
    api_client.post(URL, ask(jc.cem, "X-9"), format="json", **auth(jc.key))
    record = AccessLogRecord.objects.get()
    assert record.learner_id is None and record.customer_number == "X-9"


def test_rate_limit_answers_429_with_retry_after(jc, api_client, monkeypatch):
    monkeypatch.setattr(JobcenterThrottle, "rate", "2/min", raising=False)
    monkeypatch.setattr(JobcenterThrottle, "get_rate", lambda self: "2/min")
    codes = [
        api_client.post(URL, ask(jc.ana), format="json", **auth(jc.key)).status_code
        for _ in range(3)
    ]
    assert codes == [200, 200, 429]
    r = api_client.post(URL, ask(jc.ana), format="json", **auth(jc.key))
    assert r.status_code == 429 and int(r["Retry-After"]) > 0
    # the other Jobcenter has its own budget
    assert api_client.post(URL, ask(jc.ben), format="json", **auth(jc.other_key)).status_code == 200
    assert AccessLogEntry.objects.filter(status_code=429).count() == 2


def test_command_creates_and_revokes_keys(world, capsys, api_client):
    call_command("jobcenter_apikey", "create", "--jobcenter", world.jobcenter.name, "--name", "IT")
    out = capsys.readouterr().out
    key = out.strip().splitlines()[-1]
    prefix = key.partition(".")[0]
    stored = JobcenterAPIKey.objects.get(prefix=prefix)
    assert stored.jobcenter == world.jobcenter
    assert key not in stored.hashed_key and stored.hashed_key.startswith("sha512$$")
    r = api_client.get("/api/v1/jobcenter/events/", **auth(key))
    assert r.status_code == 200
    call_command("jobcenter_apikey", "revoke", prefix)
    assert api_client.get("/api/v1/jobcenter/events/", **auth(key)).status_code == 401


def test_admin_creates_key_and_shows_it_once(world, client):
    network = Network.objects.create(name="Kreis Pinneberg")
    world.jobcenter.network = network
    world.jobcenter.save()
    world.a.provider.network = network
    world.a.provider.save()
    client.force_login(member(world.jobcenter, Role.JOBCENTER_ADMIN, is_staff=True))
    r = client.post(
        "/admin/jobcenter/jobcenterapikey/add/",
        {"jobcenter": world.jobcenter.pk, "name": "Fachverfahren"},
        follow=True,
    )
    assert r.status_code == 200
    key = JobcenterAPIKey.objects.get(jobcenter=world.jobcenter)
    shown = [str(m) for m in r.context["messages"]]
    assert any(key.prefix + "." in m for m in shown)
    assert client.get("/admin/jobcenter/jobcenterapikey/").status_code == 200
    # provider staff, in the network or not, cannot open the keys
    other = world.a.staff
    other.is_staff = True
    other.save()
    client.force_login(other)
    assert client.get(f"/admin/jobcenter/jobcenterapikey/{key.pk}/change/").status_code == 403
