"""Root finding for rates. Amounts arrive and rates leave as Decimal; in between the solver works in binary
floating point, which is exact enough for a rate shown to 0.01% and keeps every quote well under a millisecond.

Written here rather than taken from a library: numpy-financial's irr finds polynomial roots (and can return a
wrong root or none), and SciPy's brentq would add a large dependency for one function.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

_STEP_TOLERANCE = 1e-15
_VALUE_TOLERANCE = 1e-15  # relative to the flows' size: a few fen in a trillion
_MAX_STEPS = 200


class NoRate(ValueError):
    """The cash flows have no rate in the searched range."""


def _value_and_slope(x: float, flows: Sequence[float]) -> tuple[float, float]:
    # Horner's scheme for P(x) = Σ flows[k]·x^k and P'(x).
    value, slope = flows[-1], 0.0
    for flow in reversed(flows[:-1]):
        slope = slope * x + value
        value = value * x + flow
    return value, slope


def bracketed_irr(
    flows: Sequence[float], low_rate: float = -0.99, high_rate: float = 10.0, guess: float | None = None
) -> float:
    """The periodic rate r with Σ flows[k] / (1 + r)^k = 0, searched in [low_rate, high_rate].

    Newton's method on x = 1/(1+r), kept inside an interval where P changes sign: any step that would leave
    it becomes a bisection, so it always converges when a root is bracketed. Raises NoRate otherwise.
    """
    if len(flows) < 2:
        raise NoRate("at least two cash flows are needed")
    low, high = 1 / (1 + high_rate), 1 / (1 + low_rate)
    p_low, p_high = _value_and_slope(low, flows)[0], _value_and_slope(high, flows)[0]
    if p_low == 0:
        return high_rate
    if p_high == 0:
        return low_rate
    if (p_low > 0) == (p_high > 0) or math.isnan(p_low) or math.isnan(p_high):
        raise NoRate("the cash flows do not change sign over the range")
    if guess is None:
        paid = -sum(flows[1:])
        guess = (paid / flows[0] - 1) * 2 / len(flows) if flows[0] > 0 and paid > 0 else 0.01
    x = 1 / (1 + min(max(guess, -0.5), 1.0))
    scale = sum(abs(f) for f in flows)
    for _step in range(_MAX_STEPS):
        value, slope = _value_and_slope(x, flows)
        if abs(value) <= _VALUE_TOLERANCE * scale:
            break
        if (value > 0) == (p_low > 0):
            low = x
        else:
            high = x
        newton = x - value / slope if slope else x
        if abs(newton - x) <= _STEP_TOLERANCE * x:
            x = newton
            break
        x = newton if low < newton < high else (low + high) / 2
    return 1 / x - 1


def irr_of_amounts(flows: Sequence[Decimal], guess: Decimal | None = None) -> Decimal:
    """`bracketed_irr` for Decimal amounts, answered as a Decimal rate (raises NoRate).

    When the amounts repaid equal the amount received the rate is exactly zero (binary floating point would
    answer a few units in the 15th decimal).
    """
    if sum(flows) == 0 and flows and flows[0] > 0:
        return Decimal(0)
    rate = bracketed_irr([float(f) for f in flows], guess=None if guess is None else float(guess))
    return Decimal(repr(rate))
