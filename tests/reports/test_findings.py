"""Findings: declared ones shown under their statuses with quoted evidence, automatic ones for
fails no declared finding covers, violated hypotheses and claims without an honest mutant."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mfcheck.judgement import load_claims
from mfcheck.reports.findings import (
    FINDING_KINDS,
    DeclaredFinding,
    generate_findings,
    load_findings,
    quote_evidence,
)


def by_claim(findings) -> dict[str, list]:
    found: dict[str, list] = {}
    for f in findings:
        found.setdefault(f.claim.removeprefix("mfppo.test_report_"), []).append(f)
    return found


def test_declared_and_automatic_findings(rows, declared) -> None:
    found = by_claim(generate_findings(rows, declared))
    # declared, shown under its statuses, evidence quoted by prefix (capped), a missing name said so
    wrong_order, no_mutant = found["exact"]
    assert (wrong_order.kind, wrong_order.origin, wrong_order.anchor) == (
        "wrong_order", "declared", "claim-mfppo-test_report_exact")
    assert wrong_order.evidence[0] == "measured degree in N, |S|=2 = 1"
    assert "... and 6 more 'degree in N' figures" in wrong_order.evidence
    assert wrong_order.evidence[-1] == "missing figure: not measured in this run"
    # every claim whose toml says no honest mutant exists
    assert (no_mutant.kind, no_mutant.origin, no_mutant.text) == (
        "no_honest_mutant", "automatic", "every wrong form is refuted.")
    # a fail covered by a declared finding gets no automatic one
    assert [f.kind for f in found["curves"]] == ["not_reproduced"]
    assert found["curves"][0].evidence == ("measured SIS NAC final E = 0.0078 [0.0066, 0.0092]",)
    # an uncovered fail: the measurement contradicts the claim, with its reasons and intervals
    (contradiction,) = found["rate_fail"]
    assert contradiction.kind == "contradiction" and contradiction.origin == "automatic"
    assert contradiction.evidence[0].startswith("adversarial β: m-exponent")
    assert any(e.startswith("measured m-exponent (adversarial β)") for e in contradiction.evidence)
    # a violated hypothesis
    (hypothesis,) = found["screened"]
    assert hypothesis.kind == "hypothesis_fails"
    assert hypothesis.evidence == ("hypothesis Assumption 1 (Q linear in d): violated (measured 0.31)",)
    # a declared finding whose status is not in `when` is not shown; error and pending give none
    assert "rate_pass" not in found and "broken" not in found and "pending" not in found


def test_declared_hypothesis_finding_covers_the_automatic_one(rows) -> None:
    declared = (DeclaredFinding(claim="mfppo.test_report_screened", kind="hypothesis_fails", title="t", text="x",
                                when=("not_applicable",)),)
    found = by_claim(generate_findings(rows, declared))
    assert [(f.origin, f.kind) for f in found["screened"]] == [("declared", "hypothesis_fails")]


def test_quote_evidence_matches_hypotheses_and_wildcards(rows) -> None:
    verdict = rows[4][1]
    assert quote_evidence(verdict, ["Assumption 1*"]) == (
        "hypothesis Assumption 1 (Q linear in d): violated (measured 0.31)",)
    passed = replace(rows[3][1], measured=rows[3][1].measured[:2])
    assert quote_evidence(passed, ["*|S|=3"]) == ("measured degree in N, |S|=3 = 2",)


def test_repository_findings_file_is_valid_and_names_real_claims() -> None:
    declared = load_findings()
    ids = {c.id: c for c in load_claims()}
    assert {f.claim for f in declared} >= {"mfppo.prop3_1", "mfgnac.lemma6", "mfppo.lemma_e1",
                                           "mfgnac.nac_vs_dlnac", "mfppo.thm4_1_rate"}
    for finding in declared:
        assert finding.claim in ids, finding.claim
        assert finding.kind in FINDING_KINDS and finding.evidence and finding.when and finding.text
    assert {f.kind for f in declared} >= {"wrong_order", "hypothesis_fails", "contradiction", "not_reproduced",
                                          "loose_bound"}


@pytest.mark.parametrize(("text", "message"), [
    ('[[finding]]\nclaim = "a.b"\nkind = "oops"\ntitle = "t"\ntext = "x"\n', "kind 'oops'"),
    ('[[finding]]\nclaim = "a.b"\nkind = "loose_bound"\ntitle = "t"\n', "missing key 'text'"),
    ('[[finding]]\nclaim = "a.b"\nkind = "loose_bound"\ntitle = "t"\ntext = "x"\nwhen = ["maybe"]\n', "when"),
    ('[[finding]]\nclaim = "a.b"\nkind = "loose_bound"\ntitle = "t"\ntext = "x"\nevidense = []\n', "unknown keys"),
])
def test_malformed_findings_are_rejected_with_the_entry_named(tmp_path, text, message) -> None:
    path = tmp_path / "findings.toml"
    path.write_text(text)
    with pytest.raises(ValueError, match=message) as error:
        load_findings(path)
    assert "[[finding]] 0 (a.b)" in str(error.value)
