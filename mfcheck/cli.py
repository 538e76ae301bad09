"""Command line: ``mfcheck list | check | report | calibrate``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from mfcheck.claims.registry import get_claim, load_claims, run_claim
from mfcheck.judgement.profile import DEFAULT_MASTER_SEED, PROFILE_NAMES, Profile
from mfcheck.judgement.verdict import Verdict

if TYPE_CHECKING:
    from mfcheck.claims.calibration import CalibrationSummary

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


@click.group()
@click.version_option(package_name="mfcheck")
def main() -> None:
    """Check the claims of mean-field multi-agent RL papers by computation."""


@main.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def list_claims(as_json: bool) -> None:
    """List every claim: id, kind, status (implemented or pending)."""
    claims = load_claims()
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "id": c.id,
                        "kind": c.kind,
                        "status": c.status,
                        "source": c.source,
                        "title": c.title,
                    }
                    for c in claims
                ],
                indent=2,
            )
        )
        return
    width = max(len(c.id) for c in claims)
    for claim in claims:
        click.echo(f"{claim.id:<{width}}  {claim.kind:<9}  {claim.status:<11}  {claim.source}")


@main.command("check")
@click.argument("claim_id")
@profile_option
@seed_option
@click.option("--json", "as_json", is_flag=True, help="Print the verdict as JSON.")
def check(claim_id: str, profile: str, master_seed: int, as_json: bool) -> None:
    """Run one claim's checker and print its verdict with stated and measured figures.

    Exit status: 0 pass or not_applicable, 1 fail, 2 usage error (unknown or pending claim).
    """
    from mfcheck.reports.table import verdict_text

    try:
        claim = get_claim(claim_id)
    except KeyError as error:
        raise click.BadParameter(str(error.args[0]), param_hint="CLAIM_ID") from None
    if not claim.implemented:
        raise click.UsageError(f"claim {claim_id!r} is pending: no checker yet")
    verdict = run_claim(claim_id, Profile(name=profile, master_seed=master_seed))
    if as_json:
        click.echo(json.dumps(verdict.to_dict(), indent=2))
    else:
        click.echo(verdict_text(claim, verdict))
    sys.exit(1 if verdict.status == "fail" else 0)


@main.command("report")
@profile_option
@seed_option
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder (default reports/<profile>).",
)
@click.option(
    "--resume/--no-resume",
    default=True,
    show_default=True,
    help="Reuse verdicts already stored in OUT for the same profile and seed.",
)
@click.option("--only", multiple=True, help="Restrict to these claim ids or paper prefixes.")
def report(profile: str, master_seed: int, out: Path | None, resume: bool, only: tuple[str, ...]) -> None:
    """Run every implemented claim and write a verdict table (report.md, summary.json)."""
    from mfcheck.reports.store import load_verdict, save_verdict, write_json_atomic
    from mfcheck.reports.table import STATUS_MARK, markdown_table

    out = out or Path("reports") / profile
    chosen = [
        c
        for c in load_claims()
        if not only or any(c.id == o or c.id.startswith(o.rstrip(".") + ".") for o in only)
    ]
    prof = Profile(name=profile, master_seed=master_seed)
    rows = []
    for claim in chosen:
        if not claim.implemented:
            rows.append((claim, None))
            continue
        verdict = load_verdict(out, claim.id) if resume else None
        if verdict is not None and (verdict.profile, verdict.master_seed) == (profile, master_seed):
            click.echo(f"{claim.id:<36} {STATUS_MARK[verdict.status]:<5} (stored)")
        else:
            try:
                verdict = run_claim(claim.id, prof)
            except Exception as error:  # a crashing checker is reported, not hidden
                from mfcheck.judgement.verdict import Verdict

                verdict = Verdict(
                    claim_id=claim.id,
                    status="fail",
                    summary=f"checker raised {type(error).__name__}: {error}",
                    reasons=(f"{type(error).__name__}: {error}",),
                    profile=profile,
                )
            save_verdict(out, verdict)
            click.echo(f"{claim.id:<36} {STATUS_MARK[verdict.status]:<5} {verdict.seconds:6.1f} s")
        rows.append((claim, verdict))
    table = markdown_table(rows)
    (out / "report.md").write_text(f"# mfcheck report ({profile} profile, seed {master_seed})\n\n{table}")
    write_json_atomic(
        out / "summary.json",
        {
            "profile": profile,
            "master_seed": master_seed,
            "claims": [
                {"id": c.id, "kind": c.kind, "status": c.status, "verdict": v.to_dict() if v else None}
                for c, v in rows
            ],
        },
    )
    counts = {s: sum(1 for _, v in rows if v and v.status == s) for s in STATUS_MARK}
    click.echo(
        f"wrote {out / 'report.md'}: {counts['pass']} pass, {counts['fail']} fail, "
        f"{counts['not_applicable']} not applicable, "
        f"{sum(1 for _, v in rows if v is None)} pending"
    )


@main.command("calibrate")
@click.argument("claim_ids", metavar="CLAIM_ID...", nargs=-1, required=True)
@click.option("--seeds", "n_seeds", type=click.IntRange(min=1), default=100, show_default=True,
              help="Number of master seeds per claim.")
@click.option("--first-seed", type=click.IntRange(min=0), default=1000, show_default=True,
              help="Master seeds are FIRST_SEED, FIRST_SEED + 1, ...")
@profile_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              default=Path("reports") / "calibration", show_default=True,
              help="Per-seed verdicts go to OUT/<claim>/seed_<seed>.json, the summary to "
                   "OUT/<claim>/summary.json.")
@click.option("--resume/--no-resume", default=True, show_default=True,
              help="Reuse verdicts already stored in OUT for the same claim, profile and seed.")
def calibrate(claim_ids: tuple[str, ...], n_seeds: int, first_seed: int, profile: str, out: Path,
              resume: bool) -> None:
    """Rerun rate checks over many master seeds and report their false-failure rate.

    Per claim: seeds, failures, observed false-failure rate, its one-sided 95 % Clopper-Pearson
    bound, and per fitted exponent a Gaussian estimate of P(interval upper end > stated exponent
    + margin). Composite claims calibrate their declared sub-verdict (see
    ``mfcheck.claims.calibration.SUB_VERDICTS``).

    Exit status: 0 when every observed false-failure rate is at most 1 %, 1 otherwise (also when
    no seed was judged: every verdict not applicable), 2 usage error.
    """
    for claim_id in claim_ids:
        try:
            claim = get_claim(claim_id)
        except KeyError as error:
            raise click.BadParameter(str(error.args[0]), param_hint="CLAIM_ID") from None
        if not claim.implemented:
            raise click.UsageError(f"claim {claim_id!r} is pending: no checker yet")
    acceptable = True
    for claim_id in claim_ids:
        summary = _calibrate_with_progress(claim_id, profile, range(first_seed, first_seed + n_seeds),
                                           out, resume)
        click.echo(_calibration_text(summary))
        acceptable &= summary.acceptable
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
