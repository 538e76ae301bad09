"""mfppo.lemma_e3_init: E_init[f_β(0)(x)²] <= 1 for ‖x‖ <= 1 (exact value ‖x‖²/(2d))."""

from __future__ import annotations

import torch
from hypothesis import given
from hypothesis import strategies as st

from mfcheck.algorithms.mfppo.encoding_torch import OneHotEncoder
from mfcheck.algorithms.mfppo.linearisation_torch import two_layer_network
from mfcheck.checks.mfppo import lemma_e3_init
from mfcheck.claims import QUICK, Verdict, run_claim
from mfcheck.testing.mutants.mfppo_lemma_e3_init import QUARTER_OVER_DIMENSION

CLAIM_ID = lemma_e3_init.CLAIM_ID


def figure(verdict: Verdict, name: str):
    return next(f for f in verdict.measured if f.name == name)


def test_quick_passes_and_matches_closed_form() -> None:
    verdict = run_claim(CLAIM_ID, QUICK)
    assert verdict.status == "pass", verdict.reasons
    moment = figure(verdict, "max_x E_init f(x)²")
    assert moment.high < 0.07  # exact value 1/(2d) = 0.05 for d = 10, twenty times below 1
    assert abs(figure(verdict, "closed form max_x σ²‖x‖²/2").value - 0.05) < 1e-15


@given(st.lists(st.floats(-1.0, 1.0, allow_subnormal=False), min_size=10, max_size=10), st.floats(0.0, 1.0))
def test_closed_form_is_at_most_one_over_2d(values: list[float], scale: float) -> None:
    x = torch.tensor(values, dtype=torch.float64)
    norm = float(torch.linalg.vector_norm(x))
    x = x / norm * scale if norm > 0 else x
    net = two_layer_network(OneHotEncoder(4, 2), 8, torch.Generator().manual_seed(0))
    assert float(net.init_second_moment(x)) <= 1 / 20 + 1e-15


def test_rejects_quarter_over_dimension() -> None:
    verdict = run_claim(CLAIM_ID, QUICK, statement=QUARTER_OVER_DIMENSION)
    assert verdict.status == "fail"
    assert figure(verdict, "max_x E_init f(x)²").low > 0.04  # exact 1/(2d) = 0.05 > the stated 1/(4d)
    assert "> the stated bound 0.025" in verdict.reasons[0]


def test_inputs_outside_assumption3_are_not_applicable(quick_sizes) -> None:
    with quick_sizes(lemma_e3_init.SIZES, lemma_e3_init.PpoLemmaE3InitSizes(n_inits=50, input_norm=2.0)):
        verdict = run_claim(CLAIM_ID, QUICK)
    assert verdict.status == "not_applicable"
    assert verdict.hypotheses[0].measured == 2.0


def test_same_seed_same_numbers(quick_sizes) -> None:
    with quick_sizes(lemma_e3_init.SIZES, lemma_e3_init.PpoLemmaE3InitSizes(n_inits=50)):
        assert lemma_e3_init.check(profile=QUICK).to_dict() == lemma_e3_init.check(profile=QUICK).to_dict()
