from hypothesis import given
from hypothesis import strategies as st

from referrals.transitions import TRANSITIONS, Status, TransitionError, move


@given(st.lists(st.sampled_from(list(Status)), max_size=20))
def test_only_allowed_steps_and_always_one_state(targets):
    state = Status.SENT
    for target in targets:
        allowed = target in TRANSITIONS[state]
        try:
            state = move(state, target)
            assert allowed
        except TransitionError:
            assert not allowed
        assert state in Status


def test_closed_is_final_and_every_state_can_close():
    assert TRANSITIONS[Status.CLOSED] == frozenset()
    assert all(Status.CLOSED in TRANSITIONS[s] for s in Status if s is not Status.CLOSED)
