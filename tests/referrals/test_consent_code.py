"""Consent confirmed by the person with a code: pending until they confirm on their phone, in
their language; until then the receiver sees none of their data. Also: one form submission
makes one referral."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from people.models import Role
from referrals import services
from referrals.models import Consent, DataItem, Referral
from tests.factories import member
from tests.learner_area.test_languages import english_fallback, texts_of, untranslated_msgids
from tests.referrals.conftest import consent, send

pytestmark = pytest.mark.django_db
CONFIRM = "/referrals/confirm/"
LEARNER_LANGUAGES = ["de", "en", "ar", "fa", "uk", "tr", "ru"]
__all__ = ["english_fallback"]  # the fixture, used by name


def by_code(net, **overrides) -> Referral:
    return send(net, consent=consent(method=Consent.Method.LOGIN_CODE), **overrides)


def form_data(net, **overrides) -> dict:
    data = {
        "receiver": net.receiver.pk,
        "purpose": "placement_test",
        "first_name": "Amal",
        "last_name": "Haddad",
        "date_of_birth": "1990-04-02",
        "phone": "0151 1234567",
        "consent_items": [DataItem.IDENTITY, DataItem.CONTACT],
        "consent_method": "login_code",
        "submission": "0123456789abcdef0123456789abcdef",
    }
    data.update(overrides)
    return data


def receiver_page(client, net, referral) -> str:
    client.force_login(net.receiver_staff)
    response = client.get(reverse("referrals-inbox-detail", args=[referral.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_counsellor_sees_the_code_once_and_the_receiver_sees_nothing_yet(client, net):
    client.force_login(net.counsellor)
    response = client.post(reverse("referrals-new"), form_data(net))
    referral = Referral.objects.get()
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    code = re.search(r'id="consent-code"><strong>([A-Z2-9-]{14})</strong>', page).group(1)
    assert 'id="consent-pending"' in page and "data:image/png;base64," in page
    again = client.get(response.url).content.decode()
    assert code not in again and 'id="consent-pending"' in again
    pending = referral.consents.get()
    assert pending.is_pending and pending.code_hash and code not in pending.code_hash
    assert referral.shared_items() == frozenset()

    html = receiver_page(client, net, referral)
    assert "Haddad" not in html and "0151" not in html and 'id="consent-pending"' in html
    inbox = client.get(reverse("referrals-inbox")).content.decode()
    assert "Haddad" not in inbox


def test_wrong_expired_and_confirmed_codes(client, net):
    referral = by_code(net)
    code = referral.consent_code
    assert len(code) == 14 and code.count("-") == 2

    wrong = client.post(CONFIRM, {"code": "ABCD-EFGH-JKLM", "action": "show", "lang": "en"})
    assert wrong.status_code == 400 and "This code is not valid." in wrong.content.decode()

    Consent.objects.update(code_expires_at=timezone.now() - dt.timedelta(minutes=1))
    expired = client.post(CONFIRM, {"code": code, "action": "agree", "lang": "en"})
    assert expired.status_code == 400 and "This code has expired." in expired.content.decode()
    assert Referral.objects.get().shared_items() == frozenset()

    Consent.objects.update(code_expires_at=timezone.now() + dt.timedelta(days=1))
    typed = code.lower().replace("-", " ")
    shown = client.post(CONFIRM, {"code": typed, "action": "show", "lang": "en"})
    html = shown.content.decode()
    assert shown.status_code == 200 and 'id="consent-what"' in html
    assert "Haddad" in html and "0151 1234567" in html and str(net.receiver) in html
    assert str(DataItem.LANGUAGES.label) in html  # the languages were consented to as well
    assert Referral.objects.get().shared_items() == frozenset()  # reading is not agreeing

    agreed = client.post(CONFIRM, {"code": code, "action": "agree"})
    assert agreed.status_code == 200 and 'id="consent-agreed"' in agreed.content.decode()
    confirmed = Consent.objects.get()
    assert confirmed.confirmed_at is not None and confirmed.code_hash == ""
    assert "Haddad" in receiver_page(client, net, referral)

    used = client.post(CONFIRM, {"code": code, "action": "show"})
    assert used.status_code == 400  # used up: it shows nothing to anybody any more


def test_a_refusal_hides_everything_and_a_revocation_after_confirming_hides_at_once(client, net):
    refused = by_code(net)
    answer = client.post(CONFIRM, {"code": refused.consent_code, "action": "refuse"})
    assert answer.status_code == 200 and 'id="consent-refused"' in answer.content.decode()
    assert refused.consents.get().revoked_at is not None
    assert "Haddad" not in receiver_page(client, net, refused)

    confirmed = by_code(net, first_name="Rasha")
    services.consent_confirm(code=confirmed.consent_code)
    assert "Rasha" in receiver_page(client, net, confirmed)
    services.consent_revoke(consent=confirmed.consents.get(), by=net.counsellor)
    assert "Rasha" not in receiver_page(client, net, confirmed)


def test_a_new_code_replaces_the_old_one(client, net):
    referral = by_code(net)
    old = referral.consent_code
    client.force_login(net.counsellor)
    url = reverse("referrals-consent-code", args=[referral.pk, referral.consents.get().pk])
    response = client.post(url)
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    new = re.search(r'id="consent-code"><strong>([A-Z2-9-]{14})</strong>', page).group(1)
    assert new != old
    assert client.post(CONFIRM, {"code": old, "action": "show"}).status_code == 400
    assert client.post(CONFIRM, {"code": new, "action": "agree"}).status_code == 200
    # confirmed: no new code any more
    client.force_login(net.counsellor)
    client.post(url)
    assert Consent.objects.get().code_hash == ""


def test_outsiders_cannot_issue_a_code(client, net):
    referral = by_code(net)
    url = reverse("referrals-consent-code", args=[referral.pk, referral.consents.get().pk])
    before = Consent.objects.get().code_hash
    volunteer = member(net.sender_org, Role.VOLUNTEER, username="caritas-volunteer")
    for user in (
        net.other_counsellor,  # another counsellor
        net.outsider_staff,  # a provider not party to it
        net.receiver_staff,  # the receiving provider
        net.w.other_caseworker,  # another Jobcenter
        net.w.caseworker,  # a Jobcenter that did not send it
        net.w.b.teacher,
        volunteer,
    ):
        client.force_login(user)
        assert client.post(url).status_code == 404, user
    assert Consent.objects.get().code_hash == before


@pytest.mark.parametrize("language", LEARNER_LANGUAGES)
def test_the_page_speaks_every_learner_language(client, net, english_fallback, language):
    referral = send(
        net,
        consent=consent(
            DataItem.IDENTITY,
            DataItem.CONTACT,
            DataItem.LANGUAGES,
            DataItem.LEVEL,
            DataItem.NOTE,
            DataItem.PROGRESS,
            method=Consent.Method.LOGIN_CODE,
        ),
        level="A2",
        note="Möchte abends lernen.",
    )
    missing = untranslated_msgids(language) if language != "en" else set()
    ask = client.get(CONFIRM, {"lang": language})
    shown = client.post(
        CONFIRM, {"code": referral.consent_code, "action": "show", "lang": language}
    )
    agreed = client.post(
        CONFIRM, {"code": referral.consent_code, "action": "agree", "lang": language}
    )
    for response in (ask, shown, agreed):
        html = response.content.decode()
        assert response.status_code == 200
        assert f'lang="{language}"' in html[:200]
        assert ('dir="rtl"' in html[:300]) == (language in ("ar", "fa"))
        assert texts_of(html) & missing == set(), language
    assert 'lang="de"' in shown.content.decode() or language == "de"  # the note stays German


def test_one_submission_makes_one_referral(client, net):
    client.force_login(net.counsellor)
    form = client.get(reverse("referrals-new")).content.decode()
    token = re.search(r'name="submission" value="([0-9a-f]{32})"', form).group(1)
    data = form_data(net, submission=token, consent_method="paper")
    first = client.post(reverse("referrals-new"), data)
    second = client.post(reverse("referrals-new"), data)  # a double click, or a reload
    referral = Referral.objects.get()
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == reverse("referrals-detail", args=[referral.pk])
    # a new form (a new token) is a new referral, even of the same person
    other = client.post(
        reverse("referrals-new"), form_data(net, submission="f" * 32, consent_method="paper")
    )
    assert other.status_code == 302 and Referral.objects.count() == 2


def test_the_api_hands_the_code_over_once(api_client, net):
    from tests.jobcenter.helpers import api_key, auth

    key = api_key(net.w.jobcenter)
    body = {
        "client_reference": "JC-C-1",
        "receiver": net.receiver.pk,
        "purpose": "placement_test",
        "first_name": "Olena",
        "last_name": "Koval",
        "date_of_birth": "1985-11-20",
        "consent": {"items": ["identity"], "method": "login_code"},
    }
    first = api_client.post("/api/v1/referrals/", body, format="json", **auth(key))
    assert first.status_code == 201, first.json()
    assert first.json()["consent_pending"] is True
    code = first.json()["consent_code"]
    assert len(code) == 14
    repeat = api_client.post("/api/v1/referrals/", body, format="json", **auth(key))
    assert repeat.status_code == 200 and repeat.json()["consent_code"] == ""
    services.consent_confirm(code=code)
    status = api_client.get(f"/api/v1/referrals/{first.json()['id']}/", **auth(key)).json()
    assert status["consent_pending"] is False


@pytest.mark.parametrize("language", ["ar", "fa", "uk", "tr", "ru", "de"])
def test_every_state_of_the_page_is_translated_and_staff_text_is_marked_german(
    client, net, english_fallback, language
):
    """The refusal and the code errors speak the person's language too; what staff typed (the
    languages, the note, the provider names, the legal basis) stays German and says so."""
    net.sender_org.legal_basis_text = "Art. 6 Abs. 1 lit. a DSGVO, KDG § 6"
    net.sender_org.save(update_fields=["legal_basis_text"])
    refused = by_code(net, first_name="Refuse")
    shown_one = send(
        net,
        consent=consent(DataItem.IDENTITY, DataItem.LANGUAGES, method=Consent.Method.LOGIN_CODE),
        languages="Arabisch, Kurdisch",
        phone="",
    )
    expired = by_code(net, first_name="Late")
    Consent.objects.filter(referral=expired).update(
        code_expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    missing = untranslated_msgids(language) if language != "de" else set()
    shown = client.post(
        CONFIRM, {"code": shown_one.consent_code, "action": "show", "lang": language}
    )
    responses = {
        "show": shown,
        "refused": client.post(
            CONFIRM, {"code": refused.consent_code, "action": "refuse", "lang": language}
        ),
        "wrong": client.post(
            CONFIRM, {"code": "ABCD-EFGH-JKLM", "action": "show", "lang": language}
        ),
        "expired": client.post(
            CONFIRM, {"code": expired.consent_code, "action": "show", "lang": language}
        ),
    }
    assert {state: r.status_code for state, r in responses.items()} == {
        "show": 200,
        "refused": 200,
        "wrong": 400,
        "expired": 400,
    }
    for state, response in responses.items():
        html = response.content.decode()
        assert f'lang="{language}"' in html[:200], state
        assert texts_of(html) & missing == set(), (language, state)
    assert 'id="consent-refused"' in responses["refused"].content.decode()
    html = shown.content.decode()
    if language == "de":
        assert "<bdi lang=" not in html
        assert "Art. 6 Abs. 1 lit. a DSGVO, KDG § 6" in html
    else:
        for text in (
            "Arabisch, Kurdisch",
            "Art. 6 Abs. 1 lit. a DSGVO, KDG § 6",
            str(net.sender_org),
            str(net.receiver),
        ):
            assert f'<bdi lang="de">{escape(text)}</bdi>' in html, text
