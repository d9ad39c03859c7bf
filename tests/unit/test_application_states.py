"""Application states and transitions, and the short references read aloud at the counter."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.application import (
    ALLOWED_TRANSITIONS,
    FINAL_STATES,
    UNDECIDED_STATES,
    ApplicationState,
    InvalidTransition,
    can_transition,
    parse_state,
    path_to,
    require_transition,
    state_label,
)
from app.domain.reference import format_reference, parse_reference
from app.kernel.errors import InvalidInput

S = ApplicationState
ALL_STATES = list(ApplicationState)


@pytest.mark.parametrize("state", ALL_STATES)
def test_every_state_has_a_label(state: ApplicationState) -> None:
    """Each state has a non-empty human label that is not just its internal name."""
    label = state_label(state)
    assert label.strip()
    assert label != state.value


def test_labels_are_distinct() -> None:
    """No two states share a label, so a person can tell them apart."""
    labels = [state_label(s) for s in ALL_STATES]
    assert len(set(labels)) == len(labels)


def test_transition_table_covers_every_state() -> None:
    """Every state appears in the transition table, so can_transition never hits a missing key."""
    assert set(ALLOWED_TRANSITIONS) == set(ALL_STATES)


def test_final_states_are_declined_cancelled_delivered() -> None:
    """Exactly declined, cancelled and delivered are final."""
    assert {S.DECLINED, S.CANCELLED, S.DELIVERED} == FINAL_STATES


@pytest.mark.parametrize("final", sorted(FINAL_STATES))
def test_final_states_have_no_outgoing_transitions(final: ApplicationState) -> None:
    """Nothing can happen to an application in a final state."""
    for target in ALL_STATES:
        assert not can_transition(final, target)
        with pytest.raises(InvalidTransition):
            require_transition(final, target)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.DRAFT, S.APPROVED),
        (S.DRAFT, S.SIGNED),
        (S.DELIVERED, S.CANCELLED),
        (S.APPROVED, S.CANCELLED),
        (S.DECLINED, S.CANCELLED),
        (S.SIGNED, S.DRAFT),
        (S.SUBMITTED, S.QUEUED),
        (S.DRAFT, S.DRAFT),
    ],
)
def test_require_transition_refuses_and_names_both_states(current: ApplicationState, target: ApplicationState) -> None:
    """A forbidden move raises InvalidTransition (an InvalidInput, code invalid_transition) naming both states."""
    with pytest.raises(InvalidTransition) as info:
        require_transition(current, target)
    error = info.value
    assert isinstance(error, InvalidInput)
    assert error.code == "invalid_transition"
    assert state_label(current) in error.message
    assert state_label(target) in error.message


@pytest.mark.parametrize(
    ("current", "target"),
    [(s, t) for s, targets in ALLOWED_TRANSITIONS.items() for t in targets],
)
def test_require_transition_allows_every_listed_move(current: ApplicationState, target: ApplicationState) -> None:
    """Every move in the table passes require_transition and can_transition."""
    assert can_transition(current, target)
    require_transition(current, target)


@pytest.mark.parametrize("state", sorted(UNDECIDED_STATES))
def test_undecided_applications_can_be_cancelled(state: ApplicationState) -> None:
    """Queued, submitted and referred applications may still be cancelled."""
    assert {S.QUEUED, S.SUBMITTED, S.REFERRED} == UNDECIDED_STATES
    require_transition(state, S.CANCELLED)


@pytest.mark.parametrize("state", [S.APPROVED, S.DECLINED, S.DELIVERED, S.CANCELLED])
def test_decided_applications_cannot_be_cancelled(state: ApplicationState) -> None:
    """Once the lender has decided (or the application is closed), cancelling is refused."""
    with pytest.raises(InvalidTransition):
        require_transition(state, S.CANCELLED)


def test_signed_application_is_frozen() -> None:
    """A signed application cannot go back to editing: only forward to queued, or cancelled."""
    assert ALLOWED_TRANSITIONS[S.SIGNED] == {S.QUEUED, S.CANCELLED}


@pytest.mark.parametrize("target", ALL_STATES)
def test_path_to_is_a_chain_of_allowed_transitions(target: ApplicationState) -> None:
    """path_to(target) starts at draft, ends at target, never repeats a state, and each step is allowed."""
    path = path_to(target)
    assert path[0] is S.DRAFT
    assert path[-1] is target
    assert len(set(path)) == len(path)
    for current, nxt in itertools.pairwise(path):
        assert can_transition(current, nxt), f"{current} -> {nxt}"


@pytest.mark.parametrize("state", ALL_STATES)
def test_parse_state_accepts_every_state_name(state: ApplicationState) -> None:
    """Each state's value parses back to that state."""
    assert parse_state(state.value) is state


@pytest.mark.parametrize("name", ["", "Draft", "DRAFT", "approve", "pending", " draft"])
def test_parse_state_rejects_unknown_names(name: str) -> None:
    """Anything but an exact state value is refused with code bad_state."""
    with pytest.raises(InvalidInput) as info:
        parse_state(name)
    assert info.value.code == "bad_state"


# --- references ------------------------------------------------------------------------------------------------


def test_format_reference_example() -> None:
    """The reference reads store, YYMMDD and a four-digit daily sequence."""
    assert format_reference("S001", dt.date(2026, 11, 29), 42) == "S001-261129-0042"


def test_format_reference_refuses_sequence_zero() -> None:
    """Sequences start at 1."""
    with pytest.raises(ValueError):
        format_reference("S001", dt.date(2026, 11, 29), 0)


def test_parse_reference_example() -> None:
    """The example reference splits into its store, day and sequence; case and spaces do not matter."""
    assert parse_reference("S001-261129-0042") == ("S001", dt.date(2026, 11, 29), 42)
    assert parse_reference(" s001-261129-0042 ") == ("S001", dt.date(2026, 11, 29), 42)


store_codes = st.from_regex(r"[A-Z][A-Z0-9]{1,9}", fullmatch=True)
# Two-digit years map back to 1969-2068 (strptime's %y pivot), so references are only unambiguous in that span.
days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2068, 12, 31))


@settings(database=None)
@given(store_codes, days, st.integers(min_value=1, max_value=99_999))
def test_reference_round_trip(store: str, day: dt.date, sequence: int) -> None:
    """parse_reference(format_reference(...)) gives back the same store, day and sequence."""
    assert parse_reference(format_reference(store, day, sequence)) == (store, day, sequence)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "junk",
        "S001-261129",
        "S001-261129-042",  # sequence too short
        "001-261129-0042",  # store code must start with a letter
        "S-261129-0042",  # store code too short
        "S001-261332-0042",  # no 32nd of the 13th month
        "S001-260229-0042",  # 2026 is not a leap year
        "S001_261129_0042",
        "S001-261129-0042-1",
        "S001-2611290-0042",
    ],
)
def test_parse_reference_rejects_junk(text: str) -> None:
    """Anything that is not a well-formed reference with a real day is refused with code bad_reference."""
    with pytest.raises(InvalidInput) as info:
        parse_reference(text)
    assert info.value.code == "bad_reference"
