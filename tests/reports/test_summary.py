"""summary.json: a versioned schema with every field the issue names, per claim and for the run."""

from __future__ import annotations

import json
import stat

from mfcheck.reports.summary import SCHEMA_VERSION

CLAIM_KEYS = {"id", "paper", "source", "kind", "title", "statement", "status", "summary", "sentences", "stated",
              "measured", "margins", "hypotheses", "violated_hypotheses", "reasons", "error", "grids", "seconds",
              "fingerprint", "algorithm", "overridden", "profile", "master_seed", "reading", "plot", "section",
              "verdict"}


def entries(written) -> dict[str, dict]:
    out, _ = written
    summary = json.loads((out / "summary.json").read_text())
    return {c["id"].removeprefix("mfppo.test_report_"): c for c in summary["claims"]}


def test_run_section_and_version(written) -> None:
    out, _ = written
    summary = json.loads((out / "summary.json").read_text())
    assert summary["schema"] == "mfcheck-report"
    assert summary["schema_version"] == SCHEMA_VERSION == 2
    run = summary["run"]
    assert run["profile"] == "quick" and run["master_seed"] == 7 and run["algorithm"] == "synthetic"
    assert summary["master_seed"] == 7 and summary["profile"] == "quick"
    assert run["packages"]["numpy"] and run["packages"]["scipy"] and run["packages"]["mfcheck"]
    assert set(run["packages"]) >= {"numpy", "scipy", "torch", "mfcheck", "matplotlib"}
    assert len(run["git"]["revision"] or "0" * 40) == 40  # the repository's HEAD (None outside git)
    assert run["machine"]["cpu_count"] >= 1 and run["machine"]["python"]
    assert summary["counts"] == {"pass": 2, "fail": 2, "not_applicable": 1, "error": 1, "pending": 1}
    # written readable (atomic writes must not leave mkstemp's 0600)
    assert (out / "summary.json").stat().st_mode & stat.S_IROTH


def test_every_claim_has_the_schema_fields(written) -> None:
    claims = entries(written)
    assert len(claims) == 7
    for entry in claims.values():
        assert set(entry) >= CLAIM_KEYS, CLAIM_KEYS - set(entry)
        assert entry["section"] == "#claim-" + entry["id"].replace(".", "-")
        assert entry["verdict"]["status"] == entry["status"]
        assert entry["fingerprint"] == f"fp-{entry['id']}"
        assert entry["seconds"] == 1.5
        assert 2 <= len(entry["sentences"]) <= 3


def test_rate_claim_figures_margins_and_grids(written) -> None:
    rate = entries(written)["rate_pass"]
    assert rate["status"] == "pass" and rate["kind"] == "rate"
    exponent = next(f for f in rate["measured"] if f["name"] == "m-exponent (independent β)")
    assert exponent["low"] < exponent["value"] < exponent["high"] < -0.4
    assert rate["margins"]["rates"][0] == {"parameter": "m", "stated_exponent": -0.5, "margin": 0.1, "bound": -0.4,
                                           "confidence": 0.95, "asymptotic_from": 1}
    fits = rate["grids"]["fits"]
    assert [f["parameter"] for f in fits] == ["m", "R"]
    assert fits[0]["grid"] == [16.0, 32.0, 64.0, 128.0, 256.0, 512.0] and fits[0]["fitted"][0] == 32.0
    assert fits[0]["seeds"] == 6
    assert "m from 16 to 512 (6 points, fitted from 32, 6 seeds)" in rate["sentences"][1]
    assert "upper end" not in rate["sentences"][2] and "margin" in rate["sentences"][2]


def test_statuses_carry_their_explanations(written) -> None:
    claims = entries(written)
    assert claims["screened"]["violated_hypotheses"] == ["Assumption 1 (Q linear in d): violated (measured 0.31)"]
    assert claims["screened"]["sentences"][-1].startswith("Not judged: Assumption 1")
    assert claims["broken"]["error"].startswith("ValueError: boom")
    assert "the checker raised ValueError: boom" in claims["broken"]["sentences"][-1]
    assert claims["pending"]["sentences"] == [
        "Instances: as the checker's quick profile defines them (see the reading).",
        "No verdict: the claim has no checker yet."]
    assert claims["rate_fail"]["sentences"][-1].startswith("The fail rests on: adversarial β: m-exponent")
    assert claims["exact"]["margins"]["thresholds"] == {"rtol": 1e-9}
    assert "within the declared thresholds (rtol = 1e-09)" in claims["exact"]["sentences"][-1]
