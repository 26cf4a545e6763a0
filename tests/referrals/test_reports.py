import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals import services
from referrals.models import DeclineReason, Outcome, Referral
from referrals.reports import Period, caseload, declines, received
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
