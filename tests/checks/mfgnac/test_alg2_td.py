"""mfgnac.alg2_td: Algorithm 2's squared error decays as 1/K (realizable, i.i.d. samples)."""

from __future__ import annotations

import numpy as np

from mfcheck.algorithms.nac import (
    TDConfig,
    critic_error,
    critic_values,
    exact_critic,
    one_hot_features,
    policy_context,
    projected_td,
)
from mfcheck.checks.mfgnac.alg2_td import check_alg2_td, instances, run
from mfcheck.claims import QUICK
from mfcheck.instances import sis
from mfcheck.stats import seed_streams
from mfcheck.testing.mutants.mfgnac_alg2_td import (
    mutant_constant_step_averaged,
    mutant_constant_step_last_iterate,
)


def _sis_context():
    return instances(seed_streams(7, 1, label="test")[0])[0]


def test_quick_profile_passes_with_numbers() -> None:
    verdict = run(QUICK)
    assert verdict.status == "pass", verdict.reasons
    for fig in verdict.measured:
        assert fig.high <= -0.9
    for ev in verdict.evidence.values():
        assert ev["errors"][-1] < ev["errors"][0] / 100


def test_td_fixed_point_is_exact_critic() -> None:
    # the exact twin: a long TD run lands on q = Q - λ log π (the one-hot case is realizable)
    game = sis(lam=0.2)
    feats = one_hot_features(2, 2)
    context = policy_context(game, feats, np.array([0.3, -0.1, 0.2, 0.5]), game.initial)
    config = TDConfig(n_steps=20_000, radius=20.0, batch_size=8)
    psi = projected_td(context, feats, config, np.random.default_rng(1))
    np.testing.assert_allclose(critic_values(feats, psi)[0], exact_critic(context), rtol=0.02)


def test_deterministic_given_seed() -> None:
    _, context, feats = _sis_context()
    a = projected_td(context, feats, TDConfig(n_steps=300), np.random.default_rng(3), n_replicates=2)
    b = projected_td(context, feats, TDConfig(n_steps=300), np.random.default_rng(3), n_replicates=2)
    np.testing.assert_array_equal(a, b)
    assert critic_error(context, critic_values(feats, a)).shape == (2,)


def test_rejects_constant_step_last_iterate(mutant_sweep) -> None:
    label, context, feats = _sis_context()
    verdict = check_alg2_td(
        context, feats, make_config=mutant_constant_step_last_iterate(), label=label,
        **mutant_sweep(11, asymptotic_from=2),
    )
    assert verdict.status == "fail"
    assert verdict.evidence["fit"]["exponent"] > -0.5


def test_constant_step_with_averaging_does_not_violate(mutant_sweep) -> None:
    # documented finding: the suggested "constant step" mutant is not one when iterates are averaged
    label, context, feats = _sis_context()
    verdict = check_alg2_td(
        context, feats, make_config=mutant_constant_step_averaged(), label=label,
        **mutant_sweep(11, asymptotic_from=2),
    )
    assert verdict.status == "pass"
