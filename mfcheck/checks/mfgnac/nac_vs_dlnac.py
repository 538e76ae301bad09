"""MFG-NAC App D (Fig 1-2): single-loop NAC lowers exploitability smoothly; DL-NAC zigzags and
keeps a non-zero gap. SIS (β = 0.01, η = 0.05) and LQ (β = 0.05, η = 0.1), critic lr 0.001.

Both algorithms are nac-core's (``run_nac``, ``run_dl_nac``) with one-hot features and the same
sampled oracle (:class:`._warm_critic.WarmTDCritic`: persistent TD critic, lr 0.001, exact actor
given the critic); exploitability E(π_t) = max_π' V^{π',λ}_{μ_π}(ρ) - V^{π_t,λ}_{μ_π}(ρ) is exact
(App D), μ_π the mean field π_t induces from ρ. Criteria, declared before running:

1. NAC's final exploitability is below DL-NAC's (bootstrap 95% intervals of the mean over runs);
2. NAC is smoother: its upward variation Σ_k max(E_{k+1} - E_k, 0) (the zigzag size) is at most
   half of DL-NAC's, on average over runs;
3. DL-NAC keeps a gap: the lower end of its final-exploitability interval is > 1e-3.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from mfcheck.algorithms.nac import (
    PAPER_STEPS,
    DLNACConfig,
    NACConfig,
    NACTrajectory,
    one_hot_features,
    run_dl_nac,
    run_nac,
)
from mfcheck.checks.mfgnac._warm_critic import WarmTDCritic
from mfcheck.instances import linear_quadratic, sis
from mfcheck.judgement import Figure, Profile, Verdict
from mfcheck.models import MeanFieldGame
from mfcheck.solvers.equilibrium_search import equilibrium_mean_fields
from mfcheck.stats import seed_streams

CLAIM_ID = "mfgnac.nac_vs_dlnac"
Array = NDArray[np.float64]
GAP_FLOOR = 1e-3
#: (game, iterations, task steps, rng, every) -> trajectory; one per arm.
Arm = Callable[[MeanFieldGame, int, dict[str, float], np.random.Generator, int, int], NACTrajectory]


def nac_arm(game, n_iterations, steps, rng, every, inner_steps) -> NACTrajectory:
    """Single-loop NAC (Algorithm 1) with App D's β, η and the warm TD critic."""
    config = NACConfig(n_iterations=n_iterations, policy_step=steps["policy_step"],
                       mean_field_step=steps["mean_field_step"], exploitability_every=every)
    return run_nac(game, one_hot_features(game.n_states, game.n_actions), config,
                   oracle=WarmTDCritic(lr=steps["critic_lr"]), rng=rng)


def dl_nac_arm(game, n_iterations, steps, rng, every, inner_steps) -> NACTrajectory:
    """DL-NAC: ``inner_steps`` NAC policy steps at a frozen μ, then μ <- Γ2(π, μ)."""
    config = DLNACConfig(n_iterations=n_iterations, policy_step=steps["policy_step"],
                         inner_steps=inner_steps, exploitability_every=every)
    return run_dl_nac(game, one_hot_features(game.n_states, game.n_actions), config,
                      oracle=WarmTDCritic(lr=steps["critic_lr"]), rng=rng)


@dataclass(frozen=True, kw_only=True)
class Config:
    """Scale of the experiment."""

    n_runs: int
    """Runs per (task, algorithm) (App D: 10)."""
    iterations: dict[str, int]
    """T per task."""
    inner_steps: dict[str, int]
    """DL-NAC inner steps per mean-field jump (App D does not say: 1/β of the task)."""
    every: int
    """Exploitability recorded every this many iterations."""


CONFIGS = {
    "quick": Config(n_runs=10, iterations={"sis": 600, "linear_quadratic": 300},
                    inner_steps={"sis": 100, "linear_quadratic": 20}, every=10),
    "full": Config(n_runs=10, iterations={"sis": 3000, "linear_quadratic": 1500},
                   inner_steps={"sis": 100, "linear_quadratic": 20}, every=5),
}

#: γ, λ and ρ are not given in App D: mfcheck's choice (the presets' defaults).
TASKS: dict[str, Callable[[], MeanFieldGame]] = {
    "sis": lambda: sis(gamma=0.9, lam=0.1, initial=(0.4, 0.6)),
    "linear_quadratic": lambda: linear_quadratic(gamma=0.9, lam=0.1),
}


def upward_variation(curve: Array) -> float:
    """Σ_k max(E_{k+1} - E_k, 0): total size of the upward jumps (0 for a non-increasing curve)."""
    return float(np.clip(np.diff(curve), 0.0, None).sum())


def mean_interval(values: Array, rng: np.random.Generator, n_boot: int = 2000) -> tuple[float, float, float]:
    """(mean, low, high): percentile-bootstrap 95% interval of the mean over runs."""
    values = np.asarray(values, dtype=float)
    means = rng.choice(values, size=(n_boot, values.size)).mean(axis=1)
    return float(values.mean()), float(np.quantile(means, 0.025)), float(np.quantile(means, 0.975))


def _equilibrium_label(game: MeanFieldGame, mu: Array, eqs: list[Array]) -> str:
    if game.n_states > 5:
        return f"mean state {float(np.arange(game.n_states) @ mu) - game.n_states // 2:+.3f}"
    dist = [float(np.abs(mu - e).sum()) for e in eqs]
    k = int(np.argmin(dist))
    return f"μ*={np.round(eqs[k], 4).tolist()} (‖μ_T - μ*‖={dist[k]:.3g})"


def compare(
    task: str, config: Config, streams: list[np.random.Generator], *, arms: dict[str, Arm] | None = None
) -> dict[str, object]:
    """Run both arms ``config.n_runs`` times on ``task``; curves, summaries and equilibria."""
    arms = {"NAC": nac_arm, "DL-NAC": dl_nac_arm} if arms is None else arms
    game = TASKS[task]()
    eqs = equilibrium_mean_fields(game)
    out: dict[str, object] = {"task": task, "gamma": game.gamma, "lam": game.lam,
                              "initial": game.initial.tolist(), "steps": PAPER_STEPS[task],
                              "equilibria": [e.tolist() for e in eqs] if game.n_states <= 5 else None}
    for name, arm in arms.items():
        curves, labels, seconds = [], [], 0.0
        for rng in streams:
            trajectory = arm(game, config.iterations[task], PAPER_STEPS[task], rng, config.every,
                             config.inner_steps[task])
            iters, values = zip(*trajectory.exploitability, strict=True)
            curves.append(values)
            labels.append(_equilibrium_label(game, trajectory.mean_fields[-1], eqs))
            seconds += trajectory.seconds
        out[name] = {"iterations": list(iters), "curves": np.asarray(curves).tolist(),
                     "approached": labels, "seconds": seconds}
    return out


def plot(results: list[dict[str, object]], out_dir: Path) -> list[str]:
    """One PNG per task: mean exploitability with a min-max band over runs, log scale."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    paths = []
    for result in results:
        fig, ax = plt.subplots(figsize=(6, 3.5))
        for name, colour in (("NAC", "tab:blue"), ("DL-NAC", "tab:orange")):
            data = result[name]
            x, curves = np.asarray(data["iterations"]), np.asarray(data["curves"])
            ax.plot(x, curves.mean(axis=0), color=colour, label=f"{name} (mean of {len(curves)})")
            ax.fill_between(x, curves.min(axis=0), curves.max(axis=0), color=colour, alpha=0.2)
        ax.set_yscale("log")
        ax.set_xlabel("iteration t")
        ax.set_ylabel("exploitability E(π_t)")
        ax.set_title(f"{result['task']} (γ={result['gamma']}, λ={result['lam']})")
        ax.legend()
        path = out_dir / f"nac_vs_dlnac_{result['task']}.png"
        fig.tight_layout()
        fig.savefig(path, dpi=120)
        plt.close(fig)
        paths.append(str(path))
    return paths


def summarise(result: dict[str, object], rng: np.random.Generator) -> dict[str, object]:
    """Final exploitability (mean, 95% interval), upward and total variation, per arm."""
    rows = {}
    for name in ("NAC", "DL-NAC"):
        curves = np.asarray(result[name]["curves"])
        final = curves[:, -1]
        rows[name] = {
            "final": mean_interval(final, rng),
            "upward_variation": float(np.mean([upward_variation(c) for c in curves])),
            "total_variation": float(np.mean([np.abs(np.diff(c)).sum() for c in curves])),
            "upward_jumps": float(np.mean([(np.diff(c) > 1e-3 * c[0]).sum() for c in curves])),
        }
    rows["criteria"] = judge(rows["NAC"], rows["DL-NAC"])
    return rows


def judge(nac: dict[str, object], dl: dict[str, object]) -> dict[str, bool]:
    """The three declared criteria from the two arms' summaries (module docstring)."""
    return {
        "nac_lower_final": bool(nac["final"][2] < dl["final"][1]),
        "nac_smoother": bool(nac["upward_variation"] <= 0.5 * dl["upward_variation"]),
        "dl_keeps_gap": bool(dl["final"][1] > GAP_FLOOR),
    }


def run(profile: Profile, *, out_dir: Path | str | None = None, arms: dict[str, Arm] | None = None) -> Verdict:
    """Both tasks, both arms, ``n_runs`` seeds each; data (JSON) and plots written to ``out_dir``
    (default ``reports/nac_vs_dlnac``)."""
    config = CONFIGS[profile.name]
    out = Path("reports/nac_vs_dlnac") if out_dir is None else Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    streams = seed_streams(profile.master_seed, config.n_runs + 1, label=CLAIM_ID)
    results = [compare(task, config, streams[:-1], arms=arms) for task in TASKS]
    summaries = {r["task"]: summarise(r, streams[-1]) for r in results}
    (out / "nac_vs_dlnac.json").write_text(json.dumps({"results": results, "summaries": summaries}, indent=1))
    plots = plot(results, out)
    failed = [f"{task}: {k}" for task, s in summaries.items() for k, ok in s["criteria"].items() if not ok]
    measured = []
    for task, s in summaries.items():
        for name in ("NAC", "DL-NAC"):
            mean, low, high = s[name]["final"]
            measured.append(Figure(name=f"{task} {name} final E", value=mean, low=low, high=high))
            measured.append(Figure(name=f"{task} {name} upward variation", value=s[name]["upward_variation"]))
    approached = {r["task"]: {n: sorted(set(r[n]["approached"]))[:3] for n in ("NAC", "DL-NAC")} for r in results}
    return Verdict(
        claim_id=CLAIM_ID,
        status="fail" if failed else "pass",
        summary=("; ".join(
            f"{t}: final E NAC {s['NAC']['final'][0]:.3g} vs DL-NAC {s['DL-NAC']['final'][0]:.3g}, "
            f"upward variation {s['NAC']['upward_variation']:.3g} vs {s['DL-NAC']['upward_variation']:.3g}"
            for t, s in summaries.items()) + f" ({config.n_runs} runs each)"),
        stated=(Figure(name="NAC final E < DL-NAC final E", value=True),
                Figure(name="NAC upward variation <= ½ DL-NAC's", value=True),
                Figure(name="DL-NAC final E lower 95% end >", value=GAP_FLOOR)),
        measured=tuple(measured),
        reading=(f"γ = 0.9, λ = 0.1, ρ = (0.4, 0.6) for SIS and uniform for LQ (App D leaves them "
                 f"unstated); one-hot features; warm TD critic lr 0.001 (10 x 64 samples per "
                 f"iteration) + exact actor given the critic; T = {config.iterations}; DL-NAC inner "
                 f"steps {config.inner_steps}; exploitability every {config.every} iterations."),
        reasons=tuple(failed),
        evidence={"summaries": summaries, "approached": approached, "plots": plots,
                  "data": str(out / "nac_vs_dlnac.json")},
    )
