"""Exponent bookkeeping for MFG-NAC Theorem 1 (App B.3, eqs. 14-17), with sympy and an LP.

With constant steps η = T^{-a} (λ fixed) and β = T^{-b}, the complete bound of App B.3 is

    (1/T) Σ σ^π_t <= σ^π_0/(Tηλ) + c_ε √ε_total + 2ηR²/λ + 2(1+C1)κ d0 β/(ηλ)      (15)
    (1/T) Σ σ^μ_t <= σ^μ_0/(Tβ d̄) + (d2 C2/d̄) sqrt((1/T) Σ σ^π_t)                (16)
    D(π*, avg π) + ‖μ* - avg μ‖ <= sqrt-part + (1 + d1)(16)                          (17)

so with ε_total = 0 the error is O(T^e) with
e(a, b) = max( (a-1)/2, -a/2, (a-b)/2, b-1 ). :func:`derive` returns each term's exponent at
the paper's schedule (a, b) = (2/5, 4/5), which terms balance there, and the optimum of the LP
min t s.t. every term's exponent <= t, 0 <= a, 0 <= b <= 1 (it is unique: (2/5, 4/5), t = -1/5).
Dropping the σ^μ_0/(Tβ d̄) term (as in a three-term reading) moves the optimum to a = 1/2,
t = -1/4 with β as small as allowed: that term is what pins β = T^{-4/5}.
"""

from __future__ import annotations


def term_exponents(a, b):
    """Exponent of T of each term of the final bound (after the square roots), sympy-ready."""
    from sympy import Rational

    half = Rational(1, 2)
    return {
        "sigma_pi_0/(T eta lam)": half * (a - 1),
        "2 eta R^2/lam": half * (-a),
        "kappa beta/(eta lam)": half * (a - b),
        "sigma_mu_0/(T beta dbar)": b - 1,
    }


def _lp(include_mean_field_term: bool) -> tuple[float, float, float]:
    import numpy as np
    from scipy.optimize import linprog

    # variables (a, b, t); minimise t subject to exponent_i(a, b) - t <= 0
    rows = [[0.5, 0.0, -1.0], [-0.5, 0.0, -1.0], [0.5, -0.5, -1.0]]
    rhs = [0.5, 0.0, 0.0]
    if include_mean_field_term:
        rows.append([0.0, 1.0, -1.0])
        rhs.append(1.0)
    res = linprog(
        c=[0.0, 0.0, 1.0],
        A_ub=np.array(rows),
        b_ub=np.array(rhs),
        bounds=[(0, None), (0, 1), (None, None)],
        method="highs",
    )
    return float(res.x[0]), float(res.x[1]), float(res.fun)


def derive() -> dict[str, object]:
    """Exponents at the paper's schedule, the balanced terms, the overall exponent, the LP optimum."""
    from sympy import Max, Rational, symbols

    a, b = symbols("a b", real=True)
    exps = term_exponents(a, b)
    paper = {a: Rational(2, 5), b: Rational(4, 5)}
    at_paper = {name: e.subs(paper) for name, e in exps.items()}
    overall = Max(*at_paper.values())
    balanced = sorted(name for name, e in at_paper.items() if e == overall)
    a_opt, b_opt, t_opt = _lp(True)
    a3, b3, t3 = _lp(False)
    return {
        "exponents_at_paper_schedule": {k: str(v) for k, v in at_paper.items()},
        "overall_exponent": str(overall),
        "balanced_terms": balanced,
        "unbalanced_terms": sorted(set(at_paper) - set(balanced)),
        "lp_optimum": {"a": a_opt, "b": b_opt, "exponent": t_opt},
        "lp_without_mean_field_term": {"a": a3, "b": b3, "exponent": t3},
    }


if __name__ == "__main__":  # pragma: no cover
    import json

    print(json.dumps(derive(), indent=2))
