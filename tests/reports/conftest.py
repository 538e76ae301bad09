"""Synthetic claims and verdicts for the report tests (no checker runs: a report is a function of
verdicts, claims and declared findings)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from mfcheck.judgement import (
    Claim,
    Figure,
    Hypothesis,
    Profile,
    RateJudgement,
    RateSpec,
    Verdict,
    rate_verdict,
)
from mfcheck.reports.build import write_report
from mfcheck.reports.findings import DeclaredFinding
from mfcheck.reports.runinfo import run_info
from mfcheck.stats import fit_rate

PROFILE = Profile(name="quick", master_seed=7)
M_SPEC = RateSpec(parameter="m", stated_exponent=-0.5, margin=0.1, confidence=0.95, n_resamples=300,
                  asymptotic_from=1)
R_SPEC = RateSpec(parameter="R", stated_exponent=3.0, margin=0.1, confidence=0.95, n_resamples=300)


def claim(name: str, kind: str, **extra: object) -> Claim:
    """A claim of the synthetic paper ``mfppo`` (no toml, no checker: ``test_report_*`` names)."""
    return Claim(id=f"mfppo.test_report_{name}", paper="mfppo", source=f"Lemma {name}", kind=kind,
                 status="implemented", title=f"the {name} claim holds", statement=f"Statement of {name}.",
                 **extra)


def judgement(spec: RateSpec, exponent: float, label: str, seed: int) -> RateJudgement:
    """A real rate judgement of errors = grid**exponent times lognormal noise, 6 seeds."""
    rng = np.random.default_rng(seed)
    grid = np.array([2.0**k for k in range(4, 10)])
    errors = grid[:, None] ** exponent * np.exp(0.05 * rng.standard_normal((len(grid), 6)))
    fit = fit_rate(grid, errors, rng=rng, asymptotic_from=spec.asymptotic_from, confidence=spec.confidence,
                   n_resamples=spec.n_resamples)
    return RateJudgement(label=label, spec=spec, fit=fit, grid=tuple(grid), errors=tuple(map(tuple, errors)))


def stamp(verdict: Verdict, seconds: float = 1.5) -> Verdict:
    from dataclasses import replace

    return replace(verdict, profile=PROFILE.name, master_seed=PROFILE.master_seed, seconds=seconds,
                   fingerprint=f"fp-{verdict.claim_id}")


def synthetic_rows() -> list[tuple[Claim, Verdict]]:
    """One claim of every kind and status: rate pass (2 fits), rate fail, empirical with curves,
    exact pass with a long figure list, not applicable, error, pending, no honest mutant."""
    rate_pass = claim("rate_pass", "rate", rates=(M_SPEC, R_SPEC))
    rate_fail = claim("rate_fail", "rate", rates=(M_SPEC,))
    curves = claim("curves", "empirical", thresholds={"factor": 2.0})
    exact = claim("exact", "exact", thresholds={"rtol": 1e-9}, no_honest_mutant="every wrong form is refuted.")
    screened = claim("screened", "rate", rates=(M_SPEC,))
    broken = claim("broken", "exact")
    pending = Claim(id="mfppo.test_report_pending", paper="mfppo", source="Thm 9", kind="empirical",
                    status="pending", title="pending claim", statement="Not yet.")
    rng = np.random.default_rng(3)
    x = list(range(0, 100, 10))
    y_nac = (np.exp(-np.array(x) / 30)[None, :] * (1 + 0.1 * rng.random((4, len(x))))).tolist()
    y_dl = (np.exp(-np.array(x) / 50)[None, :] * (1 + 0.1 * rng.random((4, len(x))))).tolist()
    y_dl[0][3] = "nan"  # as JSON storage writes a non-finite value
    panel = {"title": "exploitability", "xlabel": "iteration", "ylabel": "E", "logy": True,
             "series": [{"label": "NAC", "x": x, "y_per_seed": y_nac},
                        {"label": "DL-NAC", "x": x, "y_per_seed": y_dl},
                        {"label": "floor", "x": x, "y": [1e-2] * len(x), "reference": True}]}
    verdicts = [
        rate_verdict(rate_pass.id, [judgement(M_SPEC, -0.7, "independent β", 1), judgement(R_SPEC, 2.9, "independent β", 2)],
                     quantity="the gap", reading="synthetic"),
        rate_verdict(rate_fail.id, [judgement(M_SPEC, -0.2, "adversarial β", 3)], quantity="the gap", reading=""),
        Verdict(claim_id=curves.id, status="fail", summary="NAC ends above DL-NAC",
                measured=(Figure(name="SIS NAC final E", value=0.0078, low=0.0066, high=0.0092),
                          Figure(name="SIS DL-NAC final E", value=0.004, low=0.0034, high=0.0047)),
                stated=(Figure(name="NAC final E < DL-NAC final E", value=True),),
                reasons=("SIS: final E NAC not below DL-NAC",), evidence={"curves": [panel]}),
        Verdict(claim_id=exact.id, status="pass", summary="count formula exact on every pair",
                stated=(Figure(name="count", value="C(N+S-1, N)"),),
                measured=tuple(Figure(name=f"degree in N, |S|={s}", value=s - 1) for s in range(2, 14))),
        Verdict(claim_id=screened.id, status="not_applicable", summary="Assumption 1 fails on the instance",
                hypotheses=(Hypothesis(name="Assumption 1 (Q linear in d)", holds=False, measured=0.31),),
                reasons=("Assumption 1 fails",)),
        Verdict(claim_id=broken.id, status="error", summary="the checker raised ValueError: boom",
                error="ValueError: boom at mfcheck/checks/x.py:1 in check"),
        Verdict(claim_id=pending.id, status="pending", summary="no checker yet"),
    ]
    claims = [rate_pass, rate_fail, curves, exact, screened, broken, pending]
    return [(c, stamp(v)) for c, v in zip(claims, verdicts)]


DECLARED = (
    DeclaredFinding(claim="mfppo.test_report_exact", kind="wrong_order", title="degree is |S| - 1",
                    text="The count grows as N^(|S|-1).", evidence=("degree in N", "missing figure"),
                    when=("pass", "fail")),
    DeclaredFinding(claim="mfppo.test_report_curves", kind="not_reproduced", title="NAC is not lower",
                    text="NAC does not end below DL-NAC.", evidence=("SIS NAC final E",), when=("fail",)),
    DeclaredFinding(claim="mfppo.test_report_rate_pass", kind="contradiction", title="shown only on a fail",
                    text="never shown here", when=("fail",)),
)


@pytest.fixture(scope="session")
def rows() -> list[tuple[Claim, Verdict]]:
    return synthetic_rows()


@pytest.fixture(scope="session")
def declared() -> tuple[DeclaredFinding, ...]:
    return DECLARED


@pytest.fixture(scope="session")
def written(tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[Claim, Verdict]]) -> tuple[Path, dict]:
    """A report folder written once from the synthetic rows, and its summary."""
    out = tmp_path_factory.mktemp("report") / "nested" / "out"
    run = run_info(profile=PROFILE.name, master_seed=PROFILE.master_seed, algorithm="synthetic", variant=None)
    return out, write_report(out, rows, run, profile=PROFILE, declared=DECLARED)


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., dict]:
    def run(rows: list[tuple[Claim, Verdict]], declared: tuple[DeclaredFinding, ...] = DECLARED) -> dict:
        info = run_info(profile=PROFILE.name, master_seed=PROFILE.master_seed, algorithm="synthetic", variant=None)
        return write_report(tmp_path, rows, info, profile=PROFILE, declared=declared)

    return run
