"""Getting in: codes from the office (slip with QR), the login page's code entry, a check-in
scanned before logging in, and a password for those who want one."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from attendance import tokens
from attendance.models import AttendanceRecord
from enrolment import services as enrolment_services
from enrolment.models import LoginCode

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("de", "Ich habe einen Code"),
        ("ar", "لدي رمز"),
        ("fa", "من کد دارم"),
        ("uk", "У мене є код"),
        ("tr", "Kodum var"),
        ("ru", "У меня есть код"),
    ],
)
def test_login_page_offers_the_code_in_every_learner_language(client, db, lang, words):
    client.cookies["django_language"] = "en"
    html = client.get(reverse("login")).content.decode()
    assert words in html  # every learner language names the code entry
    client.cookies["django_language"] = lang
    html = client.get(reverse("login")).content.decode()
    assert 'id="code-entry"' in html and words in html


def test_staff_print_a_code_from_the_learners_page_and_the_enrolment_list(me, client):
    client.force_login(me.staff)
    page = client.get(reverse("attendance-learner", args=[me.learner.pk])).content.decode()
    action = reverse("enrolment-login-code", args=[me.learner.pk])
    assert action in page
    course_page = client.get(reverse("enrolment-staff-course", args=[me.course.pk]))
    assert action in course_page.content.decode()
    r = client.post(action)
    assert r.status_code == 200 and "<svg" in r.content.decode()
    assert LoginCode.objects.filter(learner=me.learner, used_at__isnull=True).count() == 1
    client.force_login(me.other_staff)
    assert client.post(action).status_code == 404


def test_code_login_that_started_from_a_check_in_completes_it(me, client, monkeypatch):
    session = me.course.sessions.held().filter(date__gte=me.today).order_by("date").first()
    start = dt.datetime.combine(session.date, session.start_time, tzinfo=BERLIN)
    monkeypatch.setattr(tokens, "clock", lambda: start.timestamp())
    url = (
        reverse("attendance-checkin", args=[session.pk])
        + "?"
        + urlencode({"t": tokens.session_token(session.pk)})
    )
    r = client.get(url)
    assert r.status_code == 302 and r.url.startswith(reverse("login"))
    login_page = client.get(r.url).content.decode()
    next_url = client.get(r.url).context["next"]
    assert reverse("code-login") + "?next=" in login_page
    _row, code = enrolment_services.login_code_issue(learner=me.learner, by=me.staff)
    r = client.post(reverse("code-login"), {"code": code, "next": next_url})
    assert r.status_code == 302 and r.url == next_url
    r = client.get(r.url)
    html = r.content.decode()
    assert 'data-code="checked_in"' in html and "checked_in" not in html.replace(
        'data-code="checked_in"', ""
    )
    assert AttendanceRecord.objects.filter(session=session, enrolment=me.enrolment).exists()


def test_code_login_never_follows_a_foreign_next(me, client):
    _row, code = enrolment_services.login_code_issue(learner=me.learner, by=me.staff)
    r = client.post(reverse("code-login"), {"code": code, "next": "https://evil.example/"})
    assert r.status_code == 302 and r.url == reverse("learner-home")


def test_a_used_code_is_refused_in_the_learners_words(me, client):
    _row, code = enrolment_services.login_code_issue(learner=me.learner, by=me.staff)
    client.post(reverse("code-login"), {"code": code})
    client.logout()
    client.cookies["django_language"] = "ar"
    r = client.post(reverse("code-login"), {"code": code})
    assert r.status_code == 400 and "_auth_user_id" not in client.session
    assert 'lang="ar"' in r.content.decode()


def test_learner_sets_a_password_without_email_and_codes_keep_working(me, client):
    client.force_login(me.user)
    r = client.post(
        reverse("learner-password"),
        {"new_password1": "Lernbruecke-2026!", "new_password2": "Lernbruecke-2026!"},
    )
    assert r.status_code == 302
    client.logout()
    assert client.login(username=me.user.username, password="Lernbruecke-2026!")
    client.logout()
    _row, code = enrolment_services.login_code_issue(learner=me.learner, by=me.staff)
    assert client.post(reverse("code-login"), {"code": code}).status_code == 302


@pytest.mark.parametrize(
    ("code", "setup"),
    [("forged", "forged"), ("expired", "expired"), ("not_enrolled", "outsider")],
)
def test_check_in_page_shows_no_internal_code(me, client, monkeypatch, code, setup):
    session = me.course.sessions.held().filter(date__gte=me.today).order_by("date").first()
    start = dt.datetime.combine(session.date, session.start_time, tzinfo=BERLIN)
    monkeypatch.setattr(tokens, "clock", lambda: start.timestamp())
    token = tokens.session_token(session.pk)
    if setup == "forged":
        token = token[:-3] + "abc"
    if setup == "expired":
        token = tokens.session_token(session.pk, slot=tokens.current_slot() - 5)
    user = me.user
    if setup == "outsider":
        from tests.learner_area.conftest import learner_with_login

        user = learner_with_login(me.world.a.provider).user
    client.force_login(user)
    r = client.get(reverse("attendance-checkin", args=[session.pk]) + "?t=" + token)
    html = r.content.decode()
    assert f'data-code="{code}"' in html
    visible = html.replace(f'data-code="{code}"', "")
    assert code not in visible and "already_checked_in" not in visible
