"""Command line: ``mfcheck list | check | report | compare | calibrate``.

Exit codes of ``check`` and ``report``: 0 every verdict pass or not applicable, 1 a fail,
2 a usage error (unknown claim, bad ``--variant``, a pattern matching nothing), 3 a checker
error (and no fail).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from mfcheck.claims.registry import applicability, get_claim, load_claims, run_claim
from mfcheck.judgement import DEFAULT_MASTER_SEED, PROFILE_NAMES, Claim, Profile, Verdict

if TYPE_CHECKING:
    from mfcheck.algorithms.protocol import AlgorithmBase
    from mfcheck.claims.calibration import CalibrationSummary

#: exit codes of check / report / compare
EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_ERROR = 0, 1, 2, 3

profile_option = click.option(
    "--profile",
    type=click.Choice(PROFILE_NAMES),
    default="quick",
    show_default=True,
    help="quick: CI-sized grids; full: the documented, larger grids.",
)
seed_option = click.option(
    "--seed",
    "master_seed",
    type=int,
    default=DEFAULT_MASTER_SEED,
    show_default=True,
    help="Master seed of every random stream.",
)

variant_option = click.option(
    "--variant",
    "variant_spec",
    default=None,
    metavar="MODULE:ATTRIBUTE",
    help="Check this algorithm value instead of the paper's (a module or a .py file path, then "
    "the attribute: e.g. examples/nac_slower_mean_field.py:VARIANT).",
)


def _load_variant(spec: str | None) -> AlgorithmBase | None:
    """The variant named by ``--variant`` (validated), or None; a bad one is a usage error."""
    if spec is None:
        return None
    from mfcheck.claims.variants import VariantError, load_variant

    try:
        return load_variant(spec)
    except VariantError as error:
        raise click.UsageError(str(error)) from None


def exit_code(statuses: list[str]) -> int:
    """1 when a verdict failed, else 3 when a checker raised, else 0."""
    if "fail" in statuses:
        return EXIT_FAIL
    if "error" in statuses:
        return EXIT_ERROR
    return EXIT_OK


def implemented_claim(claim_id: str) -> Claim:
    """The claim ``claim_id`` names; a usage error (exit status 2) when it is unknown or pending."""
    try:
        claim = get_claim(claim_id)
    except KeyError as error:
        raise click.BadParameter(str(error.args[0]), param_hint="CLAIM_ID") from None
    if not claim.implemented:
        raise click.UsageError(f"claim {claim_id!r} is pending: no checker yet")
    return claim


def select_claims(only: tuple[str, ...]) -> list[Claim]:
    """Claims whose id equals or starts with a pattern (fnmatch wildcards allowed); a pattern
    that matches no claim is a usage error."""
    import fnmatch

    claims = load_claims()
    if not only:
        return list(claims)

    def matches(claim: Claim, pattern: str) -> bool:
        return (claim.id == pattern or claim.id.startswith(pattern.rstrip(".") + ".")
                or fnmatch.fnmatchcase(claim.id, pattern))

    for pattern in only:
        if not any(matches(c, pattern) for c in claims):
            raise click.UsageError(f"--only {pattern!r} matches no claim (see `mfcheck list`)")
    return [c for c in claims if any(matches(c, o) for o in only)]


@click.group()
@click.version_option(package_name="mfcheck")
def main() -> None:
    """Check the claims of mean-field multi-agent RL papers by computation."""


@main.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@variant_option
def list_claims(as_json: bool, variant_spec: str | None) -> None:
    """List every claim: id, kind, status (implemented or pending), the algorithm types it judges.

    With --variant, also whether each claim applies to that variant and, if not, why.
    """
    claims = load_claims()
    variant = _load_variant(variant_spec)

    def applies(claim: Claim) -> tuple[bool, str]:
        if variant is None:
            return True, ""
        if not claim.implemented:
            return False, "pending: no checker yet"
        reason = applicability(claim, variant)
        return reason is None, reason or f"judges {variant.kind!r} algorithms"

    rows = []
    for c in claims:
        row = {"id": c.id, "kind": c.kind, "status": c.status, "source": c.source, "title": c.title,
               "judges": list(c.judges)}
        if variant is not None:
            row["applies"], row["why"] = applies(c)
        rows.append(row)
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    width = max(len(c.id) for c in claims)
    for row in rows:
        judges = ",".join(row["judges"]) or "-"
        line = f"{row['id']:<{width}}  {row['kind']:<9}  {row['status']:<11}  {judges:<11}  {row['source']}"
        if variant is not None:
            line = f"{'applies' if row['applies'] else 'n/a':<8} {line}" + ("" if row["applies"] else f"  ({row['why']})")
        click.echo(line)
    if variant is not None:
        n = sum(1 for r in rows if r["applies"])
        click.echo(f"{n} of {len(rows)} claims apply to {variant.describe()}")


@main.command("check")
@click.argument("claim_id")
@profile_option
@seed_option
@variant_option
@click.option("--json", "as_json", is_flag=True, help="Print the verdict as JSON.")
def check(claim_id: str, profile: str, master_seed: int, variant_spec: str | None, as_json: bool) -> None:
    """Run one claim's checker (on --variant, else the paper's algorithm) and print its verdict
    with stated and measured figures.

    Exit status: 0 pass or not_applicable, 1 fail, 2 usage error (unknown or pending claim, bad
    --variant), 3 checker error.
    """
    from mfcheck.reports.table import verdict_text

    claim = implemented_claim(claim_id)
    variant = _load_variant(variant_spec)
    verdict = run_claim(claim_id, Profile(name=profile, master_seed=master_seed), variant)
    if as_json:
        click.echo(json.dumps(verdict.to_dict(), indent=2))
    else:
        click.echo(verdict_text(claim, verdict))
    sys.exit(exit_code([verdict.status]))


@main.command("report")
@profile_option
@seed_option
@variant_option
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder (default reports/<profile>, or reports/<profile>-variant with --variant).",
)
@click.option(
    "--resume/--no-resume",
    default=True,
    show_default=True,
    help="Reuse verdicts stored in OUT whose fingerprint (toml, checker code and its imports, "
    "profile, seed, variant) still matches; rerun the stale ones.",
)
@click.option("--only", multiple=True, help="Restrict to these claim ids, paper prefixes or patterns.")
@click.option("--executor", type=click.Choice(("process", "sequential", "dask")), default="process",
              show_default=True, envvar="MFCHECK_EXECUTOR",
              help="Where cells run: a local process pool, this process, or a Dask cluster "
              "(--scheduler or DASK_SCHEDULER_ADDRESS). Records are identical for the same seeds.")
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Process-pool size (default: CPUs).")
@click.option("--scheduler", default=None, metavar="ADDRESS", help="Dask scheduler address.")
@click.option("--calibration", "calibration_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("reports") / "calibration", show_default=True,
              help="Where `mfcheck calibrate` wrote its summaries: their figures go beside each rate claim.")
@click.option("--save-baseline", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="FILE",
              help="Also store every claim's verdict and records (per cell, per seed) with code "
              "fingerprints in FILE, for `mfcheck compare --baseline FILE` (reruns every claim: "
              "stored verdicts carry no records).")
def report(profile: str, master_seed: int, variant_spec: str | None, out: Path | None, resume: bool,
           only: tuple[str, ...], executor: str = "process", workers: int | None = None,
           scheduler: str | None = None, calibration_dir: Path | None = None,
           save_baseline: Path | None = None) -> None:
    """Run every implemented claim (on --variant, else the papers' algorithms) and write a
    self-contained report folder: summary.json (versioned schema), report.md, report.html (plots
    embedded, opens offline), plots/, verdicts/ and cells/ (per-cell records: an interrupted
    report resumes cell by cell; both reused by --resume while their fingerprints match).

    Exit status: 0 every verdict pass or not applicable, 1 a fail, 2 usage error, 3 a checker
    error (and no fail).
    """
    import time

    from mfcheck.claims.fingerprint import claim_fingerprint
    from mfcheck.reports.build import write_report
    from mfcheck.reports.runinfo import run_info
    from mfcheck.reports.store import load_verdict, save_verdict
    from mfcheck.reports.table import STATUS_MARK

    chosen = select_claims(only)
    variant = _load_variant(variant_spec)
    out = out or Path("reports") / (profile if variant is None else f"{profile}-variant")
    out.mkdir(parents=True, exist_ok=True)
    prof = Profile(name=profile, master_seed=master_seed)
    started = time.perf_counter()
    from mfcheck.compare.baseline import BaselineRecording
    from mfcheck.judgement import using_executor
    from mfcheck.sweeps.executors import make_executor
    from mfcheck.sweeps.per_claim import ClaimSweeps

    try:
        cell_executor = make_executor(executor, workers=workers, scheduler=scheduler)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    fingerprints = {c.id: claim_fingerprint(c, prof, variant) for c in chosen}
    sweeps = ClaimSweeps(out / "cells", cell_executor, fingerprints.__getitem__, fresh=not resume)
    recording = BaselineRecording.start(save_baseline, inner=sweeps)  # None without --save-baseline
    resume = resume and recording is None  # a baseline needs every claim's verdict rerun
    context = using_executor(sweeps) if recording is None else None
    if context is not None:
        context.__enter__()
    rows = []
    for claim in chosen:
        stored = load_verdict(out, claim.id) if resume else None
        if stored is not None and stored.status not in ("error", "pending") and (
                stored.fingerprint == fingerprints[claim.id]):
            verdict = stored
            click.echo(f"{claim.id:<36} {STATUS_MARK[verdict.status]:<7} (stored)")
        else:
            verdict = run_claim(claim.id, prof, variant)
            if verdict.status != "pending":
                save_verdict(out, verdict)
            click.echo(f"{claim.id:<36} {STATUS_MARK[verdict.status]:<7} {verdict.seconds:6.1f} s")
        rows.append((claim, verdict))
    if context is not None:
        context.__exit__(None, None, None)
    sweeps.close()
    if recording is not None:
        saved = recording.finish(rows, prof, variant=variant_spec, algorithm=(
            variant.describe() if variant is not None else "the papers' algorithms (defaults)"))
        click.echo(f"wrote baseline {saved} (verdicts and records per cell and seed)")
    run = run_info(profile=profile, master_seed=master_seed, variant=variant_spec, only=only,
                   algorithm=variant.describe() if variant is not None else "the papers' algorithms (defaults)",
                   seconds=time.perf_counter() - started)
    summary = write_report(out, rows, run, profile=prof, calibration=calibration_dir)
    counts = summary["counts"]
    click.echo(
        f"wrote {out / 'report.html'} and report.md, summary.json: {counts['pass']} pass, "
        f"{counts['fail']} fail, {counts['not_applicable']} not applicable, {counts['error']} error, "
        f"{counts['pending']} pending; {len(summary['findings'])} findings"
    )
    sys.exit(exit_code([v.status for _, v in rows]))


@main.command("compare")
@click.option("--variant", "variant_spec", required=True, metavar="MODULE:ATTRIBUTE",
              help="The algorithm value to compare (a module or a .py file path, then the attribute).")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              metavar="FILE", help="A baseline written by `mfcheck report --save-baseline FILE` (default: "
              "run each claim's default algorithm now, on the same cells and seeds).")
@click.option("--only", multiple=True, help="Restrict to these claim ids, paper prefixes or patterns.")
@click.option("--profile", type=click.Choice(PROFILE_NAMES), default=None,
              help="Without --baseline (default quick); with one, the baseline's profile is used.")
@click.option("--seed", "master_seed", type=int, default=None,
              help=f"Without --baseline (default {DEFAULT_MASTER_SEED}); with one, the baseline's.")
@click.option("--resamples", type=click.IntRange(min=0), default=200, show_default=True,
              help="Paired bootstrap resamples of each difference (0: no interval).")
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              metavar="FILE", help="Also write a self-contained HTML page (both runs' curves on one plot).")
def compare(variant_spec: str, baseline_path: Path | None, only: tuple[str, ...], profile: str | None,
            master_seed: int | None, resamples: int, as_json: bool, html_path: Path | None) -> None:
    """Run the claims that apply to --variant on the baseline's cells and seeds and compare, per
    claim: the claim's comparison figure (its toml's [comparison]) for baseline and variant, the
    difference with a paired 95% bootstrap interval over the shared seeds, both statuses and a
    judgement: same (interval within ±δ), better / worse (beyond δ), inconclusive (with the
    number of seeds that would decide it). Regressed: newly failing (pass -> fail) or worse.

    Exit status: 0 nothing regressed, 1 a claim regressed, 2 usage error (bad --variant or
    baseline, a baseline recorded with other checker code: refused, naming the claim), 3 a
    checker error (and nothing regressed).
    """
    from mfcheck.compare.baseline import BaselineError, load_baseline
    from mfcheck.compare.engine import compare_variant, plan
    from mfcheck.compare.render import comparison_text

    variant = _load_variant(variant_spec)
    assert variant is not None
    baseline = None
    if baseline_path is not None:
        try:
            baseline = load_baseline(baseline_path)
        except BaselineError as error:
            raise click.UsageError(str(error)) from None
        for name, given, recorded in (("--profile", profile, baseline.profile),
                                      ("--seed", master_seed, baseline.master_seed)):
            if given is not None and given != recorded:
                raise click.UsageError(f"{name} {given} differs from the baseline's ({recorded}); a comparison "
                                       "runs on the baseline's cells and seeds")
    prof = (baseline.prof if baseline is not None else
            Profile(name=profile or "quick", master_seed=DEFAULT_MASTER_SEED if master_seed is None else master_seed))
    chosen = plan(select_claims(only), variant, baseline)
    if not chosen.claims:
        where = f" and in the baseline {baseline_path}" if baseline is not None else ""
        raise click.UsageError(f"no implemented claim{' matching --only' if only else ''} applies to "
                               f"{variant.describe()}{where} (see `mfcheck list --variant {variant_spec}`)")
    if baseline is not None:
        stale = baseline.stale([c.id for c in chosen.claims])
        if stale:
            raise click.UsageError(f"baseline {baseline_path} refused: " + "; ".join(stale)
                                   + ". Write a new one with `mfcheck report --save-baseline FILE`.")

    def progress(claim_id: str, which: str, run: object) -> None:
        if run is not None:
            verdict = run.verdict  # type: ignore[attr-defined]
            click.echo(f"{claim_id:<36} {which:<8} {verdict.status:<14} {verdict.seconds:6.1f} s", err=True)

    comparison = compare_variant(chosen.claims, variant, baseline=baseline, profile=prof,
                                 baseline_source=str(baseline_path) if baseline_path else "",
                                 resamples=resamples, variant_spec=variant_spec, progress=progress,
                                 skipped=chosen.skipped)
    if html_path is not None:
        from mfcheck.compare.page import render_page
        from mfcheck.reports.store import write_text_atomic

        write_text_atomic(html_path, render_page(comparison))
        click.echo(f"wrote {html_path}", err=True)
    if as_json:
        click.echo(json.dumps(comparison.to_dict(), indent=2))
    else:
        click.echo(comparison_text(comparison))
    sys.exit(comparison.exit_code)


@main.command("calibrate")
@click.argument("claim_ids", metavar="[CLAIM_ID...]", nargs=-1)
@click.option("--all", "calibrate_all", is_flag=True,
              help="Every implemented rate claim whose default verdict passes (or that declares a "
              "calibrated sub-verdict); the others are listed as not calibrated, with the reason.")
@click.option("--seeds", "n_seeds", type=click.IntRange(min=1), default=100, show_default=True,
              help="Number of master seeds per claim.")
@click.option("--first-seed", type=click.IntRange(min=0), default=1000, show_default=True,
              help="Master seeds are FIRST_SEED, FIRST_SEED + 1, ...")
@profile_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              default=Path("reports") / "calibration", show_default=True,
              help="Per-seed verdicts go to OUT/<claim>/seed_<seed>.json, the summary to "
                   "OUT/<claim>/summary.json, per-cell records to OUT/cells/<claim>/.")
@click.option("--resume/--no-resume", default=True, show_default=True,
              help="Reuse verdicts and cell records already stored in OUT for the same claim, "
                   "profile, seed and code.")
@click.option("--executor", type=click.Choice(("process", "sequential", "dask")), default="process",
              show_default=True, envvar="MFCHECK_EXECUTOR", help="Where cells run (see `report`).")
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Process-pool size (default: CPUs).")
@click.option("--scheduler", default=None, metavar="ADDRESS", help="Dask scheduler address.")
def calibrate(claim_ids: tuple[str, ...], calibrate_all: bool, n_seeds: int, first_seed: int, profile: str,
              out: Path, resume: bool, executor: str, workers: int | None, scheduler: str | None) -> None:
    """Rerun rate checks over many master seeds and report their false-failure rate.

    Per claim: seeds, failures, observed false-failure rate, its one-sided 95 % Clopper-Pearson
    bound, and per fitted exponent a Gaussian estimate of P(interval upper end > stated exponent
    + margin). Composite claims calibrate their declared sub-verdict (see
    ``mfcheck.claims.calibration.SUB_VERDICTS``). Cells run through the sweep engine, so an
    interrupted calibration resumes cell by cell.

    Exit status: 0 when every observed false-failure rate is at most 1 %, 1 otherwise (also when
    no seed was judged: every verdict not applicable), 2 usage error.
    """
    from mfcheck.claims.calibration import SUB_VERDICTS
    from mfcheck.claims.fingerprint import code_fingerprint
    from mfcheck.judgement import using_executor
    from mfcheck.reports.store import write_json_atomic
    from mfcheck.sweeps.executors import make_executor
    from mfcheck.sweeps.per_claim import ClaimSweeps

    if calibrate_all == bool(claim_ids):
        raise click.UsageError("give CLAIM_ID... or --all (not both)")
    claims = [c for c in load_claims() if c.implemented and c.rates] if calibrate_all else []
    claims.extend(implemented_claim(claim_id) for claim_id in claim_ids)
    try:
        cell_executor = make_executor(executor, workers=workers, scheduler=scheduler)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    sweeps = ClaimSweeps(out / "cells", cell_executor, lambda cid: code_fingerprint(get_claim(cid)),
                         fresh=not resume)
    acceptable = True
    index: dict[str, object] = {"profile": profile, "seeds": [first_seed, first_seed + n_seeds - 1],
                                "calibrated": [], "not_calibrated": {}}
    with sweeps, using_executor(sweeps):
        for claim in claims:
            if calibrate_all and claim.id not in SUB_VERDICTS:
                default = run_claim(claim.id, Profile(name=profile))
                if default.status != "pass":
                    reason = f"not calibrated: {default.status} at default ({default.summary[:160]})"
                    index["not_calibrated"][claim.id] = reason  # type: ignore[index]
                    click.echo(f"{claim.id}: {reason}")
                    continue
            summary = _calibrate_with_progress(claim.id, profile, range(first_seed, first_seed + n_seeds),
                                               out, resume)
            index["calibrated"].append(claim.id)  # type: ignore[union-attr]
            click.echo(_calibration_text(summary))
            acceptable &= summary.acceptable
    if calibrate_all:
        write_json_atomic(out / "index.json", index)
    sys.exit(0 if acceptable else 1)


def _calibrate_with_progress(claim_id: str, profile: str, seeds: range, out: Path,
                             resume: bool) -> CalibrationSummary:
    """:func:`mfcheck.claims.calibration.calibrate` with a rich progress bar on stderr."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from mfcheck.claims.calibration import calibrate as run_calibration

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[fails]} fail"), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(claim_id, total=len(seeds), fails=0)
        fails: list[int] = []

        def advance(seed: int, verdict: Verdict, reused: bool) -> None:
            if verdict.status == "fail":
                fails.append(seed)
            bar.update(task, advance=1, fails=len(fails))

        return run_calibration(claim_id, profile_name=profile, seeds=seeds, out=out,
                               resume=resume, progress=advance)


def _calibration_text(summary: CalibrationSummary) -> str:
    """Plain-text lines of a :class:`~mfcheck.claims.calibration.CalibrationSummary`."""
    part = f", {summary.sub_verdict} part" if summary.sub_verdict else ""
    seconds = sum(summary.seconds) / len(summary.seconds)
    lines = [
        f"{summary.claim_id} ({summary.profile}{part}, seeds {summary.seeds[0]}..{summary.seeds[-1]}, "
        f"{seconds:.1f} s per seed)",
        f"  seeds {summary.n_seeds}, judged {summary.n_judged}, failures {summary.n_fail}"
        + (f" (seeds {list(summary.failed_seeds)})" if summary.n_fail else ""),
        f"  observed false-failure rate {summary.false_failure_rate:.2%}, one-sided "
        f"{summary.confidence:.0%} Clopper-Pearson bound {summary.clopper_pearson_upper:.2%}",
    ]
    for rate in summary.rates:
        lines.append(
            f"  {rate.parameter} ({rate.label}): upper end {rate.mean:.3f} ± {rate.sd:.3f} "
            f"(max {max(rate.highs):.3f}) vs threshold {rate.threshold:g}; Gaussian "
            f"P(upper end > threshold) = {rate.tail_estimate:.2g}, Shapiro-Wilk p = "
            f"{rate.normality_p:.2g}"
            + (" (not Gaussian: the tail estimate is unreliable)" if rate.normality_p < 0.01 else "")
        )
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    main()
