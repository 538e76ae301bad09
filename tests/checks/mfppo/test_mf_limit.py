"""mfppo.mf_limit: the N-agent optimum under meta-action policies (count space) against the
optimum of the stated N → ∞ mean-field MDP."""

from __future__ import annotations

import pytest

from mfcheck.checks.mfppo.mf_limit import PAPER_STATEMENT, PpoMfLimitSizes, cells, identity, measure
from mfcheck.claims import FULL, QUICK, run_claim
from mfcheck.judgement import Verdict
from mfcheck.testing.mutants.mfppo_mf_limit import FROZEN_FLOW

CLAIM_ID = "mfppo.mf_limit"


@pytest.fixture(scope="module")
def verdict() -> Verdict:
    return run_claim(CLAIM_ID, QUICK)


def _fits(verdict: Verdict) -> dict:
    return {fit["label"].split(" ")[0]: fit for fit in verdict.evidence["fits"]}


def test_family_gap_closes_about_as_fast_as_one_over_n(verdict: Verdict) -> None:
    fits = _fits(verdict)
    # measured (master seed 20261121): sup gap ~ N^-1.05 [-1.68, -0.41], mean gap ~ N^-1.09 [-1.62, -0.50]
    assert fits["sup_gap"]["passed"] and fits["mean_gap"]["passed"]
    assert -1.3 <= fits["sup_gap"]["exponent"] <= -0.8 and fits["sup_gap"]["ci"][1] <= -0.25
    assert -1.3 <= fits["mean_gap"]["exponent"] <= -0.8
    assert max(r["discretisation_ratio"] for r in verdict.evidence["family"]) <= 0.1
    assert all(h.holds for h in verdict.hypotheses)


def test_quick_verdict_fails_on_a_random_three_state_model_whose_gap_has_not_halved(verdict: Verdict) -> None:
    # Honest result after reseeding from the cells: the random |S| = 3 model's sup gap goes
    # 0.085, 0.095, 0.084, 0.061 at N = 4, 8, 16, 32 (a pre-asymptotic hump; 0.040 at N = 64,
    # outside the quick grid), so "every model's gap at least halves over its grid" fails.
    assert verdict.status == "fail"
    assert len(verdict.reasons) == 2
    assert all(r.startswith("random_cooperative|S|=3#0: ") for r in verdict.reasons)
    three = next(r for r in verdict.evidence["others"] if r["name"] == "random_cooperative")
    sup = [row["sup_gap"] for row in three["curve"]]
    assert sup[1] > sup[0] and 0.5 * sup[0] < sup[-1] < sup[0]


def test_absorbing_boundary_and_meta_action_restriction(verdict: Verdict) -> None:
    others = {r["name"]: r for r in verdict.evidence["others"]}
    sis = others["cooperative_sis"]["curve"]
    # cooperative_sis: the worst state is always "one infected" (extinction there is likely for
    # finite N, impossible for the flow): its gap closes much more slowly than the average
    assert all(row["sup_at_counts"][1] == 1 for row in sis)
    assert sis[-1]["sup_gap"] > 10 * sis[-1]["mean_gap"]
    # crowd_ring: splitting a crowd over {stay, move} beats every meta-action, at every N and in
    # the limit; the unrestricted optimum approaches the relaxed limit, not Def 2.1's
    ring = others["crowd_ring"]["restriction"]
    assert [row["sup"] > 0.5 for row in ring["curve"]] == [True] * 4
    assert ring["limit_sup"] > 0.5 and ring["unrestricted_to_relaxed_limit"] < 0.1 < 0.5 < ring["unrestricted_to_meta_limit"]
    assert max(row["sup"] for row in others["cooperative_sis"]["restriction"]["curve"]) <= 1e-9
    assert "meta-action" in {f.name: f.value for f in verdict.stated}["N-agent policies"]


def test_gap_curves_against_n_one_series_per_model(verdict: Verdict, curves_ok) -> None:
    curves = verdict.evidence["curves"]
    curves_ok(curves)
    assert [p["title"].split("(")[1].split(")")[0] for p in curves] == ["sup over count states", "mean over count states"]
    for panel, key in zip(curves, ("sup_gap", "mean_gap")):
        assert panel["logx"] and panel["logy"]
        family, *others, stated = panel["series"]
        assert family["x"] == [8, 16, 32, 64, 128, 256]
        assert family["y_per_seed"] == [[row[key] for row in r["curve"]] for r in verdict.evidence["family"]]
        assert [s["label"] for s in others] == ["cooperative_sis|S|=2", "crowd_ring|S|=3", "random_cooperative|S|=3#0"]
        assert [s["y"] for s in others] == [[row[key] for row in r["curve"]] for r in verdict.evidence["others"]]
        assert stated["reference"] and stated["y"][-1] / stated["y"][0] == pytest.approx(32**-0.5)


def test_cells_are_seeded_by_what_they_are() -> None:
    family = [c for c in cells(QUICK) if c["role"] == "family"]
    assert [c.seed_index for c in family] == [0, 1, 2, 3]
    first = measure(family[0], PAPER_STATEMENT, QUICK.master_seed)
    assert first == measure(family[0], PAPER_STATEMENT, QUICK.master_seed)
    # the model is drawn from what the cell is, not from its sizes: both profiles draw the same
    # models, evaluated on their own N grids
    quick, full = cells(QUICK)[0], cells(FULL)[0]
    assert quick != full and identity(quick) == identity(full)
    assert first["curve"][0]["n_agents"] == 8 and len(first["curve"]) == 6


def test_sizes_refuse_grids_off_the_resolution() -> None:
    with pytest.raises(ValueError, match=r"PpoMfLimitSizes.n_grid: resolution/2 = 50.0 is not a multiple of N = \[16\]"):
        PpoMfLimitSizes(n_grid=(5, 16), n_random=2, resolution=100, grid_s3=(2, 4), n_random_s3=0, resolution_s3=8)


def test_rejects_frozen_flow() -> None:
    verdict = run_claim(CLAIM_ID, QUICK, statement=FROZEN_FLOW)
    assert verdict.status == "fail"
    fits = _fits(verdict)
    # measured: sup gap ~ N^0.02 [-1.25, 1.37]: the gap to a frozen-kernel flow does not close
    assert not fits["sup_gap"]["passed"] and fits["sup_gap"]["ci"][1] > -0.25
    assert fits["sup_gap"]["exponent"] > -0.3
    assert any("exceeds -0.5 + margin 0.25" in reason for reason in verdict.reasons)
