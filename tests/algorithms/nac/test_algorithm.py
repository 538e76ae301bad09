"""NAC and DL-NAC as algorithm values against the legacy drivers, and the protocol's checks.

Differential: ``NAC_DEFAULT.run`` equals the legacy keyword-config driver ``run_nac`` and the
step-by-step loop of ``nac_step`` bit for bit (exact and sampled oracles); DL-NAC likewise against
``dl_nac_step``. Protocol: ``validate()`` rejects a part with the wrong signature, ``configure()``
reports the fields a grid overrode and resolves :class:`Tied` parts.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from mfcheck.algorithms.nac.algorithm import DLNAC_DEFAULT, NAC, NAC_DEFAULT, Constant, HorizonPower
from mfcheck.algorithms.nac.double_loop import DLNACConfig, dl_nac_step
from mfcheck.algorithms.nac.log_linear import one_hot_features
from mfcheck.algorithms.nac.oracles import SampledOracle, SGDConfig, TDConfig
from mfcheck.algorithms.nac.single_loop import NACConfig, initial_state, nac_step, run_nac
from mfcheck.algorithms.protocol import Tied, configure
from mfcheck.instances import sis


def _assert_same_run(a, b) -> None:
    for name in ("thetas", "policies", "mean_fields", "w_hats", "q_hats"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)


def test_default_run_equals_legacy_run_nac_bit_for_bit() -> None:
    game = sis(lam=1.0)
    features = one_hot_features(2, 2)
    T = 120
    new = dataclasses.replace(NAC_DEFAULT, n_iterations=T).run(game)
    legacy = run_nac(game, features, NACConfig(n_iterations=T, policy_step=0.1, mean_field_step=0.05))
    _assert_same_run(new, legacy)
    # and the step-by-step loop of the legacy nac_step (its own arithmetic, not NAC's parts)
    state, rng = initial_state(game, features), np.random.default_rng(0)
    for t in range(T):
        state, record = nac_step(game, features, state, policy_step=0.1, mean_field_step=0.05,
                                 oracle=NAC_DEFAULT.oracle, rng=rng)
        np.testing.assert_array_equal(record.w_hat, new.w_hats[t])
        np.testing.assert_array_equal(state.theta, new.thetas[t + 1])
        np.testing.assert_array_equal(state.mean_field, new.mean_fields[t + 1])
    np.testing.assert_array_equal(new.policy_steps, np.full(T, 0.1))


def test_sampled_oracle_run_equals_legacy_bit_for_bit() -> None:
    game = sis(lam=0.5)
    features = one_hot_features(2, 2)
    oracle = SampledOracle(td=TDConfig(n_steps=32, radius=50.0, batch_size=2), sgd=SGDConfig(n_steps=32, radius=2.0))
    new = dataclasses.replace(NAC_DEFAULT, n_iterations=25, oracle=oracle, policy_step=Constant(1.0)).run(
        game, rng=np.random.default_rng(7))
    legacy = run_nac(game, features, NACConfig(n_iterations=25, policy_step=1.0, mean_field_step=0.05),
                     oracle=oracle, rng=np.random.default_rng(7))
    _assert_same_run(new, legacy)


def test_dl_nac_run_equals_legacy_loop_bit_for_bit() -> None:
    game = sis(lam=1.0)
    features = one_hot_features(2, 2)
    algorithm = dataclasses.replace(DLNAC_DEFAULT, n_iterations=60, inner_steps=7)
    new = algorithm.run(game)
    config = DLNACConfig(n_iterations=60, policy_step=0.1, inner_steps=7)
    state, rng = initial_state(game, features), np.random.default_rng(0)
    for t in range(60):
        state, record = dl_nac_step(game, features, state, config=config, oracle=algorithm.oracle, rng=rng)
        np.testing.assert_array_equal(record.w_hat, new.w_hats[t])
        np.testing.assert_array_equal(state.theta, new.thetas[t + 1])
        np.testing.assert_array_equal(state.mean_field, new.mean_fields[t + 1])
    np.testing.assert_array_equal(new.mean_field_steps, [float((t + 1) % 7 == 0) for t in range(60)])


def test_validate_rejects_a_part_with_the_wrong_signature() -> None:
    def two_argument_update(theta, w_hat):
        return theta + w_hat

    broken = dataclasses.replace(NAC_DEFAULT, policy_update=two_argument_update)
    with pytest.raises(TypeError, match=r"NAC\.policy_update: .*two_argument_update"):
        broken.validate()
    with pytest.raises(TypeError, match=r"NAC\.mean_field_step: expected a callable"):
        dataclasses.replace(NAC_DEFAULT, mean_field_step=0.05).validate()
    NAC_DEFAULT.validate()  # the default's parts all fit
    dataclasses.replace(NAC_DEFAULT, policy_step=HorizonPower(1.0, -0.4)).validate()


def test_configure_reports_overridden_fields() -> None:
    assert configure(NAC_DEFAULT, n_iterations=500).overridden == ()
    variant = dataclasses.replace(NAC_DEFAULT, n_iterations=50, policy_step=Constant(0.3))
    configured = configure(variant, n_iterations=500, policy_step=Constant(0.3))
    # the variant chose T = 50 (overridden to 500); its own step is what the grid set anyway
    assert configured.overridden == ("n_iterations",)
    assert configured.algorithm.n_iterations == 500 and configured.algorithm.policy_step == Constant(0.3)
    with pytest.raises(TypeError, match="no field"):
        configure(NAC_DEFAULT, width=3)


def test_configure_resolves_tied_parts() -> None:
    variant = dataclasses.replace(NAC_DEFAULT, policy_step=Tied(lambda n_iterations: Constant(10.0 / n_iterations)))
    variant.validate()  # a Tied part is checked once resolved
    configured = configure(variant, n_iterations=200)
    assert configured.algorithm.policy_step == Constant(0.05)
    assert configured.overridden == ()
    assert isinstance(configured.algorithm, NAC)
    with pytest.raises(TypeError, match="no field named"):
        configure(dataclasses.replace(NAC_DEFAULT, policy_step=Tied(lambda horizon: Constant(1.0))), n_iterations=3)
