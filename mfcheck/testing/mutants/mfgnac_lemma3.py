"""Mutants for mfgnac.lemma3: wrong statements of Lemma 3's bounds.

Lemma 3 is a closed-form claim (a bound on the soft-optimal Q* and a floor on π*), so its honest
mutants are wrong statements (``wrong=True``) that the checker must refute on a game and mean field.
Each returns (Q_max, log of the π floor), as the checker's ``Bounds``.
"""

from __future__ import annotations

import numpy as np

from mfcheck.judgement.statement import Statement


def _without_entropy(gamma: float, lam: float, n_actions: int) -> tuple[float, float]:
    q_max = 1.0 / (1.0 - gamma)
    return q_max, float(-q_max / lam - np.log(n_actions))


def _floor_at_ten_lambda(gamma: float, lam: float, n_actions: int) -> tuple[float, float]:
    q_max = (1.0 + gamma * lam * np.log(n_actions)) / (1.0 - gamma)
    return float(q_max), float(-q_max / (10.0 * lam) - np.log(n_actions))


#: Q_max = 1/(1-γ), forgetting the entropy bonus γλ log|A| of the soft values (and the floor with it):
#: r ≡ 1 attains (1 + γλ log|A|)/(1-γ) > 1/(1-γ)
Q_MAX_WITHOUT_ENTROPY = Statement(text="Q* <= 1/(1-γ) and π* >= 1/(|A| exp(1/((1-γ)λ)))", value=_without_entropy,
                                  wrong=True)
#: the floor at temperature 10λ, 1/(|A| exp(Q_max/(10λ))): the Boltzmann policy is sharper than that
#: where the action gap exceeds Q_max/10 (the trap game, rescaled LQ at λ = 0.1)
FLOOR_AT_TEN_LAMBDA = Statement(text="Q* <= Q_max and π* >= 1/(|A| exp(Q_max/(10λ)))", value=_floor_at_ten_lambda,
                                wrong=True)
