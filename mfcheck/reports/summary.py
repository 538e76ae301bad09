"""The data of a report: one entry per claim (``summary.json``'s schema), the short figure lists of
its table and the plain sentences of its sections.

``summary.json`` (``schema_version`` :data:`SCHEMA_VERSION`)::

    {"schema": "mfcheck-report", "schema_version": 2,
     "run": {created, profile, master_seed, algorithm, variant, only, seconds,
             git: {revision, dirty}, packages: {name: version}, machine: {platform, python, cpu_count, ...}},
     "profile", "master_seed", "variant", "algorithm",   # copies of run's, where schema 1 had them
     "counts": {"pass": n, "fail": n, "not_applicable": n, "error": n, "pending": n},
     "claims": [{id, paper, source, kind, title, statement, status, summary, sentences,
                 stated: [Figure], measured: [Figure],   # Figure = {name, value, low, high, unit, note}
                 margins: {rates: [{parameter, stated_exponent, margin, bound, confidence, asymptotic_from}],
                           thresholds: {name: value}},
                 hypotheses: [{name, holds, measured, certified, note}], violated_hypotheses: [text],
                 reasons: [text], error, grids: {cells, seeds, axes, fits}, seconds, fingerprint,
                 algorithm, overridden, profile, master_seed, plot, section, verdict: {...}}],
     "findings": [{claim, kind, kind_text, title, text, evidence, origin, status, section}]}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from mfcheck.judgement import Claim, Profile, Verdict
from mfcheck.reports.findings import anchor

SCHEMA = "mfcheck-report"
SCHEMA_VERSION = 2


def _short(values: Sequence[Any], limit: int = 12) -> list[Any]:
    values = list(values)
    return values if len(values) <= limit else [*values[:limit], f"... ({len(values)} values)"]


def grids(claim: Claim, verdict: Verdict, profile: Profile) -> dict[str, Any]:
    """Grids and seeds behind a verdict: the checker's cells (when it exposes ``cells(profile)``)
    and each fit's grid, fitted range and seed count."""
    found: dict[str, Any] = {"cells": None, "seeds": None, "axes": {}, "fits": []}
    if claim.implemented:
        try:
            from mfcheck.claims.registry import checker_module

            cells = checker_module(claim).cells(profile)
            axes: dict[str, list[Any]] = {}
            for cell in cells:
                for name, value in cell.items:
                    if value not in axes.setdefault(name, []):
                        axes[name].append(value)
            found.update(cells=len(cells), seeds=len({c.seed_index for c in cells}),
                         axes={k: _short(v) for k, v in axes.items()})
        except Exception as error:  # optional description: a checker without cells(profile) is fine
            found["note"] = f"cells not listed ({type(error).__name__})"
    fits = verdict.evidence.get("fits")
    for fit in fits if isinstance(fits, list) else ():
        if isinstance(fit, Mapping):
            found["fits"].append({"label": fit.get("label"), "parameter": fit.get("parameter"),
                                  "grid": fit.get("full_grid") or fit.get("grid"), "fitted": fit.get("grid"),
                                  "seeds": fit.get("n_seeds")})
    return found


def margins(claim: Claim) -> dict[str, Any]:
    return {"rates": [{"parameter": r.parameter, "stated_exponent": r.stated_exponent, "margin": r.margin,
                       "bound": r.bound, "confidence": r.confidence, "asymptotic_from": r.asymptotic_from}
                      for r in claim.rates],
            "thresholds": dict(claim.thresholds)}


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if not text or text.endswith((".", "!", "?")) else text + "."


def _instances(claim: Claim, verdict: Verdict, grid: Mapping[str, Any]) -> str:
    fits = grid.get("fits") or []
    if fits:
        parts = []
        for fit in fits:
            values = [g for g in fit.get("grid") or [] if not isinstance(g, str)]
            fitted = fit.get("fitted") or []
            span = f"{values[0]:g} to {values[-1]:g} ({len(values)} points" if values else "? ("
            start = f", fitted from {fitted[0]:g}" if fitted and values and fitted[0] != values[0] else ""
            seeds = f", {fit['seeds']} seeds" if fit.get("seeds") else ""
            parts.append(f"{fit.get('label')}: {fit.get('parameter')} from {span}{start}{seeds})")
        text = "Instances: " + "; ".join(parts[:4]) + (f"; and {len(parts) - 4} more fits" if len(parts) > 4 else "")
    elif grid.get("cells"):
        axes = "; ".join(f"{k} in {{{', '.join(map(str, v))}}}" for k, v in grid["axes"].items() if k != "purpose")
        seeds = "1 seed index" if grid["seeds"] == 1 else f"{grid['seeds']} seed indices"
        text = f"Instances: {grid['cells']} cells ({seeds})" + (f" over {axes}" if axes else "")
    else:
        text = f"Instances: as the checker's {verdict.profile} profile defines them (see the reading)"
    if verdict.overridden:
        text += f"; the grid overrode {', '.join(verdict.overridden)}"
    return _sentence(text)


def _rests_on(claim: Claim, verdict: Verdict) -> str:
    status = verdict.status
    if status == "pending":
        return "No verdict: the claim has no checker yet."
    if status == "error":
        return _sentence(f"No verdict: the checker raised {verdict.error or verdict.summary}")
    if status == "not_applicable":
        violated = [h.render() for h in verdict.hypotheses if not h.holds]
        return _sentence("Not judged: " + (violated[0] if violated else (verdict.reasons or (verdict.summary,))[0]))
    if status == "fail":
        more = f" (and {len(verdict.reasons) - 1} more reasons)" if len(verdict.reasons) > 1 else ""
        return _sentence(f"The fail rests on: {(verdict.reasons or (verdict.summary,))[0]}{more}")
    if claim.rates and verdict.evidence.get("fits"):
        bounds = ", ".join(f"{r.parameter}: {r.bound:g} at {r.confidence:.0%}" for r in claim.rates)
        return _sentence("The pass rests on every fitted exponent's bootstrap interval ending at or below "
                         f"the stated exponent plus its margin ({bounds})")
    tolerances = ", ".join(f"{k} = {v:g}" for k, v in claim.thresholds.items())
    return _sentence("The pass rests on the measured figures meeting the stated ones"
                     + (f" within the declared thresholds ({tolerances})" if tolerances else ""))


def sentences(claim: Claim, verdict: Verdict, grid: Mapping[str, Any]) -> list[str]:
    """Two or three plain sentences: what was measured, on which instances, what the verdict rests on."""
    measured = _sentence(f"Measured: {verdict.summary}") if verdict.status != "pending" else ""
    return [s for s in (measured, _instances(claim, verdict, grid), _rests_on(claim, verdict)) if s]


def claim_entry(claim: Claim, verdict: Verdict, profile: Profile, plot: str | None) -> dict[str, Any]:
    """One claim's entry in ``summary.json``."""
    grid = grids(claim, verdict, profile)
    data = verdict.to_dict()
    return {
        "id": claim.id, "paper": claim.paper, "source": claim.source, "kind": claim.kind, "title": claim.title,
        "statement": claim.statement, "status": verdict.status, "summary": verdict.summary,
        "sentences": sentences(claim, verdict, grid),
        "stated": data["stated"], "measured": data["measured"], "margins": margins(claim),
        "hypotheses": data["hypotheses"],
        "violated_hypotheses": [h.render() for h in verdict.hypotheses if not h.holds],
        "reasons": list(verdict.reasons), "error": verdict.error, "grids": grid, "seconds": verdict.seconds,
        "fingerprint": verdict.fingerprint, "algorithm": verdict.algorithm, "overridden": list(verdict.overridden),
        "profile": verdict.profile, "master_seed": verdict.master_seed, "reading": verdict.reading or claim.reading,
        "plot": plot, "section": f"#{anchor(claim.id)}", "verdict": data,
    }
