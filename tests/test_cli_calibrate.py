"""``mfcheck calibrate``: per-claim false-failure summary and exit status (checker stubbed)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from mfcheck.claims import Profile, Verdict, calibration, load_claims
from mfcheck.cli import main


class StubChecker:
    """Stands in for ``run_claim``: the T-fit's upper end is -0.3 (fail) at ``failing`` seeds,
    -0.5 (pass, threshold -0.4) elsewhere."""

    def __init__(self, failing: tuple[int, ...] = ()) -> None:
        self.failing = failing
        self.calls: list[int] = []

    def __call__(self, claim_id: str, profile: Profile) -> Verdict:
        self.calls.append(profile.master_seed)
        high = -0.3 if profile.master_seed in self.failing else -0.5
        fit = {"label": "stub", "parameter": "T", "stated_exponent": -0.5, "margin": 0.1,
               "passed": high <= -0.4, "ci": [high - 0.1, high]}
        return Verdict(claim_id=claim_id, status="pass" if fit["passed"] else "fail",
                       summary="stub", evidence={"fits": [fit]}, profile=profile.name,
                       master_seed=profile.master_seed, seconds=0.25)


def invoke(args: list[str]):
    return CliRunner().invoke(main, ["calibrate", *args])


def test_calibrate_prints_the_summary_and_passes(tmp_path: Path, monkeypatch) -> None:
    stub = StubChecker()
    monkeypatch.setattr(calibration, "run_claim", stub)
    result = invoke(["mfppo.lemma4_1", "--seeds", "5", "--first-seed", "20", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert stub.calls == [20, 21, 22, 23, 24]
    assert "seeds 5, judged 5, failures 0" in result.output
    assert "observed false-failure rate 0.00%" in result.output
    assert "Clopper-Pearson bound 45.07%" in result.output  # 1 - 0.05^(1/5)
    assert "T (stub)" in result.output and "P(upper end > threshold) = 0" in result.output
    assert "Shapiro-Wilk p = nan" in result.output  # no spread: no normality test
    summary = json.loads((tmp_path / "mfppo.lemma4_1" / "summary.json").read_text())
    assert summary["seeds"] == [20, 21, 22, 23, 24] and summary["n_fail"] == 0


def test_calibrate_exits_1_above_one_percent(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(calibration, "run_claim", StubChecker(failing=(2,)))
    result = invoke(["mfppo.lemma4_1", "--seeds", "4", "--first-seed", "0", "--out", str(tmp_path)])
    assert result.exit_code == 1, result.output
    assert "failures 1 (seeds [2])" in result.output
    assert "observed false-failure rate 25.00%" in result.output


def test_calibrate_several_claims_and_resume(tmp_path: Path, monkeypatch) -> None:
    stub = StubChecker()
    monkeypatch.setattr(calibration, "run_claim", stub)
    args = ["mfppo.lemma4_1", "mfppo.lemma4_2", "--seeds", "2", "--out", str(tmp_path)]
    assert invoke(args).exit_code == 0
    assert stub.calls == [1000, 1001, 1000, 1001]
    assert invoke(args).exit_code == 0
    assert len(stub.calls) == 4  # everything was stored
    result = invoke([*args, "--no-resume"])
    assert result.exit_code == 0 and len(stub.calls) == 8
    assert "mfppo.lemma4_1 (quick" in result.output and "mfppo.lemma4_2 (quick" in result.output


def test_calibrate_unknown_claim_is_a_usage_error(monkeypatch) -> None:
    stub = StubChecker()
    monkeypatch.setattr(calibration, "run_claim", stub)
    result = invoke(["mfppo.lemma4_1", "mfppo.lemma4_11", "--seeds", "2"])
    assert result.exit_code == 2 and "unknown claim" in result.output
    assert stub.calls == []


def test_calibrate_rejects_zero_seeds_and_negative_first_seed() -> None:
    assert invoke(["mfppo.lemma4_1", "--seeds", "0"]).exit_code == 2
    assert invoke(["mfppo.lemma4_1", "--first-seed", "-1"]).exit_code == 2
    assert invoke([]).exit_code == 2


def test_calibrate_all_skips_claims_that_fail_at_default(tmp_path: Path, monkeypatch) -> None:
    import mfcheck.cli as cli

    rate_claims = [c.id for c in load_claims() if c.implemented and c.rates]
    failing = rate_claims[0]

    def default_verdict(claim_id: str, profile: Profile, algorithm: object = None) -> Verdict:
        status = "fail" if claim_id == failing else "pass"
        return Verdict(claim_id=claim_id, status=status, summary=f"stub {status}")

    monkeypatch.setattr(cli, "run_claim", default_verdict)
    monkeypatch.setattr(calibration, "run_claim", StubChecker())
    monkeypatch.setattr(calibration, "SUB_VERDICTS", {})
    result = invoke(["--all", "--seeds", "3", "--out", str(tmp_path), "--executor", "sequential"])
    assert result.exit_code == 0, result.output
    index = json.loads((tmp_path / "index.json").read_text())
    assert list(index["not_calibrated"]) == [failing]
    assert index["not_calibrated"][failing].startswith("not calibrated: fail at default")
    assert sorted(index["calibrated"]) == sorted(set(rate_claims) - {failing})
    assert all((tmp_path / c / "summary.json").exists() for c in index["calibrated"])


def test_calibrate_needs_claims_or_all() -> None:
    assert invoke([]).exit_code == 2
    assert invoke(["--all", "mfppo.lemma4_1"]).exit_code == 2
