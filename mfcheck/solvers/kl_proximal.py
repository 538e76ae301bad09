"""The KL-proximal step on the simplex solved numerically (an oracle independent of closed forms).

``argmax_{π ∈ Δ} <q, π> - v KL(π ‖ π_k)`` with cvxpy (CLARABEL, exponential cone). Used by
``mfppo.prop3_2`` to confront the closed form π_k exp(q/v)/Z (Prop 3.2) with a solver that knows
nothing of it. cvxpy is imported inside the function.
Reference: MF-PPO Prop 3.2, App D.
"""

from __future__ import annotations

import warnings

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


def kl_proximal_cvxpy(q_values: Array, previous: Array, proximity: float) -> tuple[Array, str]:
    """Solve the problem with cvxpy; returns (π, solver status).

    π is clipped to π >= 0 and renormalised (NaN when the solver returned none). On badly scaled
    instances (π_k down to 1e-69) CLARABEL stops short of the optimum value, sometimes with status
    "optimal": compare its point through the objective gap, not with a fixed tolerance on π.
    """
    import cvxpy as cp

    q_values = np.asarray(q_values, dtype=float)
    previous = np.asarray(previous, dtype=float)
    if q_values.shape != previous.shape or q_values.ndim != 1:
        raise ValueError(f"kl_proximal_cvxpy: q {q_values.shape} and π_k {previous.shape} must be equal 1-d shapes")
    if not proximity > 0:
        raise ValueError(f"kl_proximal_cvxpy: proximity must be > 0, got {proximity!r}")
    pi = cp.Variable(q_values.size, nonneg=True)
    problem = cp.Problem(cp.Maximize(q_values @ pi - proximity * cp.sum(cp.rel_entr(pi, previous))),
                         [cp.sum(pi) == 1])
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Solution may be inaccurate")
        problem.solve(solver=cp.CLARABEL)
    if pi.value is None:
        return np.full(q_values.size, np.nan), str(problem.status)
    point = np.clip(np.asarray(pi.value, dtype=float), 0.0, None)
    return point / point.sum(), str(problem.status)
