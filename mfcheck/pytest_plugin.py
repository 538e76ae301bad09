"""pytest plugin: validate an algorithm variant inside a user's own test suite.

Registered through the ``pytest11`` entry point, so it is active wherever mfcheck is installed;
it does nothing unless ``--mfcheck-variant`` is given::

    pytest --mfcheck-variant my_package.variants:FAST_NAC [--mfcheck-profile quick|full]
           [--mfcheck-only PATTERN] [--mfcheck-baseline FILE]

collects one test per claim that applies to the variant, named by the claim id
(``mfcheck::mfgnac.lemma7``). The claim runs in the test's setup: ``pass`` passes; ``fail``
fails with the stated and measured figures in the message; ``not_applicable`` is skipped with
its reason; ``error`` (the checker raised) is a test error. With ``--mfcheck-baseline FILE``
(written by ``mfcheck report --save-baseline FILE``) each test is a comparison on the baseline's
cells and seeds (:mod:`mfcheck.compare`) that fails when the claim regressed: newly failing, or
its comparison figure judged worse. A bad variant, an unreadable baseline, a baseline recorded
with other checker code or an ``--mfcheck-only`` that matches nothing is a usage error.

This module imports only pytest at load time: mfcheck is imported when a variant is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

PROFILES = ("quick", "full")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("mfcheck", "mfcheck: the papers' claims on an algorithm variant")
    group.addoption("--mfcheck-variant", metavar="MODULE:ATTRIBUTE", default=None,
                    help="Collect one test per mfcheck claim that applies to this algorithm value "
                    "(module:attribute or path/to/file.py:attribute).")
    group.addoption("--mfcheck-profile", choices=PROFILES, default=None,
                    help="Grid sizes of the checks (default quick; with --mfcheck-baseline, the baseline's).")
    group.addoption("--mfcheck-only", action="append", default=[], metavar="PATTERN",
                    help="Only claims whose id equals or starts with PATTERN (wildcards allowed); repeatable.")
    group.addoption("--mfcheck-baseline", metavar="FILE", default=None,
                    help="Compare with this baseline (mfcheck report --save-baseline FILE): a test fails "
                    "when its claim regressed (newly failing or worse).")
    group.addoption("--mfcheck-seed", type=int, default=None,
                    help="Master seed (default mfcheck's; with --mfcheck-baseline, the baseline's).")
    group.addoption("--mfcheck-resamples", type=int, default=200,
                    help="Paired bootstrap resamples of each comparison (default 200).")


class ClaimFailed(Exception):
    """The claim failed on the variant, or regressed against the baseline (message: the figures)."""


class CheckerError(Exception):
    """The claim's checker raised on the variant: reported as a test error."""


@dataclass
class Session:
    """What every collected claim test shares: the variant, profile and baseline."""

    variant: Any
    variant_spec: str
    profile: Any
    baseline: Any = None
    baseline_path: str = ""
    resamples: int = 200


def _usage(message: str) -> pytest.UsageError:
    return pytest.UsageError(f"mfcheck: {message}")


def _session(config: pytest.Config, spec: str) -> tuple[Session, list[Any], list[tuple[str, str]]]:
    """Load the variant, the baseline and the claims to collect (usage errors as pytest's)."""
    import click

    from mfcheck.claims.variants import VariantError, load_variant
    from mfcheck.cli import select_claims
    from mfcheck.compare import BaselineError, load_baseline, plan
    from mfcheck.judgement import DEFAULT_MASTER_SEED, Profile

    try:
        variant = load_variant(spec)
    except VariantError as error:
        raise _usage(str(error)) from None
    profile_name, seed = config.getoption("mfcheck_profile"), config.getoption("mfcheck_seed")
    baseline, baseline_path = None, config.getoption("mfcheck_baseline")
    if baseline_path:
        try:
            baseline = load_baseline(baseline_path)
        except BaselineError as error:
            raise _usage(str(error)) from None
        for name, given, recorded in (("--mfcheck-profile", profile_name, baseline.profile),
                                      ("--mfcheck-seed", seed, baseline.master_seed)):
            if given is not None and given != recorded:
                raise _usage(f"{name} {given} differs from the baseline's ({recorded})")
        profile = baseline.prof
    else:
        profile = Profile(name=profile_name or "quick", master_seed=DEFAULT_MASTER_SEED if seed is None else seed)
    try:
        claims = select_claims(tuple(config.getoption("mfcheck_only")))
    except click.UsageError as error:
        raise _usage(error.message.replace("--only", "--mfcheck-only")) from None
    chosen = plan(claims, variant, baseline)
    if not chosen.claims and not chosen.skipped:
        matching = " matching --mfcheck-only" if config.getoption("mfcheck_only") else ""
        raise _usage(f"no implemented claim{matching} applies to {variant.describe()} "
                     f"(see `mfcheck list --variant {spec}`)")
    if baseline is not None:
        stale = baseline.stale([c.id for c in chosen.claims])
        if stale:
            raise _usage(f"baseline {baseline_path} refused: " + "; ".join(stale))
    session = Session(variant=variant, variant_spec=spec, profile=profile, baseline=baseline,
                      baseline_path=baseline_path or "", resamples=int(config.getoption("mfcheck_resamples")))
    return session, chosen.claims, chosen.skipped


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    spec = config.getoption("mfcheck_variant", None)
    if not spec:
        return
    shared, claims, skipped = _session(config, spec)
    from mfcheck.judgement import theory_dir

    def toml(claim_id: str) -> Any:  # the item's path: where the claim is stated
        paper, name = claim_id.split(".", 1)
        return theory_dir() / "claims" / paper / f"{name}.toml"

    for claim in claims:
        items.append(ClaimItem.from_parent(session, name=claim.id, nodeid=f"mfcheck::{claim.id}",
                                           path=toml(claim.id), claim=claim, shared=shared))
    for claim_id, reason in skipped:
        items.append(ClaimItem.from_parent(session, name=claim_id, nodeid=f"mfcheck::{claim_id}",
                                           path=toml(claim_id), claim=None, shared=shared,
                                           skip_reason=f"{claim_id}: {reason} {shared.baseline_path}"))


def _skip(reason: str) -> None:
    """Skip the running claim test, reported at the test (not inside pytest's runner)."""
    try:
        raise pytest.skip.Exception(reason, _use_item_location=True)
    except TypeError:  # a pytest without _use_item_location
        pytest.skip(reason)


def _figures(verdict: Any) -> str:
    stated = "; ".join(f.render() for f in verdict.stated) or "-"
    measured = "; ".join(f.render() for f in verdict.measured) or "-"
    reasons = "\n  ".join(verdict.reasons)
    return f"stated: {stated}\nmeasured: {measured}" + (f"\nreasons:\n  {reasons}" if reasons else "")


def _regression_message(c: Any) -> str:
    from mfcheck.compare.render import difference_text, number

    why = "newly failing (baseline pass, variant fail)" if c.newly_failing else "judged worse"
    lines = [f"{c.claim_id} regressed ({why}) on {c.variant.algorithm} against {c.baseline.algorithm or 'the baseline'}",
             f"{c.figure} ({c.direction} is better): baseline {number(c.baseline_value)} ({c.baseline_status}), "
             f"variant {number(c.variant_value)} ({c.variant_status}); difference {difference_text(c)}, "
             f"margin δ = {number(c.margin)}: {c.judgement}"]
    if c.variant_status == "fail":
        lines.append(_figures(c.variant.verdict))
    return "\n".join(lines)


class ClaimItem(pytest.Item):
    """One claim on the variant (a comparison with the baseline when one is given)."""

    def __init__(self, *, claim: Any, shared: Session, skip_reason: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.claim, self.shared, self.skip_reason = claim, shared, skip_reason
        self.verdict: Any = None
        self.comparison: Any = None

    def setup(self) -> None:
        if self.skip_reason:
            _skip(self.skip_reason)
        shared = self.shared
        if shared.baseline is None:
            from mfcheck.claims.registry import run_claim

            self.verdict = run_claim(self.claim.id, shared.profile, shared.variant)
        else:
            from mfcheck.compare import compare_claim

            self.comparison = compare_claim(self.claim, shared.variant, baseline=shared.baseline,
                                            profile=shared.profile, resamples=shared.resamples,
                                            variant_spec=shared.variant_spec)
            self.verdict = self.comparison.variant.verdict
        if self.verdict.status == "error":
            raise CheckerError(f"{self.claim.id}: the checker raised on {self.verdict.algorithm}: "
                               f"{self.verdict.error or self.verdict.summary}")
        if self.verdict.status in ("not_applicable", "pending"):
            _skip(f"{self.claim.id} {self.verdict.status}: {self.verdict.summary}")

    def runtest(self) -> None:
        if self.comparison is not None:
            if self.comparison.regressed:
                raise ClaimFailed(_regression_message(self.comparison))
            return
        if self.verdict.status == "fail":
            raise ClaimFailed(f"{self.claim.id} fails on {self.verdict.algorithm}: {self.verdict.summary}\n"
                              + _figures(self.verdict))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, ClaimFailed | CheckerError):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def _repr_failure_py(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        # setup errors are rendered here (not by repr_failure): the checker's error, not our frame
        if isinstance(excinfo.value, CheckerError):
            return str(excinfo.value)
        return super()._repr_failure_py(excinfo, style=style)

    def reportinfo(self) -> tuple[Any, int, str]:
        return self.path, 0, f"mfcheck claim {self.name}"
