"""mfgnac.alg2_td: the NAC critic's (Algorithm 2's) squared error decays as 1/K."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from mfcheck.algorithms.nac.actor_critic import ActorCriticOracle, ExactActor, TDCritic
from mfcheck.algorithms.nac.algorithm import DLNAC_DEFAULT, NAC_DEFAULT
from mfcheck.algorithms.nac.oracles import critic_error
from mfcheck.checks.mfgnac import alg2_td
from mfcheck.claims import run_claim
from mfcheck.judgement import QUICK, get_claim
from mfcheck.testing.mutants.mfgnac_alg2_td import (
    CONSTANT_STEP_AVERAGED,
    CONSTANT_STEP_LAST_ITERATE,
)

CLAIM_ID = alg2_td.CLAIM_ID


@pytest.fixture(scope="module")
def verdict():
    return run_claim(CLAIM_ID, QUICK)


def test_quick_profile_passes_with_numbers(verdict) -> None:
    assert verdict.status == "pass", verdict.reasons
    bound = get_claim(CLAIM_ID).rate("K").bound
    exponents = {f.name: f for f in verdict.measured if f.name.startswith("K-exponent")}
    assert set(exponents) == {"K-exponent (sis)", "K-exponent (random_mfg(4x3))"}
    for fig in exponents.values():
        assert fig.high <= bound
        assert fig.value < -1.5  # the pre-asymptotic transient still dominates at K <= 2^15 (toml notes)
    for curve in verdict.evidence["mean_error_curves"].values():
        assert curve["K"] == [2**e for e in range(8, 16)]
        assert curve["mean_error"][-1] < curve["mean_error"][0] / 1000
    assert verdict.evidence["stand_in"] is True  # NAC_DEFAULT's critic is exact: Algorithm 2 stands in
    assert all(h.holds for h in verdict.hypotheses)


def test_fits_only_the_asymptotic_part(verdict) -> None:
    spec = get_claim(CLAIM_ID).rate("K")
    assert spec.asymptotic_from == 3
    for fit in verdict.evidence["fits"]:
        # the exponent is the slope over K = 2^11..2^15 only; local slopes cover the whole grid
        assert fit["grid"] == [2.0**e for e in range(11, 16)]
        assert len(fit["local_slopes"]) == 7
        assert fit["exponent"] == pytest.approx(np.polyfit(np.log(fit["grid"]), np.log(fit["mean_error"]), 1)[0])


def test_cells_are_pure_and_seeded_by_their_settings() -> None:
    cells = alg2_td.cells(QUICK)
    cell = cells[2]
    a = alg2_td.measure(cell, NAC_DEFAULT, QUICK.master_seed)
    for other in cells[:2]:
        alg2_td.measure(other, NAC_DEFAULT, QUICK.master_seed)
    b = alg2_td.measure(cell, NAC_DEFAULT, QUICK.master_seed)
    assert a.values == b.values and len(a["errors"]) == 64


def test_sampled_oracle_variant_is_judged_by_its_own_critic() -> None:
    """A variant whose critic is TD with a batch of 4: its own K is overridden by the sweep (reported)."""
    from mfcheck.algorithms.nac.oracles import SampledOracle, SGDConfig, TDConfig

    variant = dataclasses.replace(NAC_DEFAULT, oracle=SampledOracle(td=TDConfig(n_steps=64, batch_size=4),
                                                                     sgd=SGDConfig(n_steps=64, radius=1.0)))
    half = alg2_td.swept_half(variant.oracle, "critic", alg2_td.PAPER_CRITIC)
    assert not half.stand_in and half.half.batch_size == 4
    assert half.overridden(paper=alg2_td.PAPER_CRITIC) == ("oracle.critic.n_steps",)


def test_an_oracle_without_a_critic_half_is_not_applicable() -> None:
    def opaque_oracle(context, features, rng):
        raise AssertionError("never called")

    verdict = run_claim(CLAIM_ID, QUICK, algorithm=dataclasses.replace(NAC_DEFAULT, oracle=opaque_oracle))
    assert verdict.status == "not_applicable"
    assert "critic-actor pair" in verdict.hypotheses[0].note


def test_judges_the_oracle_of_dl_nac_too() -> None:
    assert "dlnac" in get_claim(CLAIM_ID).judges
    half = alg2_td.judged_critic(dataclasses.replace(DLNAC_DEFAULT, oracle=CONSTANT_STEP_LAST_ITERATE.oracle))
    assert half.half == CONSTANT_STEP_LAST_ITERATE.oracle.critic and not half.stand_in


def test_td_fixed_point_is_exact_critic() -> None:
    """The exact twin: a long TD run lands on q = Q - λ log π (one-hot features are realizable)."""
    context, features = alg2_td.evaluation_point("sis", QUICK.master_seed)
    q_hat = TDCritic(n_steps=20_000, radius=alg2_td.ball_radius(context), batch_size=8)(
        context, features, np.random.default_rng(1), 1)
    np.testing.assert_allclose(q_hat[0], context.shifted_q, rtol=0.02)
    assert critic_error(context, q_hat)[0] < 1e-3


def test_rejects_constant_step_last_iterate() -> None:
    verdict = run_claim(CLAIM_ID, QUICK, algorithm=CONSTANT_STEP_LAST_ITERATE)
    assert verdict.status == "fail"
    exponents = [f for f in verdict.measured if f.name.startswith("K-exponent")]
    assert len(exponents) == 2 and all(f.value > -0.5 for f in exponents)
    assert verdict.overridden == ("oracle.critic.n_steps",)


@pytest.mark.slow
def test_constant_step_averaged_does_not_violate() -> None:
    """Finding: a constant step is not a violation when the iterate is averaged (toml notes)."""
    assert isinstance(CONSTANT_STEP_AVERAGED.oracle, ActorCriticOracle)
    assert isinstance(CONSTANT_STEP_AVERAGED.oracle.actor, ExactActor)
    assert run_claim(CLAIM_ID, QUICK, algorithm=CONSTANT_STEP_AVERAGED).status == "pass"
