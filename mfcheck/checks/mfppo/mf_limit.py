"""MF-PPO Section 2 / Def 2.1: the mean-field MDP as the N → ∞ limit of the N-agent MDP.

For cooperative models (one agent's kernel and reward depending on the empirical distribution)
the check compares, for growing N,

* ``V*_N(n)``: the exact optimal value of the N-agent cooperative MDP under meta-action
  policies (every agent plays ā(own state), Def 2.1), lumped onto counts n and solved by policy
  iteration (:mod:`mfcheck.models.count_space`);
* ``V*_∞(n/N)``: the optimal value of the deterministic-flow mean-field MDP at the same
  distribution, from the grid discretisation of :mod:`mfcheck.models.mean_field_limit` at a
  resolution K that is a multiple of every N (so n/N is a node; no interpolation error there);
  its discretisation error is estimated by ``|V_K - V_{K/2}|`` at the same nodes.

Gaps: state by state (sup over n), on average (uniform over count states), and from the
initial law (agents i.i.d. from d₀: ``|E_{n ~ Mult(N, d₀)} V*_N(n) - V*_∞(d₀)|``). The rate is
fitted with :func:`mfcheck.stats.fit_rate` over a family of random |S| = 2 models (the
"seeds"); presets and |S| = 3 models are reported alongside.

Also reported (evidence, not the verdict): what the meta-action restriction ā ∈ A^S costs. The
unrestricted N-agent optimum (state-action counts, :mod:`mfcheck.models.state_action_counts`)
is compared with the meta-action optimum at small N, and the limit with split actions
(:func:`~mfcheck.models.mean_field_limit.relaxed_model`) with Def 2.1's limit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from mfcheck.instances.cooperative import cooperative_sis, crowd_ring, random_cooperative_model
from mfcheck.judgement import Figure, Profile, Verdict
from mfcheck.models.count_space import build_count_space_mdp, composition_index, compositions
from mfcheck.models.mean_field_limit import MeanFieldLimit, relaxed_model
from mfcheck.models.n_agent import CooperativeModel
from mfcheck.models.state_action_counts import build_state_action_count_mdp
from mfcheck.solvers.count_space import optimal_solution, state_action_optimal_values
from mfcheck.solvers.mean_field_limit import solve_limit
from mfcheck.stats import fit_rate, seed_streams

CLAIM_ID = "mfppo.mf_limit"
LimitFactory = Callable[[CooperativeModel], MeanFieldLimit]

READING = (
    "The paper states no rate: Def 2.1 is 'the limit of the finite-agent MDP'. N-agent side: the "
    "cooperative MDP restricted to meta-action policies (all agents play ā(own state), ā ∈ A^S), "
    "exact in count space; limit side: d' = Σ_x d(x) p(·|x, ā(x), d), R = Σ_x d(x) r(x, ā(x), d), "
    "solved on the grid {k/K} (barycentric interpolation, K a multiple of every N). Values "
    "E Σ γ^t r (the paper's (1-γ) factor rescales every gap by 1-γ). Pass: on the random |S| = 2 "
    "family the sup and mean gaps decay with fitted exponents whose CI upper ends are <= "
    "expected + margin (expected N^-1/2, the order of mean-field control approximation results; "
    "margin 0.25), every instance's gaps at least halve over the grid, and the discretisation "
    "error stays below a tenth of every measured gap (otherwise not applicable). The unrestricted "
    "N-agent optimum (agents in one state may play different actions) is reported beside it: it "
    "converges to the mean-field MDP with actions P(A)^S, not to Def 2.1's A^S."
)


@dataclass(frozen=True, kw_only=True)
class Config:
    """Sizes of the quick and full runs."""

    n_grid: tuple[int, ...]
    """N for the |S| = 2 models (increasing)."""
    n_random: int
    """Random |S| = 2, |A| = 2 models in the fitted family (>= 2 for an interval)."""
    resolution: int
    """Grid resolution K of the |S| = 2 limit (K/2 must be a multiple of every N)."""
    grid_s3: tuple[int, ...]
    """N for the |S| = 3 models (crowd_ring and random)."""
    n_random_s3: int
    """Random |S| = 3, |A| = 2 models."""
    resolution_s3: int
    """Grid resolution of the |S| = 3 limit (K/2 a multiple of every N)."""
    asymptotic_from: int = 2
    """First grid index used in the fit."""
    expected_exponent: float = -0.5
    margin: float = 0.25
    max_discretisation_ratio: float = 0.1
    relaxation_agents: tuple[int, ...] = (2, 4, 8, 16)
    """N at which the meta-action optimum is compared with the unrestricted N-agent optimum."""
    relaxation_levels: int = 4
    """Mixtures {k/levels} of actions in the relaxed limit (agents in one state may split)."""
    relaxation_resolution: int = 48
    """Grid of the relaxed and meta-action limits compared (a multiple of every relaxation N)."""

    def __post_init__(self) -> None:
        for grid, resolution, name in ((self.n_grid, self.resolution, "n_grid"),
                                       (self.grid_s3, self.resolution_s3, "grid_s3")):
            if list(grid) != sorted(set(grid)) or len(grid) < 2:
                raise ValueError(f"Config.{name}: need >= 2 increasing N, got {grid}")
            bad = [n for n in grid if (resolution // 2) % n or resolution % 2]
            if bad:
                raise ValueError(f"Config.{name}: resolution/2 = {resolution / 2} is not a multiple of N = {bad}")
        if self.relaxation_resolution % max(self.relaxation_agents, default=1):
            raise ValueError(f"Config.relaxation_resolution: {self.relaxation_resolution} is not a multiple "
                             f"of N = {max(self.relaxation_agents)}")
        if self.n_random < 2 or not 0 <= self.asymptotic_from <= len(self.n_grid) - 2:
            raise ValueError(f"Config: n_random >= 2 and a valid asymptotic_from needed, got {self!r}")


CONFIGS = {
    "quick": Config(n_grid=(8, 16, 32, 64, 128, 256), n_random=4, resolution=4096,
                    grid_s3=(4, 8, 16, 32), n_random_s3=1, resolution_s3=128),
    "full": Config(n_grid=(8, 16, 32, 64, 128, 256, 512, 1024), n_random=8, resolution=8192,
                   grid_s3=(4, 8, 16, 32, 64), n_random_s3=2, resolution_s3=256, asymptotic_from=3,
                   relaxation_agents=(2, 4, 8, 16, 24)),
}


def gap_curve(
    model: CooperativeModel, n_grid: Sequence[int], resolution: int, limit_factory: LimitFactory = MeanFieldLimit
) -> dict:
    """Gaps between V*_N (count space) and V*_∞ (grid K) at every N of ``n_grid``."""
    limit = limit_factory(model)
    fine, coarse = solve_limit(limit, resolution), solve_limit(limit, resolution // 2)
    v_inf_initial = float(fine.value_at(model.initial)[0])
    rows = []
    for n_agents in n_grid:
        counts_mdp = build_count_space_mdp(model, n_agents)
        optimum = optimal_solution(counts_mdp)
        counts = counts_mdp.counts
        v_inf = fine.values[composition_index(counts * (resolution // n_agents), resolution)]
        v_coarse = coarse.values[composition_index(counts * (resolution // 2 // n_agents), resolution // 2)]
        gap = optimum.values - v_inf
        worst = int(np.argmax(np.abs(gap)))
        rows.append({
            "n_agents": int(n_agents),
            "n_count_states": int(counts.shape[0]),
            "sup_gap": float(np.abs(gap).max()),
            "mean_gap": float(np.abs(gap).mean()),
            "signed_mean_gap": float(gap.mean()),
            "initial_gap": float(abs(counts_mdp.mdp.initial @ optimum.values - v_inf_initial)),
            "sup_at_counts": counts[worst].tolist(),
            "discretisation": float(np.abs(v_inf - v_coarse).max()),
        })
    return {"name": model.name, "n_states": model.n_states, "resolution": resolution, "curve": rows,
            "limit_residual": fine.residual}


def relaxation_record(model: CooperativeModel, config: Config) -> dict:
    """What the meta-action restriction ā ∈ A^S costs, at finite N and in the limit.

    ``V*_all`` is the unrestricted N-agent optimum (state-action counts, exact); the relaxed
    limit lets agents in one state split over actions (mixtures on a grid of
    ``relaxation_levels``), a lower bound on the limit with action set P(A)^S.
    """
    rows = []
    for n_agents in config.relaxation_agents:
        unrestricted = state_action_optimal_values(build_state_action_count_mdp(model, n_agents))
        meta = optimal_solution(build_count_space_mdp(model, n_agents)).values
        rows.append({"n_agents": n_agents, "sup": float((unrestricted - meta).max()),
                     "mean": float((unrestricted - meta).mean())})
    resolution = config.relaxation_resolution
    relaxed = solve_limit(MeanFieldLimit(relaxed_model(model, config.relaxation_levels)), resolution)
    plain = solve_limit(MeanFieldLimit(model), resolution)
    last = config.relaxation_agents[-1]
    nodes = composition_index(compositions(last, model.n_states) * (resolution // last), resolution)
    return {
        "name": model.name, "curve": rows,
        "limit_sup": float((relaxed.values - plain.values).max()),
        "unrestricted_to_relaxed_limit": float(np.abs(unrestricted - relaxed.values[nodes]).max()),
        "unrestricted_to_meta_limit": float(np.abs(unrestricted - plain.values[nodes]).max()),
    }


def _series(record: dict, key: str) -> np.ndarray:
    return np.array([row[key] for row in record["curve"]])


def check_mf_limit(
    family: Sequence[CooperativeModel],
    others: Sequence[CooperativeModel] = (),
    *,
    n_grid: Sequence[int],
    resolution: int,
    others_grid: Sequence[int] | None = None,
    others_resolution: int | None = None,
    rng: np.random.Generator,
    limit_factory: LimitFactory = MeanFieldLimit,
    config: Config | None = None,
) -> Verdict:
    """Compare V*_N with V*_∞ on a fitted ``family`` (>= 2 models) and on ``others``.

    ``others`` (presets, larger |S|) are solved on ``others_grid``/``others_resolution`` when
    given (per model: |S| = 2 models on ``n_grid``). ``limit_factory(model)`` builds the N = ∞
    MDP (a mutant replaces it to show the check can fail).
    """
    config = config or CONFIGS["quick"]
    family_records = [gap_curve(m, n_grid, resolution, limit_factory) for m in family]
    other_records = [
        gap_curve(m, others_grid or n_grid, others_resolution or resolution, limit_factory)
        if m.n_states > 2 else gap_curve(m, n_grid, resolution, limit_factory)
        for m in others
    ]
    grid = np.asarray(n_grid, dtype=float)
    fits = {key: fit_rate(grid, np.stack([_series(r, key) for r in family_records], axis=1),
                          rng=rng, asymptotic_from=config.asymptotic_from)
            for key in ("sup_gap", "mean_gap")}
    bound = config.expected_exponent + config.margin
    reasons, not_applicable = [], []
    for key, fit in fits.items():
        if fit.high > bound:
            reasons.append(f"random |S|=2 family: {key} exponent {fit.exponent:.2f} "
                           f"[{fit.low:.2f}, {fit.high:.2f}]: upper end > {bound:.2f}: the gap does not close at N^-1/4 or faster")
    point_exponents = {}
    for record in family_records + other_records:
        sizes = _series(record, "n_agents")
        for key in ("sup_gap", "mean_gap"):
            values = _series(record, key)
            if values[-1] > 0.5 * values[0]:
                reasons.append(f"{record['name']}: {key} only goes from {values[0]:.3g} (N={sizes[0]:.0f}) "
                               f"to {values[-1]:.3g} (N={sizes[-1]:.0f})")
        sup = _series(record, "sup_gap")
        point_exponents[f"{record['name']}|S|={record['n_states']}"] = float(
            np.polyfit(np.log(sizes[-3:]), np.log(np.maximum(sup[-3:], 1e-300)), 1)[0])
        ratio = float((_series(record, "discretisation") / np.maximum(sup, 1e-300)).max())
        record["discretisation_ratio"] = ratio
        if ratio > config.max_discretisation_ratio:
            not_applicable.append(f"{record['name']}: discretisation error up to {ratio:.2g} x the gap "
                                  f"(> {config.max_discretisation_ratio}): resolution {record['resolution']} too coarse")
    relaxation = [relaxation_record(m, config) for m in others if m.n_states <= 3]
    status = "fail" if reasons else ("not_applicable" if not_applicable else "pass")
    sup_fit, mean_fit = fits["sup_gap"], fits["mean_gap"]
    last = np.mean([_series(r, "sup_gap")[-1] for r in family_records])
    named = {k: v for k, v in point_exponents.items() if not k.startswith("random")}
    summary = (
        f"sup gap ~ N^{sup_fit.exponent:.2f} [{sup_fit.low:.2f}, {sup_fit.high:.2f}], mean gap ~ "
        f"N^{mean_fit.exponent:.2f} on {len(family)} random |S|=2 models (N = {n_grid[0]}..{n_grid[-1]}; "
        f"expected N^{config.expected_exponent})"
        + ("; sup-gap slopes over the last 3 N: " + ", ".join(f"{k} {v:.2f}" for k, v in named.items())
           if named else "")
        + "".join(f"; {r['name']}: unrestricted N-agent optimum exceeds the meta-action one by "
                  f"{r['curve'][-1]['sup']:.2g} at N={r['curve'][-1]['n_agents']} (relaxed limit - "
                  f"Def 2.1 limit: {r['limit_sup']:.2g})" for r in relaxation if r["limit_sup"] > 1e-6)
    )
    return Verdict(
        claim_id=CLAIM_ID,
        status=status,
        summary=summary,
        stated=(Figure(name="gap", value="-> 0 as N -> ∞", note="Def 2.1 (no rate stated)"),
                Figure(name="expected exponent", value=config.expected_exponent, note="pass if CI high <= expected + margin"),
                Figure(name="margin", value=config.margin)),
        measured=(
            Figure(name="sup-gap exponent", value=sup_fit.exponent, low=sup_fit.low, high=sup_fit.high),
            Figure(name="mean-gap exponent", value=mean_fit.exponent, low=mean_fit.low, high=mean_fit.high),
            Figure(name=f"sup gap at N={n_grid[-1]} (family mean)", value=float(last)),
            *(Figure(name=f"sup-gap slope {k}", value=v) for k, v in point_exponents.items()
              if not k.startswith("random")),
            Figure(name="max discretisation / gap",
                   value=max(r["discretisation_ratio"] for r in family_records + other_records)),
            *(Figure(name=f"{r['name']}: V*_all - V*_meta at N={r['curve'][-1]['n_agents']}",
                     value=r["curve"][-1]["sup"], note="sup over count states; unrestricted vs meta-action optimum")
              for r in relaxation),
        ),
        reading=READING,
        reasons=tuple(reasons + not_applicable),
        evidence={
            "family": family_records, "others": other_records,
            "fits": {k: f.to_dict() for k, f in fits.items()},
            "point_exponents": point_exponents, "relaxation_gap": relaxation,
        },
    )


def run(profile: Profile) -> Verdict:
    """CLI entry: random |S| = 2 family, cooperative_sis, crowd_ring and random |S| = 3 models."""
    config = CONFIGS[profile.name]
    streams = seed_streams(profile.master_seed, config.n_random + config.n_random_s3 + 1, label=CLAIM_ID)
    family = [random_cooperative_model(streams[i], 2, 2) for i in range(config.n_random)]
    others = [cooperative_sis(), crowd_ring()]
    others += [random_cooperative_model(streams[config.n_random + i], 3, 2) for i in range(config.n_random_s3)]
    return check_mf_limit(
        family, others, n_grid=config.n_grid, resolution=config.resolution,
        others_grid=config.grid_s3, others_resolution=config.resolution_s3,
        rng=streams[-1], config=config,
    )
