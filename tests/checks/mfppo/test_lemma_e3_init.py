"""mfppo.lemma_e3_init: E_init[f_β(0)(x)²] <= 1 for ‖x‖ <= 1 (exact value ‖x‖²/(2d))."""

from __future__ import annotations

import torch
from hypothesis import given
from hypothesis import strategies as st

from mfcheck.algorithms.mfppo.encoding_torch import OneHotEncoder
from mfcheck.checks.mfppo import lemma_e3_init
from mfcheck.claims import QUICK, Verdict
from mfcheck.testing.mutants.mfppo_lemma_e3_init import (
    mutant_raw_index_inputs,
    mutant_unit_variance_init,
    mutant_unscaled_output,
)

SMALL = lemma_e3_init.Config(n_inits=600)


def figure(verdict: Verdict, name: str):
    return next(f for f in verdict.measured if f.name == name)


def test_run_passes_and_matches_closed_form() -> None:
    verdict = lemma_e3_init.run(QUICK)
    assert verdict.status == "pass", verdict.reasons
    moment = figure(verdict, "max_x E_init f(x)²")
    assert moment.high < 0.07  # exact value 1/(2d) = 0.05 for d = 10, twenty times below 1
    assert abs(figure(verdict, "closed form max_x σ²‖x‖²/2").value - 0.05) < 1e-15


@given(st.lists(st.floats(-1.0, 1.0, allow_subnormal=False), min_size=10, max_size=10),
       st.floats(0.0, 1.0))
def test_closed_form_is_at_most_one_over_2d(values: list[float], scale: float) -> None:
    x = torch.tensor(values, dtype=torch.float64)
    norm = float(torch.linalg.vector_norm(x))
    x = x / norm * scale if norm > 0 else x
    net = lemma_e3_init.default_network(OneHotEncoder(4, 2), 8, torch.Generator().manual_seed(0))
    assert float(net.init_second_moment(x)) <= 1 / 20 + 1e-15


def test_rejects_unscaled_output() -> None:
    verdict = lemma_e3_init.check_lemma_e3_init(mutant_unscaled_output, config=SMALL, master_seed=2)
    assert verdict.status == "fail"
    assert figure(verdict, "max_x E_init f(x)²").low > 1.5  # exact m/(2d) = 3.2
    assert "> 1" in verdict.reasons[0]


def test_unit_variance_init_does_not_violate() -> None:
    """Variance I instead of I/d gives ‖x‖²/2 <= 1/2: a suggested mutant that is not one."""
    verdict = lemma_e3_init.check_lemma_e3_init(mutant_unit_variance_init, config=SMALL, master_seed=2)
    assert verdict.status == "pass"
    assert 0.4 < figure(verdict, "max_x E_init f(x)²").value < 0.6


def test_raw_index_inputs_are_not_applicable() -> None:
    verdict = lemma_e3_init.check_lemma_e3_init(
        config=SMALL, master_seed=2, inputs=mutant_raw_index_inputs(4, 2)
    )
    assert verdict.status == "not_applicable"
    assert "> 1" in verdict.reasons[0]


def test_same_seed_same_numbers() -> None:
    one = lemma_e3_init.check_lemma_e3_init(config=lemma_e3_init.Config(n_inits=50), master_seed=4)
    two = lemma_e3_init.check_lemma_e3_init(config=lemma_e3_init.Config(n_inits=50), master_seed=4)
    assert one.to_dict() == two.to_dict()
