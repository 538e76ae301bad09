"""Cross-checks against OpenSpiel 2.0.2's ``python_mfg_crowd_modelling`` (it has no SIS).

mfcheck's equivalent game lives in :mod:`mfcheck.peers.openspiel_games` (state (x, m') with the
previous move, epochs 0..H-1). Findings:

* The mean-field flow agrees exactly (OpenSpiel's ``DistributionPolicy`` = mfcheck's flow
  marginal on x), for any policy.
* OpenSpiel's ``PolicyValue``, ``BestResponse`` and ``NashConv`` memoise decision values by
  "(x, t)", which omits the previous move m' the reward charges (-|m'|/N). They are therefore
  *not* the values of the game as written: they equal mfcheck's exact values on
  ``crowd_modelling(cache_quirk=True)``, whose reward charges the move of the first depth-first
  path (see :func:`openspiel_first_moves`), to 1e-12. On OpenSpiel's own regression instance
  (size 10, horizon 10, uniform policy) that reproduces NashConv 2.8135365543870385, BR value
  30.029387484327486 and policy value 27.215850929940448; the game as written has exploitability
  2.786682416298337 (BR 30.21253334623878, policy 27.42585092994044): the quirk overcharges the
  uniform policy 0.21 (first paths mostly arrive by a move ±1, charged 1/N, while the true
  expected charge is (2/3)/N) and the quirk's greedy best response ignores its own move cost.
"""

from __future__ import annotations

import numpy as np
import pytest

from mfcheck.peers.openspiel_games import crowd_modelling, lift_policy, position_marginals
from mfcheck.solvers import exploitability_details, mean_field_flow

pyspiel = pytest.importorskip("pyspiel")
from open_spiel.python import policy as policy_std  # noqa: E402
from open_spiel.python.mfg.algorithms import (  # noqa: E402
    best_response_value,
    distribution,
    nash_conv,
    policy_value,
)
from open_spiel.python.mfg.games import crowd_modelling as _registers_game  # noqa: E402, F401

pytestmark = pytest.mark.peer


class _ArrayPolicy(policy_std.Policy):
    """An OpenSpiel policy reading π[t, x, a] (actions listed in order, so the tree walk order is
    the uniform policy's)."""

    def __init__(self, game, table: np.ndarray) -> None:
        super().__init__(game, [0])
        self._table = table

    def action_probabilities(self, state, player_id=None):
        return {a: float(p) for a, p in enumerate(self._table[state.t, state.x])}


def _openspiel(size: int, horizon: int, table: np.ndarray) -> dict[str, object]:
    game = pyspiel.load_game("python_mfg_crowd_modelling", {"size": size, "horizon": horizon})
    pol = _ArrayPolicy(game, table)
    dist = distribution.DistributionPolicy(game, pol)
    root = game.new_initial_state()
    return {
        "nash_conv": nash_conv.NashConv(game, pol).nash_conv(),
        "policy_value": policy_value.PolicyValue(game, dist, pol).eval_state(root),
        "br_value": best_response_value.BestResponse(game, dist).eval_state(root),
        "flow": np.array(
            [[dist.value_str(f"({x}, {t})_a", 0.0) for x in range(size)] for t in range(horizon)]
        ),
    }


def _mfcheck(size: int, horizon: int, table: np.ndarray, *, quirk: bool):
    game = crowd_modelling(size=size, horizon=horizon, cache_quirk=quirk)
    return game, exploitability_details(game, lift_policy(table))


def test_uniform_policy_reproduces_openspiel_regression_numbers() -> None:
    size, horizon = 10, 10
    uniform = np.full((horizon, size, 3), 1.0 / 3.0)
    _, quirk = _mfcheck(size, horizon, uniform, quirk=True)
    np.testing.assert_allclose(quirk.exploitability, 2.8135365543870385, rtol=1e-12)
    np.testing.assert_allclose(quirk.best_response_value, 30.029387484327486, rtol=1e-12)
    np.testing.assert_allclose(quirk.policy_value, 27.215850929940448, rtol=1e-12)
    ours = _openspiel(size, horizon, uniform)
    np.testing.assert_allclose(ours["nash_conv"], 2.8135365543870385, rtol=1e-12)
    # the game as written (the previous move charged truthfully)
    _, clean = _mfcheck(size, horizon, uniform, quirk=False)
    np.testing.assert_allclose(clean.exploitability, 2.786682416298337, rtol=1e-10)
    np.testing.assert_allclose(clean.policy_value, 27.42585092994044, rtol=1e-10)
    # uniform moves on a torus keep the uniform distribution: -log μ = log 10 at every tick
    np.testing.assert_allclose(position_marginals(clean.mean_field), 0.1, atol=1e-15)


@pytest.mark.parametrize(("size", "horizon", "seed"), [(6, 4, 0), (7, 5, 1), (10, 10, 2)])
def test_random_policy_values_match_the_quirk_game(size: int, horizon: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    table = rng.dirichlet(np.ones(3), size=(horizon, size))
    theirs = _openspiel(size, horizon, table)
    game, quirk = _mfcheck(size, horizon, table, quirk=True)
    np.testing.assert_allclose(quirk.exploitability, theirs["nash_conv"], rtol=1e-11, atol=1e-12)
    np.testing.assert_allclose(quirk.policy_value, theirs["policy_value"], rtol=1e-12)
    np.testing.assert_allclose(quirk.best_response_value, theirs["br_value"], rtol=1e-12)
    flow = position_marginals(mean_field_flow(game, lift_policy(table)))
    # OpenSpiel registers μ_t at the mean-field nodes "(x, t)_a", t >= 1 (μ_0 is the initial chance)
    np.testing.assert_allclose(flow[1:], theirs["flow"][1:], atol=1e-14)
    # the game as written differs from what OpenSpiel reports
    _, clean = _mfcheck(size, horizon, table, quirk=False)
    assert abs(clean.exploitability - theirs["nash_conv"]) > 1e-3
    assert clean.exploitability >= 0
