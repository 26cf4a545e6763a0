"""Session QR tokens: forgery, expiry, replay and other-session, checked without the database."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from attendance import tokens

NOW = 1_800_000_000.0


def test_fresh_token_verifies_for_its_session():
    # No django_db mark: pytest-django would raise on any database access here.
    token = tokens.session_token(7, slot=tokens.current_slot(NOW))
    assert tokens.verify_session_token(token, session_id=7, now=NOW) == tokens.current_slot(NOW)


def test_token_lives_one_rotation_plus_grace():
    slot = tokens.current_slot(NOW)
    token = tokens.session_token(7, slot=slot)
    start = tokens.slot_start(slot)
    last_ok = start + tokens.ROTATE_SECONDS * (1 + tokens.GRACE_SLOTS) - 0.01
    tokens.verify_session_token(token, session_id=7, now=last_ok)
    with pytest.raises(tokens.TokenError) as exc:
        tokens.verify_session_token(token, session_id=7, now=last_ok + 0.02)
    assert exc.value.code == "expired"


@given(age=st.floats(min_value=2 * tokens.ROTATE_SECONDS, max_value=10**7))
def test_any_old_token_is_expired(age):
    slot = tokens.current_slot(NOW - age)
    token = tokens.session_token(3, slot=slot)
    with pytest.raises(tokens.TokenError) as exc:
        tokens.verify_session_token(token, session_id=3, now=NOW)
    assert exc.value.code == "expired"


@given(session_id=st.integers(1, 10**9), other=st.integers(1, 10**9))
def test_token_of_another_session_is_refused(session_id, other):
    if session_id == other:
        return
    token = tokens.session_token(session_id, slot=tokens.current_slot(NOW))
    with pytest.raises(tokens.TokenError) as exc:
        tokens.verify_session_token(token, session_id=other, now=NOW)
    assert exc.value.code == "other_session"


@given(garbage=st.text(max_size=120))
def test_arbitrary_strings_are_forged(garbage):
    with pytest.raises(tokens.TokenError) as exc:
        tokens.verify_session_token(garbage, session_id=1, now=NOW)
    assert exc.value.code == "forged"


@given(position=st.integers(min_value=0), char=st.sampled_from("AbZ09-_:.x"))
def test_tampering_with_any_character_is_forged(position, char):
    token = tokens.session_token(11, slot=tokens.current_slot(NOW))
    i = position % len(token)
    if token[i] == char:
        return
    tampered = token[:i] + char + token[i + 1 :]
    with pytest.raises(tokens.TokenError) as exc:
        tokens.verify_session_token(tampered, session_id=11, now=NOW)
    assert exc.value.code == "forged"


def test_token_for_the_far_future_is_refused():
    token = tokens.session_token(5, slot=tokens.current_slot(NOW) + 40)
    with pytest.raises(tokens.TokenError) as exc:
        tokens.verify_session_token(token, session_id=5, now=NOW)
    assert exc.value.code == "forged"


def test_token_signed_with_another_key_is_forged(settings):
    token = tokens.session_token(5, slot=tokens.current_slot(NOW))
    settings.SECRET_KEY = "another-key-" + "x" * 50
    with pytest.raises(tokens.TokenError) as exc:
        tokens.verify_session_token(token, session_id=5, now=NOW)
    assert exc.value.code == "forged"


def test_pending_token_needs_the_scanning_browsers_nonce():
    value, nonce = tokens.pending_token(9, scanned_at=NOW)
    assert (
        tokens.verify_pending_token(value, session_id=9, nonce=nonce, now=NOW + 60).scanned_at
        == NOW
    )
    for wrong in (None, "", "other"):
        with pytest.raises(tokens.TokenError):
            tokens.verify_pending_token(value, session_id=9, nonce=wrong, now=NOW + 60)
    with pytest.raises(tokens.TokenError) as exc:
        tokens.verify_pending_token(
            value, session_id=9, nonce=nonce, now=NOW + tokens.PENDING_MAX_AGE + 1
        )
    assert exc.value.code == "expired"
    with pytest.raises(tokens.TokenError) as exc:
        tokens.verify_pending_token(value, session_id=10, nonce=nonce, now=NOW)
    assert exc.value.code == "other_session"
