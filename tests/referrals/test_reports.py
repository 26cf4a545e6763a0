import datetime as dt
import io
import statistics

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from people.models import Role
from referrals import services
from referrals.access import report_scope
from referrals.models import DeclineReason, Outcome, Referral
from referrals.reports import REPORTS, Period, caseload, declines, received
from tests.factories import member
from tests.referrals.conftest import send

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(net):
    """Four referrals to the receiver: one started after 10 days, one after 20, one declined,
    one stalled; plus one by the other counsellor."""
    now = timezone.now()
    started = []
    for days in (10, 20):
        r = send(net, first_name=f"S{days}")
        Referral.objects.filter(pk=r.pk).update(
            status="course_started",
            accepted_at=now,
            enrolled_at=now,
            course_started_at=r.sent_at + dt.timedelta(days=days),
        )
        started.append(r)
    declined = send(net, first_name="D")
    services.referral_decline(referral=declined, by=net.receiver_staff, reason=DeclineReason.LEVEL)
    stalled = send(net, first_name="T")
    Referral.objects.filter(pk=stalled.pk).update(stalled_at=now)
    other = send(net, first_name="O", sender=net.other_counsellor)
    services.referral_close(referral=other, by=net.other_counsellor, outcome=Outcome.OTHER)
    return Period.last_twelve_months(timezone.localdate())


def test_received_counts_and_days_to_start(net, figures):
    df = received([net.receiver.pk], figures)
    row = df.iloc[0].to_dict()
    assert row["received"] == 5 and row["accepted"] == 2 and row["declined"] == 1
    assert row["started"] == 2 and row["lost"] == 2
    assert row["days_median"] == 15.0 and row["days_p90"] == 19.0
    assert received([net.outside.pk], figures).empty


def test_declines_by_reason_and_caseload(net, figures):
    df = declines([net.receiver.pk], figures)
    assert dict(zip(df["reason"], df["count"], strict=True))[str(DeclineReason.LEVEL.label)] == 1
    assert df["count"].sum() == 1
    load = caseload([net.sender_org.pk], figures).set_index("counsellor")
    assert load["sent"].sum() == 5 and load["closed"].sum() == 1 and load["stalled"].sum() == 1
    assert caseload([net.receiver.pk], figures).empty


def test_report_page_and_exports_for_staff_only(client, net, figures):
    client.force_login(net.receiver_staff)
    page = client.get(reverse("referrals-reports"))
    assert page.status_code == 200 and b"data:image/svg+xml" in page.content
    for slug in ("received", "declines", "caseload"):
        for fmt in ("csv", "xlsx"):
            response = client.get(reverse("referrals-report-export", args=[slug, fmt]))
            assert response.status_code == 200, (slug, fmt)
    csv = client.get(reverse("referrals-report-export", args=["received", "csv"])).content
    assert b"Haddad" not in csv and b"Amal" not in csv
    assert client.get(reverse("referrals-report-export", args=["nope", "csv"])).status_code == 404
    client.force_login(net.counsellor)
    assert client.get(reverse("referrals-reports")).status_code == 403


# --- the whole network ---------------------------------------------------------------------


@pytest.fixture
def network_figures(net, figures):
    """On top of ``figures`` (five to Diakonie): the Jobcenter sends two to Caritas, started
    after 4 and 30 days, and one that Caritas declines as not offered."""
    for days in (4, 30):
        r = send(
            net,
            sender_organisation=net.w.jobcenter,
            sender=net.w.caseworker,
            receiver=net.sender_org,
            first_name=f"J{days}",
        )
        Referral.objects.filter(pk=r.pk).update(
            status="course_started",
            accepted_at=r.sent_at,
            course_started_at=r.sent_at + dt.timedelta(days=days),
        )
    declined = send(
        net,
        sender_organisation=net.w.jobcenter,
        sender=net.w.caseworker,
        receiver=net.sender_org,
        first_name="JD",
    )
    services.referral_decline(referral=declined, by=net.w.b.staff, reason=DeclineReason.NOT_OFFERED)
    return figures


def test_the_network_scope_counts_every_provider_and_the_network_as_a_whole(net, network_figures):

    viewer = member(net.w.jobcenter, Role.NETWORK_VIEWER, username="jc-network")
    scope = report_scope(user=viewer)
    assert scope.network == net.network.name
    assert set(scope.receiver_ids) == {net.receiver.pk, net.sender_org.pk}

    df = REPORTS["received"].build(scope, network_figures).set_index("provider")
    providers = sorted([str(net.receiver), str(net.sender_org)])
    assert list(df.index) == [*providers, net.network.name]
    caritas, total = df.loc[str(net.sender_org)], df.loc[net.network.name]
    assert (caritas["received"], caritas["declined"], caritas["started"]) == (3, 1, 2)
    days = [10, 20, 4, 30]  # every start in the network
    assert total["received"] == 5 + 3 and total["declined"] == 2 and total["started"] == 4
    assert total["lost"] == 2 + 1
    assert total["days_median"] == round(statistics.median(days), 1)
    p90 = statistics.quantiles(days, n=10, method="inclusive")[8]
    assert total["days_p90"] == round(p90, 1)

    reasons = REPORTS["declines"].build(scope, network_figures)
    counts = dict(zip(reasons["reason"], reasons["count"], strict=True))
    assert (
        counts[str(DeclineReason.LEVEL.label)] == counts[str(DeclineReason.NOT_OFFERED.label)] == 1
    )

    with translation.override("en"):  # the site's language is German; the label is read here
        load = REPORTS["caseload"].build(scope, network_figures).set_index("counsellor")
    # one caseworker of the Jobcenter sent all three of its referrals; no name crosses the network
    assert load.loc[f"Counsellor 1 ({net.w.jobcenter})", "sent"] == 3
    assert net.w.caseworker.last_name not in " ".join(load.index)
    assert load["sent"].sum() == 5 + 3


def test_network_reports_are_for_network_roles_only(client, net, network_figures):

    # staff see their own providers only, even when asking for the network
    client.force_login(net.receiver_staff)
    page = client.get(reverse("referrals-reports"), {"scope": "network"}).content.decode()
    assert net.network.name not in page and str(net.sender_org) not in page.split("<main")[-1]

    viewer = member(net.receiver, Role.NETWORK_VIEWER, username="diakonie-network")
    client.force_login(viewer)
    page = client.get(reverse("referrals-reports"))
    assert page.status_code == 200 and net.network.name in page.content.decode()
    xlsx = client.get(
        reverse("referrals-report-export", args=["received", "xlsx"]), {"scope": "network"}
    )
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [row[0] for row in sheet.iter_rows(values_only=True)][-1] == net.network.name

    for user in (net.counsellor, net.w.a.teacher, net.w.caseworker):
        client.force_login(user)
        assert client.get(reverse("referrals-reports")).status_code == 403, user
        assert (
            client.get(reverse("referrals-report-export", args=["received", "csv"])).status_code
            == 403
        )
