"""Calibration of rate checkers: summary statistics, storage and resume, sub-verdicts, and
(slow) the false-failure rate of the MF-PPO rate claims over 100 master seeds."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from mfcheck.claims import Profile, Verdict, calibration
from mfcheck.claims.calibration import (
    MAX_FALSE_FAILURE_RATE,
    SUB_VERDICTS,
    CalibrationSummary,
    calibrate,
    clopper_pearson_upper,
    gaussian_tail,
    normality_p,
    rate_fits,
    seed_path,
    summarise,
)


def fit_entry(parameter: str, high: float, *, label: str = "fit", stated: float = -0.5,
              margin: float = 0.1) -> dict[str, object]:
    """An evidence entry shaped like ``RateJudgement.evidence()``."""
    return {"label": label, "parameter": parameter, "stated_exponent": stated, "margin": margin,
            "passed": bool(high <= stated + margin), "exponent": high - 0.1,
            "ci": [high - 0.2, high], "n_seeds": 4}


def fake_verdict(claim_id: str, seed: int, highs: dict[str, float], *, key: str = "fits",
                 profile: str = "quick") -> Verdict:
    entries = [fit_entry(p, h) for p, h in highs.items()]
    return Verdict(claim_id=claim_id, status="pass" if all(e["passed"] for e in entries) else "fail",
                   summary="fake", evidence={key: entries}, profile=profile, master_seed=seed,
                   seconds=0.5)


class CountingChecker:
    """Stands in for ``run_claim``: T upper end -0.5 except at the seeds in ``failing``."""

    def __init__(self, failing: tuple[int, ...] = ()) -> None:
        self.calls: list[int] = []
        self.failing = failing

    def __call__(self, claim_id: str, profile: Profile) -> Verdict:
        self.calls.append(profile.master_seed)
        high = -0.3 if profile.master_seed in self.failing else -0.5
        return fake_verdict(claim_id, profile.master_seed, {"T": high, "N": -1.0},
                            profile=profile.name)


# --- statistics ---------------------------------------------------------------------------


def test_clopper_pearson_zero_of_hundred() -> None:
    # 0 of n: the bound solves (1 - p)^n = 0.05.
    assert clopper_pearson_upper(0, 100) == pytest.approx(1 - 0.05 ** (1 / 100), rel=1e-10)
    assert clopper_pearson_upper(0, 100) == pytest.approx(0.0295, abs=5e-5)


def test_clopper_pearson_one_of_hundred() -> None:
    # 1 of n: P(Binomial(n, p) <= 1) = 0.05 at the bound (about 0.0466 for n = 100).
    upper = clopper_pearson_upper(1, 100)
    assert upper == pytest.approx(0.0466, abs=1e-4)
    assert stats.binom.cdf(1, 100, upper) == pytest.approx(0.05, rel=1e-8)


def test_clopper_pearson_edges_and_bad_input() -> None:
    assert clopper_pearson_upper(5, 5) == 1.0
    assert math.isnan(clopper_pearson_upper(0, 0))
    with pytest.raises(ValueError, match="n_fail=3, n=2"):
        clopper_pearson_upper(3, 2)
    with pytest.raises(ValueError, match="n_fail=-1"):
        clopper_pearson_upper(-1, 2)


def test_gaussian_tail_known_numbers() -> None:
    # mean 0, sd sqrt(2) (ddof 1): threshold 0 -> 1/2; threshold z_0.99 sqrt(2) -> 1 %.
    assert gaussian_tail([-1.0, 1.0], 0.0) == pytest.approx(0.5)
    z = stats.norm.ppf(0.99)
    assert gaussian_tail([-1.0, 1.0], z * math.sqrt(2)) == pytest.approx(0.01, rel=1e-9)
    assert gaussian_tail([-1.0, 1.0], -z * math.sqrt(2)) == pytest.approx(0.99, rel=1e-9)


def test_gaussian_tail_degenerate() -> None:
    assert gaussian_tail([0.2, 0.2, 0.2], 0.3) == 0.0
    assert gaussian_tail([0.4, 0.4], 0.3) == 1.0
    assert math.isnan(gaussian_tail([0.1], 0.3))
    assert math.isnan(gaussian_tail([0.1, float("nan")], 0.3))


def test_normality_p_flags_an_outlier() -> None:
    gaussian = stats.norm.ppf(np.linspace(0.01, 0.99, 50))  # exact Gaussian quantiles
    assert normality_p(gaussian) > 0.5
    assert normality_p([*gaussian, 6.0]) < 0.01  # one value 6 sd out, as lemma_e2's seed 1016
    assert math.isnan(normality_p([0.1, 0.2]))
    assert math.isnan(normality_p([0.1, 0.1, 0.1]))


# --- reading verdicts -------------------------------------------------------------------------


def test_rate_fits_reads_the_fits_of_rate_verdicts() -> None:
    (t,) = rate_fits(fake_verdict("mfppo.lemma4_1", 1, {"T": -0.45}))
    (n,) = rate_fits(fake_verdict("mfppo.lemma_e4", 1, {"N": -0.35}))
    assert (t.parameter, t.high, t.threshold, t.passed) == ("T", -0.45, pytest.approx(-0.4), True)
    assert (n.parameter, n.high, n.passed) == ("N", -0.35, False)
    assert rate_fits(Verdict(claim_id="x.y", status="pass", summary="no fits")) == ()


def test_rate_fits_reads_non_finite_upper_ends_written_as_strings() -> None:
    verdict = fake_verdict("mfppo.lemma4_1", 1, {"T": float("nan")})
    stored = Verdict.from_dict(json.loads(json.dumps(verdict.to_dict())))
    assert stored.evidence["fits"][0]["ci"][1] == "nan"
    assert math.isnan(rate_fits(stored)[0].high)


def test_summarise_counts_and_tails() -> None:
    highs = [-0.5, -0.45, -0.55, -0.3]
    verdicts = [fake_verdict("mfppo.lemma4_1", s, {"T": h}) for s, h in enumerate(highs)]
    verdicts.append(Verdict(claim_id="mfppo.lemma4_1", status="not_applicable", summary="n/a",
                            master_seed=9))
    summary = summarise("mfppo.lemma4_1", "quick", verdicts)
    assert summary.statuses == ("pass", "pass", "pass", "fail", "not_applicable")
    assert (summary.n_fail, summary.n_judged, summary.n_seeds) == (1, 4, 5)
    assert summary.false_failure_rate == 0.25
    assert summary.failed_seeds == (3,)
    assert summary.clopper_pearson_upper == pytest.approx(clopper_pearson_upper(1, 4))
    (rate,) = summary.rates
    assert rate.highs == tuple(highs) and rate.threshold == pytest.approx(-0.4)
    assert rate.mean == pytest.approx(np.mean(highs))
    assert rate.sd == pytest.approx(np.std(highs, ddof=1))
    assert rate.tail_estimate == pytest.approx(gaussian_tail(highs, -0.4))
    assert rate.normality_p == pytest.approx(stats.shapiro(highs).pvalue)
    assert not summary.acceptable


def test_summary_round_trips_through_json() -> None:
    verdicts = [fake_verdict("mfppo.lemma4_1", 7, {"T": -0.5, "m": float("nan")})]
    summary = summarise("mfppo.lemma4_1", "quick", verdicts)
    data = json.loads(json.dumps(summary.to_dict(), allow_nan=False))
    back = CalibrationSummary.from_dict(data)
    assert back.seeds == (7,) and back.statuses == summary.statuses
    assert math.isnan(back.rates[0].tail_estimate)  # one seed: no sd
    assert math.isnan(back.rates[1].highs[0])
    assert back.to_dict() == data


# --- running, storage, resume ---------------------------------------------------------------


def test_calibrate_stores_each_seed_and_the_summary(tmp_path: Path, monkeypatch) -> None:
    checker = CountingChecker(failing=(3,))
    monkeypatch.setattr(calibration, "run_claim", checker)
    seen = []
    summary = calibrate("mfppo.lemma4_1", seeds=[1, 2, 3, 4], out=tmp_path,
                        progress=lambda seed, v, reused: seen.append((seed, v.status, reused)))
    assert seen == [(1, "pass", False), (2, "pass", False), (3, "fail", False), (4, "pass", False)]
    assert (summary.n_fail, summary.false_failure_rate) == (1, 0.25)
    assert [r.parameter for r in summary.rates] == ["T", "N"]
    stored = json.loads(seed_path(tmp_path, "mfppo.lemma4_1", 3).read_text())
    assert Verdict.from_dict(stored).status == "fail"
    on_disk = CalibrationSummary.from_dict(
        json.loads((tmp_path / "mfppo.lemma4_1" / "summary.json").read_text()))
    assert on_disk == summary


def test_resume_does_not_rerun_stored_seeds(tmp_path: Path, monkeypatch) -> None:
    checker = CountingChecker()
    monkeypatch.setattr(calibration, "run_claim", checker)
    calibrate("mfppo.lemma4_1", seeds=[10, 11, 12], out=tmp_path)
    assert checker.calls == [10, 11, 12]
    reused = []
    summary = calibrate("mfppo.lemma4_1", seeds=[10, 11, 12, 13], out=tmp_path,
                        progress=lambda seed, v, r: reused.append(r))
    assert checker.calls == [10, 11, 12, 13]
    assert reused == [True, True, True, False] and summary.n_seeds == 4
    calibrate("mfppo.lemma4_1", seeds=[10, 11], out=tmp_path, resume=False)
    assert checker.calls[4:] == [10, 11]


def test_resume_recomputes_an_unreadable_seed_file(tmp_path: Path, monkeypatch) -> None:
    checker = CountingChecker()
    monkeypatch.setattr(calibration, "run_claim", checker)
    path = seed_path(tmp_path, "mfppo.lemma4_1", 5)
    path.parent.mkdir(parents=True)
    path.write_text("{truncated")
    calibrate("mfppo.lemma4_1", seeds=[5], out=tmp_path)
    assert checker.calls == [5]
    assert json.loads(path.read_text())["master_seed"] == 5


def test_resume_refuses_a_verdict_of_another_profile(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(calibration, "run_claim", CountingChecker())
    path = seed_path(tmp_path, "mfppo.lemma4_1", 5)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(fake_verdict("mfppo.lemma4_1", 5, {"T": -0.5}, profile="full").to_dict()))
    with pytest.raises(ValueError, match="profile 'full'"):
        calibrate("mfppo.lemma4_1", seeds=[5], out=tmp_path)


def test_calibrate_without_out_stores_nothing(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(calibration, "run_claim", CountingChecker())
    monkeypatch.chdir(tmp_path)
    assert calibrate("mfppo.lemma4_1", seeds=[0], out=None).n_seeds == 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("claim_id", "seeds", "message"),
    [
        ("mfppo.lemma9_9", [1], "unknown claim id 'mfppo.lemma9_9'"),
        ("mfppo.mpe_push", [1], "'mfppo.mpe_push' is pending"),
        ("mfppo.lemma4_1", [], "seeds is empty"),
        ("mfppo.lemma4_1", [1, 2, 1], r"seeds repeat \[1\]"),
        ("mfppo.lemma4_1", [0, -3], r"seeds\[1\] = -3"),
        ("mfppo.lemma4_1", [1.5], r"seeds\[0\] = 1.5"),
        ("mfppo.lemma4_1", [True], r"seeds\[0\] = True"),
    ],
)
def test_bad_input_raises_before_running(claim_id: str, seeds: list, message: str,
                                         monkeypatch) -> None:
    checker = CountingChecker()
    monkeypatch.setattr(calibration, "run_claim", checker)
    with pytest.raises(ValueError, match=message):
        calibrate(claim_id, seeds=seeds, out=None)
    assert checker.calls == []


def test_bad_profile_raises(monkeypatch) -> None:
    monkeypatch.setattr(calibration, "run_claim", CountingChecker())
    with pytest.raises(ValueError, match="huge"):
        calibrate("mfppo.lemma4_1", profile_name="huge", seeds=[1], out=None)


# --- sub-verdicts -------------------------------------------------------------------------------


def composite_verdict(seed: int) -> Verdict:
    """A Lemma E.1-shaped verdict: independent fits pass, an adversarial one fails."""
    entries = [fit_entry("m", -0.5, label="independent β"), fit_entry("R", 3.05, label="independent β",
                                                                       stated=3.0),
               fit_entry("m", -0.3, label="adversarial β")]
    return Verdict(claim_id="mfppo.lemma_e1", status="fail", summary="fails",
                   reasons=("adversarial β: m-exponent ... exceeds", "an extra reason"),
                   evidence={"fits": entries}, master_seed=seed)


def test_sub_verdict_selects_the_independent_fits() -> None:
    selected = SUB_VERDICTS["mfppo.lemma_e1"].select(composite_verdict(1))
    assert selected.status == "pass" and selected.reasons == ()
    assert [(f.parameter, f.label) for f in rate_fits(selected)] == [("m", "independent β"),
                                                                     ("R", "independent β")]
    assert selected.evidence["sub_verdict"] == "independent"
    # idempotent: a verdict computed for the part only is unchanged by selecting again
    assert SUB_VERDICTS["mfppo.lemma_e1"].select(selected) == selected


def test_sub_verdict_that_selects_nothing_raises() -> None:
    verdict = fake_verdict("mfppo.lemma_e1", 1, {"m": -0.5}, key="fits")
    with pytest.raises(ValueError, match="selects no fit"):
        SUB_VERDICTS["mfppo.lemma_e1"].select(verdict)


@pytest.mark.parametrize("claim", ["lemma_e1", "lemma_e2"])
def test_sub_verdict_run_calls_the_checker_for_the_independent_part(claim: str, monkeypatch) -> None:
    import importlib

    module = importlib.import_module(f"mfcheck.checks.mfppo.{claim}")
    calls = []

    def fake(profile: Profile, **kwargs: object) -> Verdict:
        calls.append((profile.master_seed, kwargs))
        return composite_verdict(profile.master_seed)

    monkeypatch.setattr(module, "judge", fake)
    summary = calibrate(f"mfppo.{claim}", seeds=[4], out=None)
    assert calls == [(4, {"kinds": ("independent",)})]
    assert summary.sub_verdict == "independent" and summary.statuses == ("pass",)


@pytest.mark.parametrize("claim", ["lemma_e1", "lemma_e2"])
def test_independent_only_run_gives_the_full_runs_independent_fits(claim: str, monkeypatch) -> None:
    """What ``SubVerdict.run`` relies on: skipping the adversarial sweeps changes no
    independent fit (cells and bootstrap streams are keyed by settings and labels, not order)."""
    import dataclasses
    import importlib

    module = importlib.import_module(f"mfcheck.checks.mfppo.{claim}")
    small = dataclasses.replace(module.SIZES["quick"], widths=(256, 512, 1024), radii=(0.5, 1.0, 2.0),
                                radius_width=512, seeds=2, seeds_tight=3)
    monkeypatch.setitem(module.SIZES, "quick", small)
    profile = Profile(name="quick", master_seed=3)
    full = module.judge(profile)
    part = module.judge(profile, kinds=("independent",))
    selected = SUB_VERDICTS[f"mfppo.{claim}"]
    assert selected.select(full).evidence["fits"] == selected.select(part).evidence["fits"]
    assert len(full.evidence["fits"]) == 4 and len(part.evidence["fits"]) == 2


# --- the calibration itself (slow) ----------------------------------------------------------

#: Claims and the number of master seeds, from 1000. Seconds per seed (quick profile, one core
#: of the 2-core development machine): lemma4_1 ~17, lemma4_2 ~16, lemma_e4 ~5, lemma_e1
#: (independent part) ~6, lemma_e2 (independent part) ~4, so 100 seeds of all five take about
#: 80 CPU-minutes; 100 seeds is nonetheless the count for every claim, none is reduced.
CALIBRATED = ("mfppo.lemma4_1", "mfppo.lemma4_2", "mfppo.lemma_e4", "mfppo.lemma_e1",
              "mfppo.lemma_e2")
N_SEEDS = 100
FIRST_SEED = 1000


@pytest.mark.slow
@pytest.mark.parametrize("claim_id", CALIBRATED)
def test_false_failure_rate_at_most_one_percent(claim_id: str, tmp_path: Path) -> None:
    """The quick profile over 100 master seeds (1000..1099): at most 1 % false failures, and for
    every fitted exponent a Gaussian estimate of P(upper end > stated + margin) at most 1 %.

    lemma_e1 and lemma_e2 fail as a whole by design (adversarial β, a finding); their declared
    sub-verdict, the independent-β sweeps, is what is calibrated (``SUB_VERDICTS``).
    The slowest cases (lemma4_1, lemma4_2) take about half an hour each. Set
    ``MFCHECK_CALIBRATION_DIR`` (e.g. to ``reports/calibration``, written by ``mfcheck calibrate``
    with the same seeds) to reuse stored verdicts instead of recomputing them; the default is a
    fresh temporary folder, so the checks are rerun.
    """
    out = Path(os.environ.get("MFCHECK_CALIBRATION_DIR", tmp_path))
    summary = calibrate(claim_id, seeds=range(FIRST_SEED, FIRST_SEED + N_SEEDS), out=out)
    assert summary.n_judged == N_SEEDS, summary.statuses  # no seed is set aside
    assert summary.false_failure_rate <= MAX_FALSE_FAILURE_RATE, summary.failed_seeds
    for rate in summary.rates:
        assert rate.tail_estimate <= MAX_FALSE_FAILURE_RATE, (rate.parameter, rate.label,
                                                                rate.mean, rate.sd)
