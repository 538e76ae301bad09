"""The paired bootstrap without recomputation, on a synthetic check with 8 seeds per cell: record,
replay (identity and resampled), pairing, judgements and the seeds that would decide."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pytest

from mfcheck.compare.bootstrap import Interval, judge, paired_interval, replay_figure
from mfcheck.compare.figures import comparison_value, matches, matching_figures
from mfcheck.compare.recording import RecordingExecutor, ReplayError, ReplayExecutor, n_seeds
from mfcheck.judgement import (
    Cell,
    ComparisonSpec,
    Figure,
    Profile,
    Record,
    Verdict,
    grid,
    run_cells,
    using_executor,
)

CLAIM_ID = "synthetic.claim"
PROFILE = Profile(name="quick", master_seed=11)
SPEC = ComparisonSpec(figure="mean error", direction="lower", margin=0.1)
SEEDS = 8


@dataclass(frozen=True)
class Toy:
    """An 'algorithm': error = offset + scale * noise, the noise from the cell's own stream."""

    offset: float = 0.0
    scale: float = 1.0


def measure(cell: Cell, algorithm: Toy, master_seed: int) -> Record:
    noise = cell.rng(master_seed, "noise").normal()
    return Record.of(cell, error=algorithm.offset + algorithm.scale * noise * float(cell["n"]))


def check(algorithm: Toy, *, profile: Profile) -> Verdict:
    records = run_cells(grid(CLAIM_ID, seeds=SEEDS, n=[1, 2]), measure, algorithm, profile.master_seed)
    measured = tuple(Figure(name=f"n={n}: mean error", value=float(np.mean([r["error"] for r in records
                                                                             if r.cell["n"] == n])))
                     for n in (1, 2))
    return Verdict(claim_id=CLAIM_ID, status="pass", summary="", measured=measured)


def recorded(algorithm: Toy) -> tuple[float, list[dict]]:
    recorder = RecordingExecutor()
    with using_executor(recorder):
        verdict = check(algorithm, profile=PROFILE)
    value = comparison_value(verdict, SPEC)
    assert value is not None
    return value, recorder.stored()


def interval(base: Toy, variant: Toy, resamples: int = 200, **kw: object) -> Interval:
    (b, b_records), (v, v_records) = recorded(base), recorded(variant)
    return paired_interval(check, SPEC, PROFILE, baseline=(base, b_records, b), variant=(variant, v_records, v),
                           resamples=resamples, rng=np.random.default_rng(0), **kw)


def test_recording_keeps_every_cell_and_identity_replay_reproduces_the_figure() -> None:
    value, records = recorded(Toy())
    assert len(records) == 2 * SEEDS and n_seeds(records) == SEEDS
    assert {r["type"] for r in records} == {"record"}
    assert replay_figure(check, Toy(), PROFILE, records, SPEC) == value
    # a resample serves other seeds' records, re-keyed to the requested cells
    served = ReplayExecutor(records, np.zeros(SEEDS))(grid(CLAIM_ID, seeds=SEEDS, n=[1]), measure, Toy(), 11)
    assert [r.cell.seed_index for r in served] == list(range(SEEDS))
    assert len({r["error"] for r in served}) == 1  # every seed served seed 0's record
    with pytest.raises(ReplayError, match="no stored record"):
        ReplayExecutor(records)(grid(CLAIM_ID, seeds=1, n=[3]), measure, Toy(), 11)


def test_the_same_algorithm_gives_a_zero_interval_same() -> None:
    result = interval(Toy(), Toy())
    assert (result.difference, result.low, result.high) == (0.0, 0.0, 0.0)
    assert result.n_seeds == SEEDS and result.n_resamples == 200 and not result.exact
    assert judge(result, "lower", 0.1).judgement == "same"


def test_pairing_cancels_the_shared_noise() -> None:
    """Both runs see the same streams on the same cells: a shifted variant differs by exactly the
    shift in every resample, although the figure itself varies by ~0.5 across resamples."""
    result = interval(Toy(), Toy(offset=0.05))
    assert result.low == pytest.approx(0.05) and result.high == pytest.approx(0.05)
    assert judge(result, "lower", 0.1).judgement == "same"
    worse, better = interval(Toy(), Toy(offset=1.0)), interval(Toy(), Toy(offset=-1.0))
    assert judge(worse, "lower", 0.1).judgement == "worse"
    assert judge(better, "lower", 0.1).judgement == "better"
    assert judge(better, "higher", 0.1).judgement == "worse"


def test_noisier_variant_is_inconclusive_with_the_seeds_that_would_decide() -> None:
    result = interval(Toy(), Toy(scale=1.3))
    assert result.low < 0 < result.high or result.high - result.low > 0.2
    verdict = judge(result, "lower", 0.1)
    assert verdict.judgement == "inconclusive"
    assert verdict.seeds_to_decide is not None and verdict.seeds_to_decide > SEEDS
    assert verdict.would_be in ("same", "better", "worse")


def test_replays_that_ask_for_unrecorded_cells_give_no_interval() -> None:
    (b, b_records), (v, v_records) = recorded(Toy()), recorded(Toy(offset=0.5))
    partial = [r for r in v_records if not (r["settings"]["n"] == 2 and r["seed_index"] == 3)]
    result = paired_interval(check, SPEC, PROFILE, baseline=(Toy(), b_records, b),
                             variant=(Toy(offset=0.5), partial, v), resamples=20, rng=np.random.default_rng(0))
    assert math.isnan(result.low) and result.failed == 20 and "unavailable" in result.note
    assert judge(result, "lower", 0.1).judgement == "inconclusive"


def test_single_seed_claims_get_the_exact_difference() -> None:
    exact = Interval(difference=-0.05, low=-0.05, high=-0.05, n_seeds=1)
    assert exact.exact
    assert judge(exact, "higher", 0.01).judgement == "worse"
    assert judge(exact, "lower", 0.01).judgement == "better"
    assert judge(exact, "higher", 0.05).judgement == "same"


def test_judgement_rules_and_seeds_to_decide() -> None:
    def at(low: float, high: float) -> Interval:
        return Interval(difference=(low + high) / 2, low=low, high=high, n_seeds=10, n_resamples=200)

    assert judge(at(0.2, 0.4), "higher", 0.1).judgement == "better"
    assert judge(at(0.2, 0.4), "lower", 0.1).judgement == "worse"
    assert judge(at(-0.05, 0.05), "lower", 0.1).judgement == "same"
    # centre 0.175, half-width 0.125: out of the band once 0.125 sqrt(10/n) < 0.075, n > 27.8
    undecided = judge(at(0.05, 0.3), "higher", 0.1)
    assert (undecided.judgement, undecided.seeds_to_decide, undecided.would_be) == ("inconclusive", 28, "better")
    # centre 0.02, half-width 0.1: inside the band once 0.1 sqrt(10/n) <= 0.08, n >= 15.6
    inside = judge(at(-0.08, 0.12), "lower", 0.1)
    assert (inside.judgement, inside.seeds_to_decide, inside.would_be) == ("inconclusive", 16, "same")


def test_figures_match_by_name_prefix_or_instance_label_and_take_the_worst() -> None:
    assert matches("T-exponent (control game)", "T-exponent")
    assert matches("control (own oracle): min slack", "min slack")
    assert not matches("local slopes (T, control)", "T-exponent")
    measured = (Figure(name="a: min slack", value=0.3), Figure(name="b: min slack", value=-0.1),
                Figure(name="b: violations", value=3), Figure(name="c: min slack", value="nan"))
    assert matching_figures(measured, "min slack") == [("a: min slack", 0.3), ("b: min slack", -0.1)]
    verdict = Verdict(claim_id=CLAIM_ID, status="pass", summary="", measured=measured)
    assert comparison_value(verdict, ComparisonSpec(figure="min slack", direction="higher")) == -0.1
    assert comparison_value(verdict, ComparisonSpec(figure="min slack", direction="lower")) == 0.3
    assert comparison_value(verdict, ComparisonSpec(figure="max error")) is None


def test_replicates_inside_one_cell_are_not_passed_off_as_exact() -> None:
    """A cell that runs n_replicates = 8 replicates under seed index 0 (e.g. mfgnac.alg2_td) has
    sampling noise the seed bootstrap cannot see: no interval unless the figures are identical."""
    records = [{"claim_id": CLAIM_ID, "settings": {"K": 4, "n_replicates": 8}, "seed_index": 0, "type": "record",
                "values": {"errors": [1.0] * 8}}]
    differing = paired_interval(check, SPEC, PROFILE, baseline=(Toy(), records, 1.0), variant=(Toy(), records, 1.2),
                                resamples=50, rng=np.random.default_rng(0))
    assert math.isnan(differing.low) and "8 replicates ('n_replicates')" in differing.note
    assert judge(differing, "lower", 0.1).judgement == "inconclusive"
    identical = paired_interval(check, SPEC, PROFILE, baseline=(Toy(), records, 1.0), variant=(Toy(), records, 1.0),
                                resamples=50, rng=np.random.default_rng(0))
    assert identical.exact and judge(identical, "lower", 0.1).judgement == "same"
