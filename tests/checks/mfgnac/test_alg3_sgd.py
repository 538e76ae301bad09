"""mfgnac.alg3_sgd: Algorithm 3's excess loss decays at least as K^{-1/2}."""

from __future__ import annotations

import numpy as np

from mfcheck.algorithms.nac import (
    SGDConfig,
    actor_loss,
    exact_actor,
    projected_sgd,
)
from mfcheck.checks.mfgnac.alg3_sgd import check_alg3_sgd, instances, run
from mfcheck.claims import QUICK
from mfcheck.stats import seed_streams
from mfcheck.testing.mutants.mfgnac_alg3_sgd import mutant_last_iterate, mutant_step_one_over_k


def _instance():
    return instances(seed_streams(5, 1, label="test")[0])[1]


def _check(make_config, mutant_sweep):
    label, context, feats = _instance()
    return check_alg3_sgd(
        context, feats, make_config=make_config, label=label, **mutant_sweep(13, asymptotic_from=1)
    )


def test_quick_profile_passes_with_numbers() -> None:
    verdict = run(QUICK)
    assert verdict.status == "pass", verdict.reasons
    for ev in verdict.evidence.values():
        assert ev["within_bound"]
        if ev["rate_decides"]:
            assert ev["fit"]["ci"][1] <= -0.4


def test_sgd_approaches_exact_twin() -> None:
    _, context, feats = _instance()
    adv = context.advantage
    radius = 2.0 * float(np.linalg.norm(exact_actor(context, feats, adv)))
    w_star = exact_actor(context, feats, adv, radius=radius)
    config = SGDConfig(n_steps=20_000, radius=radius, batch_size=8, step=0.05)
    w = projected_sgd(context, adv, config, np.random.default_rng(2))[0]
    best = float(actor_loss(context, adv, w_star))
    excess = float(actor_loss(context, adv, w)) - best
    start = float(actor_loss(context, adv, np.zeros_like(w))) - best
    assert 0 <= excess < 5e-2 * start


def test_rejects_step_one_over_k(mutant_sweep) -> None:
    verdict = _check(mutant_step_one_over_k(), mutant_sweep)
    assert verdict.status == "fail"
    assert verdict.evidence["fit"]["exponent"] > -0.2


def test_rejects_last_iterate(mutant_sweep) -> None:
    # on this non-realizable instance the last iterate stalls (exponent about -0.16 on the grid)
    verdict = _check(mutant_last_iterate(), mutant_sweep)
    assert verdict.status == "fail"
    assert verdict.evidence["fit"]["exponent"] > -0.4
