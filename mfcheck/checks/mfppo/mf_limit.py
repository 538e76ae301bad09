"""MF-PPO Section 2 / Def 2.1: the mean-field MDP as the N → ∞ limit of the N-agent MDP.

The statement checked is a :class:`~mfcheck.solvers.mean_field_gap.Limit`: which N = ∞ MDP the
N-agent cooperative MDP, restricted to meta-action policies (every agent plays ā(own state), ā ∈ A^S: Def 2.1), converges to; the
paper's is the deterministic flow d' = Σ_x d(x) p(·|x, ā(x), d) of
:class:`~mfcheck.models.mean_field_limit.MeanFieldLimit`. One cell per model: a family of random
|S| = 2 models (the fitted "seeds"), the presets cooperative_sis and crowd_ring, and random |S| = 3
models. Each cell's record is the exact gap curve of :func:`~mfcheck.solvers.mean_field_gap.gap_curve`
(sup, mean and initial-law gaps between V*_N in count space and V*_∞ on a grid whose nodes include
every n/N, with the grid's discretisation error); the presets and |S| = 3 models also record
:func:`~mfcheck.solvers.mean_field_gap.restriction_gap` (what the meta-action restriction costs).
A cell's settings hold its N grid and resolutions; its model is drawn from the rest (what it is),
so every profile draws the same models. The cells run through :func:`mfcheck.judgement.run_cells`
with the statement as their algorithm; the verdict is read from the records, and
``evidence["curves"]`` holds the sup and mean gaps against N (one series per model, log-log).

Judgement (margins from the toml): the sup and mean gaps of the family decay with fitted
exponents whose bootstrap upper ends are <= stated exponent + margin (``[[rate]]`` for N), every
model's gaps at least shrink by ``max_last_to_first`` over its grid, and the discretisation error
stays below ``max_discretisation_ratio`` of every gap (otherwise not applicable: the grid is too
coarse to judge).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from mfcheck.instances.cooperative import PRESETS
from mfcheck.instances.n_agent import cooperative_instance
from mfcheck.judgement import (
    QUICK,
    Cell,
    Figure,
    Hypothesis,
    Profile,
    Record,
    Verdict,
    get_claim,
    judge_rate,
    rate_verdict,
    run_cells,
)
from mfcheck.judgement.statement import Statement
from mfcheck.solvers.mean_field_gap import Limit, gap_curve, restriction_gap

CLAIM_ID = "mfppo.mf_limit"


PAPER_STATEMENT = Statement(
    text="the mean-field MDP of Def 2.1 (flow d' = Σ_x d(x) p(·|x, ā(x), d), reward Σ_x d(x) r(x, ā(x), d)) "
         "is the N → ∞ limit of the N-agent cooperative MDP under meta-action policies",
    value=Limit(),
)

RESTRICTION = "meta-action policies: every agent plays ā(own state), ā ∈ A^S (Def 2.1)"

READING = (
    "The paper states no rate: Def 2.1 is 'the limit of the finite-agent MDP'. N-agent side: the "
    "cooperative MDP restricted to meta-action policies (all agents in one local state play the same "
    "action), exact in count space; limit side: the stated flow and reward solved on the grid "
    "{k/K} (barycentric interpolation, K a multiple of every N). Values E Σ γ^t r. Pass: on the "
    "random |S| = 2 family the sup and mean gaps decay at the toml's [[rate]] (N^-1/2, the order of "
    "mean-field control approximation results, plus its margin), every model's gaps shrink by "
    "max_last_to_first over its grid, and the discretisation error stays below "
    "max_discretisation_ratio of every gap (otherwise not applicable). The unrestricted N-agent "
    "optimum is reported beside it: it converges to the mean-field MDP with actions P(A)^S, not to "
    "Def 2.1's A^S."
)


@dataclass(frozen=True, kw_only=True)
class PpoMfLimitSizes:
    """Per-profile grid."""

    n_grid: tuple[int, ...]
    """N for the |S| = 2 models (increasing); the rate is fitted over it."""
    n_random: int
    """Random |S| = 2, |A| = 2 models in the fitted family (>= 2 for an interval)."""
    resolution: int
    """Grid resolution K of the |S| = 2 limits (K/2 a multiple of every N)."""
    grid_s3: tuple[int, ...]
    """N for the |S| = 3 models (crowd_ring and random)."""
    n_random_s3: int
    """Random |S| = 3, |A| = 2 models."""
    resolution_s3: int
    """Grid resolution of the |S| = 3 limits (K/2 a multiple of every N)."""
    restriction_agents: tuple[int, ...] = (2, 4, 8, 16)
    """N at which the meta-action optimum is compared with the unrestricted N-agent optimum."""
    restriction_levels: int = 4
    """Mixtures {k/levels} of actions in the relaxed limit (agents in one state may split)."""
    restriction_resolution: int = 48
    """Grid of the relaxed and meta-action limits compared (a multiple of every restriction N)."""

    def __post_init__(self) -> None:
        for grid, resolution, name in ((self.n_grid, self.resolution, "n_grid"),
                                       (self.grid_s3, self.resolution_s3, "grid_s3")):
            if list(grid) != sorted(set(grid)) or len(grid) < 2:
                raise ValueError(f"PpoMfLimitSizes.{name}: need >= 2 increasing N, got {grid}")
            bad = [n for n in grid if (resolution // 2) % n or resolution % 2]
            if bad:
                raise ValueError(f"PpoMfLimitSizes.{name}: resolution/2 = {resolution / 2} is not a multiple of N = {bad}")
        if self.restriction_resolution % max(self.restriction_agents, default=1):
            raise ValueError(f"PpoMfLimitSizes.restriction_resolution: {self.restriction_resolution} is not a multiple "
                             f"of N = {max(self.restriction_agents)}")
        if self.n_random < 2:
            raise ValueError(f"PpoMfLimitSizes.n_random: need >= 2 models for an interval, got {self.n_random}")


SIZES = {
    "quick": PpoMfLimitSizes(n_grid=(8, 16, 32, 64, 128, 256), n_random=4, resolution=4096,
                   grid_s3=(4, 8, 16, 32), n_random_s3=1, resolution_s3=128),
    "full": PpoMfLimitSizes(n_grid=(8, 16, 32, 64, 128, 256, 512, 1024), n_random=8, resolution=8192,
                  grid_s3=(4, 8, 16, 32, 64), n_random_s3=2, resolution_s3=256,
                  restriction_agents=(2, 4, 8, 16, 24)),
}


#: the settings that size a cell; its model is drawn from the others (what it is)
SIZE_SETTINGS = ("n_grid", "resolution", "restriction_agents", "restriction_levels", "restriction_resolution")


def _text(values: tuple[int, ...]) -> str:
    return ",".join(str(v) for v in values)


def _ints(text: object) -> tuple[int, ...]:
    return tuple(int(v) for v in str(text).split(","))


def cells(profile: Profile) -> list[Cell]:
    """The fitted family (random |S| = 2, one seed index each), then the presets and random |S| = 3;
    each with the N grid and resolution of its |S| (and, outside the family, the restriction's)."""
    sizes = SIZES[profile.name]
    by_states = {2: {"n_grid": _text(sizes.n_grid), "resolution": sizes.resolution},
                 3: {"n_grid": _text(sizes.grid_s3), "resolution": sizes.resolution_s3}}
    restriction = {"restriction_agents": _text(sizes.restriction_agents),
                   "restriction_levels": sizes.restriction_levels,
                   "restriction_resolution": sizes.restriction_resolution}
    family = [Cell.of(CLAIM_ID, {"role": "family", "model": "random", "S": 2, "A": 2, **by_states[2]}, i)
              for i in range(sizes.n_random)]
    others = [Cell.of(CLAIM_ID, {"role": "other", "model": name, **by_states[PRESETS[name]().n_states], **restriction})
              for name in ("cooperative_sis", "crowd_ring")]
    others += [Cell.of(CLAIM_ID, {"role": "other", "model": "random", "S": 3, "A": 2, **by_states[3], **restriction}, i)
               for i in range(sizes.n_random_s3)]
    return family + others


def identity(cell: Cell) -> Cell:
    """The cell without its sizes: the model it draws (role, model, |S|, |A|, seed index)."""
    return Cell.of(cell.claim_id, {k: v for k, v in cell.items if k not in SIZE_SETTINGS}, cell.seed_index)


def measure(cell: Cell, statement: Statement, master_seed: int) -> Record:
    """The gap curve of one model on the cell's N grid and resolution, and for the presets and
    |S| = 3 models the cost of the meta-action restriction."""
    model = cooperative_instance(cell.settings, identity(cell).rng(master_seed, "model"))
    values = gap_curve(model, _ints(cell["n_grid"]), int(cell["resolution"]), statement.value.limit)  # type: ignore[arg-type]
    if cell["role"] == "other":
        values["restriction"] = restriction_gap(model, _ints(cell["restriction_agents"]),
                                                levels=int(cell["restriction_levels"]),  # type: ignore[arg-type]
                                                resolution=int(cell["restriction_resolution"]))  # type: ignore[arg-type]
    return Record.of(cell, **values)


def as_dict(record: Record) -> dict:
    """A record as the judgement reads it: the model's settings, its seed index and its values."""
    return {"cell": identity(record.cell).settings, "seed_index": record.cell.seed_index, **record.values}


def _series(record: dict, key: str) -> np.ndarray:
    return np.array([row[key] for row in record["curve"]])


def _label(record: dict) -> str:
    return f"{record['name']}|S|={record['n_states']}" + (f"#{record['seed_index']}" if "random" in record["name"] else "")


def gap_curves(records: list[dict], stated: float) -> list[dict]:
    """The report's panels (``evidence["curves"]``): the sup and the mean gap against N, log-log;
    the random |S| = 2 family as one series (a model per seed), every other model its own series,
    and the stated slope anchored at the family's mean at the first N."""
    family = [r for r in records if r["cell"]["role"] == "family"]
    grid = _series(family[0], "n_agents")
    panels = []
    for key, what in (("sup_gap", "sup over count states"), ("mean_gap", "mean over count states")):
        first = float(np.mean([_series(r, key)[0] for r in family]))
        series = [{"label": f"random |S|=2 family ({len(family)} models)", "x": grid.tolist(),
                   "y_per_seed": [_series(r, key).tolist() for r in family]}]
        series += [{"label": _label(r), "x": _series(r, "n_agents").tolist(), "y": _series(r, key).tolist()}
                   for r in records if r["cell"]["role"] == "other"]
        series.append({"label": f"stated N^{stated:g} (at the family mean, N = {grid[0]:.0f})", "x": grid.tolist(),
                       "y": (first * (grid / grid[0]) ** stated).tolist(), "reference": True})
        panels.append({"title": f"mf_limit: |V*_N - V*_∞| ({what}) against N", "xlabel": "N (agents)",
                       "ylabel": f"{key.replace('_', ' ')} |V*_N - V*_∞|", "logx": True, "logy": True,
                       "series": series})
    return panels


def judge(records: list[dict], statement: Statement, master_seed: int) -> Verdict:
    """Rate of the family's gaps, shrinkage of every model's gaps, discretisation screen (records
    as :func:`as_dict` gives them)."""
    claim = get_claim(CLAIM_ID)
    family = [r for r in records if r["cell"]["role"] == "family"]
    grid = _series(family[0], "n_agents").astype(float)
    n_first, n_last = int(grid[0]), int(grid[-1])
    judgements = [judge_rate(CLAIM_ID, "N", label=f"{key} (random |S|=2 family)", grid=grid,
                             errors=np.stack([_series(r, key) for r in family], axis=1), master_seed=master_seed)
                  for key in ("sup_gap", "mean_gap")]
    rate = rate_verdict(CLAIM_ID, judgements, quantity="the gap |V*_N - V*_∞|", reading=READING)
    shrink, max_ratio = claim.threshold("max_last_to_first"), claim.threshold("max_discretisation_ratio")
    reasons = list(rate.reasons)
    slopes, hypotheses = {}, []
    for record in records:
        sizes_n = _series(record, "n_agents")
        for key in ("sup_gap", "mean_gap"):
            values = _series(record, key)
            if values[-1] > shrink * values[0]:
                reasons.append(f"{_label(record)}: {key} only goes from {values[0]:.3g} (N={sizes_n[0]:.0f}) to "
                               f"{values[-1]:.3g} (N={sizes_n[-1]:.0f}), more than {shrink:g} x its first value")
        sup = _series(record, "sup_gap")
        slopes[_label(record)] = float(np.polyfit(np.log(sizes_n[-3:]), np.log(np.maximum(sup[-3:], 1e-300)), 1)[0])
        record["discretisation_ratio"] = float((_series(record, "discretisation") / np.maximum(sup, 1e-300)).max())
        hypotheses.append(Hypothesis(
            name=f"limit grid fine enough on {_label(record)} (|V_K - V_K/2| <= {max_ratio:g} x gap)",
            holds=record["discretisation_ratio"] <= max_ratio, measured=record["discretisation_ratio"],
            note=f"K = {record['resolution']}"))
    coarse = [h for h in hypotheses if not h.holds]
    status = "fail" if reasons else ("not_applicable" if coarse else "pass")
    restriction = [r["restriction"] for r in records if "restriction" in r]
    sup_fit, mean_fit = judgements[0].fit, judgements[1].fit
    named = {k: v for k, v in slopes.items() if not k.startswith("random_cooperative|S|=2")}
    summary = (
        f"sup gap ~ N^{sup_fit.exponent:.2f} [{sup_fit.low:.2f}, {sup_fit.high:.2f}], mean gap ~ "
        f"N^{mean_fit.exponent:.2f} on {len(family)} random |S|=2 models (N = {n_first}..{n_last}; "
        f"stated N^{judgements[0].spec.stated_exponent:g}, under {RESTRICTION})"
        + "; sup-gap slopes over the last 3 N: " + ", ".join(f"{k} {v:.2f}" for k, v in named.items())
        + "".join(f"; {r['name']}: unrestricted N-agent optimum exceeds the meta-action one by "
                  f"{r['curve'][-1]['sup']:.2g} at N={r['curve'][-1]['n_agents']} (relaxed limit - "
                  f"Def 2.1 limit: {r['limit_sup']:.2g})" for r in restriction if r["limit_sup"] > 1e-6)
    )
    return replace(
        rate,
        status=status,
        summary=summary if status != "not_applicable" else f"not applicable: {coarse[0].render()}; {summary}",
        stated=(Figure(name="statement", value=statement.text),
                Figure(name="N-agent policies", value=RESTRICTION, note="the restriction the verdict is under"),
                *rate.stated,
                Figure(name="gaps shrink over the grid", value=shrink, note="last / first <= this")),
        measured=(
            *rate.measured,
            Figure(name=f"sup gap at N={n_last} (family mean)",
                   value=float(np.mean([_series(r, "sup_gap")[-1] for r in family]))),
            *(Figure(name=f"sup-gap slope {k}", value=v, note="last 3 N") for k, v in named.items()),
            Figure(name="max discretisation / gap", value=max(r["discretisation_ratio"] for r in records)),
            *(Figure(name=f"{r['name']}: V*_all - V*_meta at N={r['curve'][-1]['n_agents']}",
                     value=r["curve"][-1]["sup"], note="sup over count states; unrestricted vs meta-action optimum")
              for r in restriction),
        ),
        reasons=tuple(reasons + [f"hypothesis violated: {h.render()}" for h in coarse]),
        hypotheses=tuple(hypotheses),
        evidence={**rate.evidence, "family": family, "others": [r for r in records if r["cell"]["role"] == "other"],
                  "slopes": slopes, "statement": statement.text, "restriction": RESTRICTION,
                  "curves": gap_curves(records, judgements[0].spec.stated_exponent)},
    )


def check(algorithm: None = None, *, profile: Profile = QUICK, statement: Statement = PAPER_STATEMENT) -> Verdict:
    """Compare V*_N with the stated limit on the profile's models and judge the gap's decay."""
    records = run_cells(cells(profile), measure, statement, profile.master_seed)
    return judge([as_dict(r) for r in records], statement, profile.master_seed)
