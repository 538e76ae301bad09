"""The comparison's text table and HTML page from synthetic runs (no checker runs): both runs' fitted
rates on the same axes, the regressed row marked, JSON-ready output."""

from __future__ import annotations

import base64
import io
import json
import re

import numpy as np

from mfcheck.compare.baseline import ClaimRun
from mfcheck.compare.bootstrap import Interval
from mfcheck.compare.engine import ClaimComparison, Comparison
from mfcheck.compare.page import _rate_pair, claim_png, render_page
from mfcheck.compare.render import comparison_text
from mfcheck.judgement import RateJudgement, RateSpec, Verdict, rate_verdict
from mfcheck.stats import fit_rate

SPEC = RateSpec(parameter="T", stated_exponent=-0.5, margin=0.1, n_resamples=200)


def fitted(exponent: float, seed: int) -> Verdict:
    rng = np.random.default_rng(seed)
    grid = np.array([2.0**k for k in range(4, 9)])
    errors = grid[:, None] ** exponent * np.exp(0.05 * rng.standard_normal((len(grid), 6)))
    fit = fit_rate(grid, errors, rng=rng, confidence=0.95, n_resamples=200)
    judgement = RateJudgement(label="toy", spec=SPEC, fit=fit, grid=tuple(grid), errors=tuple(map(tuple, errors)))
    return rate_verdict("mfgnac.toy", [judgement], quantity="error", reading="")


def run(verdict: Verdict, algorithm: str) -> ClaimRun:
    return ClaimRun(claim_id="mfgnac.toy", code_fingerprint="f" * 20, profile="quick", master_seed=1,
                    algorithm=algorithm, verdict=verdict)


def comparison() -> Comparison:
    base, worse = fitted(-0.5, 0), fitted(-0.2, 1)
    b, v = base.evidence["fits"][0]["exponent"], worse.evidence["fits"][0]["exponent"]
    row = ClaimComparison(claim_id="mfgnac.toy", title="a toy rate", figure="T-exponent", direction="lower",
                          margin=0.1, baseline=run(base, "NAC()"), variant=run(worse, "NAC(x=1)"),
                          baseline_value=b, variant_value=v,
                          interval=Interval(difference=v - b, low=v - b - 0.05, high=v - b + 0.05, n_seeds=6,
                                            n_resamples=100),
                          judgement="worse")
    return Comparison(variant="toy:VARIANT", algorithm="NAC(x=1)", baseline_source="base.json",
                      baseline_algorithm="the papers' algorithms (defaults)", profile="quick", master_seed=1,
                      resamples=100, claims=(row,))


def test_both_fits_share_one_pair_of_log_axes() -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    c = comparison().claims[0]
    figure = Figure()
    FigureCanvasAgg(figure)
    ax = figure.add_subplot()
    _rate_pair(ax, {"baseline": c.baseline.verdict.evidence["fits"][0],
                    "variant": c.variant.verdict.evidence["fits"][0]}, np.random.default_rng(0))
    labels = [line.get_label() for line in ax.get_lines()]
    assert any(label.startswith("baseline: slope -0.5") for label in labels)
    assert any(label.startswith("variant: slope -0.2") for label in labels)
    assert ax.get_xscale() == ax.get_yscale() == "log"
    assert sum(1 for line in ax.get_lines() if line.get_alpha()) == 12  # 6 faint seeds per run
    png = claim_png(c)
    assert png is not None and png.startswith(b"\x89PNG")


def test_page_text_and_json_mark_the_regression() -> None:
    comp = comparison()
    assert comp.regressed == ["mfgnac.toy"] and comp.exit_code == 1
    text = comparison_text(comp)
    assert "mfgnac.toy" in text and "worse  REGRESSED" in text and "regressed: mfgnac.toy" in text
    page = render_page(comp)
    assert '<table id="comparison">' in page and 'class="regressed"' in page
    image = re.search(r'src="data:image/png;base64,([^"]+)"', page)
    assert image is not None
    from matplotlib.image import imread

    assert imread(io.BytesIO(base64.b64decode(image.group(1)))).shape[2] in (3, 4)
    data = json.loads(json.dumps(comp.to_dict()))
    row = data["claims"][0]
    assert (row["baseline_status"], row["variant_status"]) == ("pass", "fail")  # -0.2 misses -0.5 + 0.1
    assert row["judgement"] == "worse" and row["regressed"] and row["newly_failing"]
    assert row["n_seeds"] == 6 and row["exact"] is False
