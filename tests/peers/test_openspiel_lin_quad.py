"""Cross-checks against OpenSpiel 2.0.2's ``mean_field_lin_quad`` (Python game).

mfcheck's equivalent game lives in :mod:`mfcheck.peers.openspiel_lin_quad` (state (x, m') with
the previous move). Findings:

* The mean-field flow agrees exactly with OpenSpiel's ``DistributionPolicy``, also with mean
  reversion (μ-dependent dynamics).
* OpenSpiel's ``PolicyValue``, ``BestResponse`` and ``NashConv`` memoise decision values by
  "(x, t)" although the reward charges the previous move m'; they equal mfcheck's exact values
  on ``openspiel_lin_quad_game(cache_quirk=True)`` to ~1e-14.
* The game as written (checked independently by walking OpenSpiel's own states with a memo key
  that includes the previous action) has another exploitability. At the defaults, uniform
  policy: NashConv 21.498181599551945 vs true 29.52257930595996 (policy value -51.212 vs
  -38.625, best response -29.714 vs -9.102).
"""

from __future__ import annotations

import numpy as np
import pytest

from mfcheck.peers.openspiel_games import lift_policy, position_marginals
from mfcheck.peers.openspiel_lin_quad import lin_quad_ticks, openspiel_lin_quad_game
from mfcheck.solvers import exploitability_details, mean_field_flow

pyspiel = pytest.importorskip("pyspiel")
from open_spiel.python import policy as policy_std  # noqa: E402
from open_spiel.python.mfg.algorithms import (  # noqa: E402
    best_response_value,
    distribution,
    nash_conv,
    policy_value,
)
from open_spiel.python.mfg.games import linear_quadratic as _registers_game  # noqa: E402, F401

pytestmark = pytest.mark.peer

_DEFAULTS = {"size": 10, "horizon": 10, "dt": 1.0, "n_actions_per_side": 3, "volatility": 1.0}
# (parameters, (NashConv = quirk exploitability, true exploitability) of the uniform policy)
_SETTINGS = [
    ({"size": 5, "horizon": 4}, (0.7365612862011552, 5.999999999999999)),
    (
        {"size": 7, "horizon": 3, "dt": 0.5, "volatility": 0.7, "n_actions_per_side": 2},
        (2.4788557058402265, 3.4606783660186102),
    ),
]


class _ArrayPolicy(policy_std.Policy):
    """An OpenSpiel policy reading π[tick, x, a] (all actions listed, in order)."""

    def __init__(self, game, table: np.ndarray) -> None:
        super().__init__(game, [0])
        self._table = table

    def action_probabilities(self, state, player_id=None):
        return {a: float(p) for a, p in enumerate(self._table[state.tick, state.x])}


def _table(params: dict, seed: int | None) -> np.ndarray:
    full = {**_DEFAULTS, **params}
    shape = (lin_quad_ticks(full["horizon"], full["dt"]), full["size"])
    n_actions = 2 * full["n_actions_per_side"] + 1
    if seed is None:
        return np.full((*shape, n_actions), 1.0 / n_actions)
    return np.random.default_rng(seed).dirichlet(np.ones(n_actions), size=shape)


def _true_values(game, dist, pol) -> tuple[float, float]:
    """(policy value, best-response value) of the game as written, on OpenSpiel's own states:
    their recursion with a memo key that includes the previous action."""
    memo: dict[tuple[str, int, bool], float] = {}

    def walk(state, best: bool) -> float:
        key = (str(state), state._last_action, best)
        if key in memo:
            return memo[key]
        if state.is_terminal():
            value = state.rewards()[0]
        elif state.current_player() == pyspiel.PlayerId.CHANCE:
            value = sum(p * walk(state.child(a), best) for a, p in state.chance_outcomes())
        elif state.current_player() == pyspiel.PlayerId.MEAN_FIELD:
            nxt = state.clone()
            nxt.update_distribution([dist.value_str(s, 0.0) for s in state.distribution_support()])
            value = state.rewards()[0] + walk(nxt, best)
        else:
            children = [walk(state.child(a), best) for a in state.legal_actions()]
            probs = pol.action_probabilities(state)
            future = max(children) if best else sum(probs[a] * v for a, v in enumerate(children))
            value = state.rewards()[0] + future
        memo[key] = value
        return value

    root = game.new_initial_state()
    return walk(root, False), walk(root, True)


def _openspiel(params: dict, table: np.ndarray, *, true_values: bool = False) -> dict[str, object]:
    game = pyspiel.load_game("mean_field_lin_quad", params)
    pol = _ArrayPolicy(game, table)
    dist = distribution.DistributionPolicy(game, pol)
    root = game.new_initial_state()
    size, ticks = table.shape[1], table.shape[0]
    out: dict[str, object] = {
        "nash_conv": nash_conv.NashConv(game, pol).nash_conv(),
        "policy_value": policy_value.PolicyValue(game, dist, pol).eval_state(root),
        "br_value": best_response_value.BestResponse(game, dist).eval_state(root),
        "flow": np.array(
            [[dist.value_str(f"({x}, {t})_a", 0.0) for x in range(size)] for t in range(ticks)]
        ),
    }
    if true_values:
        out["true_policy_value"], out["true_br_value"] = _true_values(game, dist, pol)
    return out


def _mfcheck(params: dict, table: np.ndarray, *, quirk: bool):
    game = openspiel_lin_quad_game(**params, cache_quirk=quirk)
    return game, exploitability_details(game, lift_policy(table, table.shape[2]))


def test_defaults_uniform_policy_nash_conv_vs_true_exploitability() -> None:
    table = _table({}, None)
    game = pyspiel.load_game("mean_field_lin_quad")
    nash = nash_conv.NashConv(game, _ArrayPolicy(game, table)).nash_conv()
    np.testing.assert_allclose(nash, 21.498181599551945, rtol=1e-12)
    _, quirk = _mfcheck({}, table, quirk=True)
    np.testing.assert_allclose(quirk.exploitability, nash, rtol=1e-12)
    np.testing.assert_allclose(quirk.best_response_value, -29.713818400448037, rtol=1e-12)
    np.testing.assert_allclose(quirk.policy_value, -51.21199999999998, rtol=1e-12)
    _, clean = _mfcheck({}, table, quirk=False)
    np.testing.assert_allclose(clean.exploitability, 29.52257930595996, rtol=1e-10)
    np.testing.assert_allclose(clean.best_response_value, -9.102420694040031, rtol=1e-10)
    # uniform stays uniform on the torus: 10 ticks of -κ/2 E(4.5 - x)² = -2.0625, and 9 charged
    # previous moves, E m'²/2 = 2 (m' independent of x, so the cross term vanishes)
    np.testing.assert_allclose(clean.policy_value, -38.625, rtol=1e-12)


@pytest.mark.parametrize(("params", "uniform"), _SETTINGS)
@pytest.mark.parametrize("seed", [None, 0, 1])
def test_quirk_game_reproduces_openspiel_and_the_true_game_differs(
    params: dict, uniform: tuple[float, float], seed: int | None
) -> None:
    table = _table(params, seed)
    theirs = _openspiel(params, table, true_values=seed is None)
    game, quirk = _mfcheck(params, table, quirk=True)
    np.testing.assert_allclose(quirk.exploitability, theirs["nash_conv"], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(quirk.policy_value, theirs["policy_value"], rtol=1e-12)
    np.testing.assert_allclose(quirk.best_response_value, theirs["br_value"], rtol=1e-12)
    n_moves = table.shape[2]
    flow = position_marginals(mean_field_flow(game, lift_policy(table, n_moves)), n_moves)
    np.testing.assert_allclose(flow[1:], theirs["flow"][1:], atol=1e-14)
    _, clean = _mfcheck(params, table, quirk=False)
    assert clean.exploitability >= 0
    assert abs(clean.exploitability - theirs["nash_conv"]) > 0.5
    if seed is None:  # uniform: pinned numbers, and the true values on OpenSpiel's own states
        np.testing.assert_allclose(theirs["nash_conv"], uniform[0], rtol=1e-10)
        np.testing.assert_allclose(clean.exploitability, uniform[1], rtol=1e-10)
        np.testing.assert_allclose(clean.policy_value, theirs["true_policy_value"], rtol=1e-12)
        np.testing.assert_allclose(clean.best_response_value, theirs["true_br_value"], rtol=1e-12)


def test_mean_reversion_flow_and_true_values_match_openspiel() -> None:
    params = {"size": 6, "horizon": 3, "mean_revert": 0.3, "n_actions_per_side": 2}
    table = _table(params, 3)
    theirs = _openspiel(params, table, true_values=True)
    game, clean = _mfcheck(params, table, quirk=False)
    flow = position_marginals(mean_field_flow(game, lift_policy(table, 5)), 5)
    np.testing.assert_allclose(flow[1:], theirs["flow"][1:], atol=1e-14)
    np.testing.assert_allclose(clean.policy_value, theirs["true_policy_value"], rtol=1e-12)
    np.testing.assert_allclose(clean.best_response_value, theirs["true_br_value"], rtol=1e-12)
    assert abs(clean.exploitability - theirs["nash_conv"]) > 0.1


@pytest.mark.parametrize(
    ("changes", "name"),
    [
        ({"size": 0}, "size"),
        ({"volatility": -1.0}, "volatility"),
        ({"volatility": 0.0}, "volatility"),
        ({"dt": 0.0}, "dt"),
        ({"n_actions_per_side": -1}, "n_actions_per_side"),
        ({"horizon": 1}, "horizon"),
        ({"kappa": float("nan")}, "kappa"),
        ({"mean_revert": 0.5, "cache_quirk": True}, "mean_revert"),
    ],
)
def test_bad_parameters_raise_naming_them(changes: dict, name: str) -> None:
    with pytest.raises(ValueError, match=name):
        openspiel_lin_quad_game(**changes)
