"""Shared plumbing of the MF-PPO invariance checks on exact joint-space models (Props 2.1, 2.2).

Both checks measure residuals on N-agent cooperative models (presets and seeded random models),
one record per model, and fail on every residual above ``tolerance · r̄/(1-γ)``; this module
holds their configuration, the instances, the record's header and the screening of records.
Reference: MF-PPO (arXiv 2105.08268) Props 2.1-2.2, App C.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from mfcheck.instances.cooperative import PRESETS, random_cooperative_model
from mfcheck.judgement import Verdict
from mfcheck.models.n_agent import NAgentMDP
from mfcheck.stats import seed_streams

#: (record key, what a residual above the tolerance means)
Conclusions = Sequence[tuple[str, str]]


@dataclass(frozen=True, kw_only=True)
class Config:
    """Sizes of the quick and full runs."""

    random_instances: tuple[tuple[int, int, int], ...]
    """(|S|, |A|, N) of the random cooperative models (one seed each)."""
    presets: tuple[tuple[str, int], ...]
    """(preset name, N)."""
    n_policies: int
    """Random policies per instance (per family where a check has several)."""
    tolerance: float = 1e-9
    """Residuals must be <= tolerance · r̄ / (1 - γ)."""

    def __post_init__(self) -> None:
        if self.n_policies < 0 or not 0 < self.tolerance < 1:
            raise ValueError(f"Config: n_policies >= 0 and 0 < tolerance < 1 needed, got {self!r}")
        unknown = [name for name, _ in self.presets if name not in PRESETS]
        if unknown:
            raise ValueError(f"Config.presets: unknown {unknown}; known {sorted(PRESETS)}")


def n_agent_instances(config: Config, master_seed: int, *, label: str) -> list[NAgentMDP]:
    """The presets and the seeded random models of a configuration (streams labelled ``label``)."""
    streams = seed_streams(master_seed, len(config.random_instances), label=label)
    models = [NAgentMDP(PRESETS[name](), n) for name, n in config.presets]
    models += [
        NAgentMDP(random_cooperative_model(rng, s, a), n)
        for (s, a, n), rng in zip(config.random_instances, streams)
    ]
    return models


def run_check(check: Callable[..., Verdict], claim_id: str, config: Config, master_seed: int) -> Verdict:
    """``check`` on a configuration's instances, policies drawn from the stream ``<claim_id>/policies``."""
    rng = seed_streams(master_seed, 1, label=f"{claim_id}/policies")[0]
    return check(
        n_agent_instances(config, master_seed, label=claim_id), rng=rng,
        n_policies=config.n_policies, tolerance=config.tolerance,
    )


def as_models(models: NAgentMDP | Sequence[NAgentMDP]) -> list[NAgentMDP]:
    """One model or several, as a list."""
    return [models] if isinstance(models, NAgentMDP) else list(models)


def record_header(n_agent_mdp: NAgentMDP, gamma: float, **sizes: int) -> dict[str, object]:
    """The model's name and sizes, then ``sizes``, then the residual scale r̄/(1-γ)."""
    return {
        "name": n_agent_mdp.model.name,
        "n_states": n_agent_mdp.n_states,
        "n_actions": n_agent_mdp.n_actions,
        "n_agents": n_agent_mdp.n_agents,
        **sizes,
        "scale": n_agent_mdp.model.reward_bound / (1.0 - gamma),
    }


def violations(
    records: Sequence[dict],
    conclusions: Conclusions,
    tolerance: float,
    *,
    detail: Callable[[dict], str] = lambda record: "",
) -> list[str]:
    """One reason per (record, conclusion) whose residual exceeds ``tolerance · scale``.

    ``detail(record)`` is appended to each of the record's reasons.
    """
    reasons = []
    for record in records:
        limit = tolerance * record["scale"]
        label = f"{record['name']} (|S|={record['n_states']}, |A|={record['n_actions']}, N={record['n_agents']})"
        reasons += [
            f"{label}: {message}: {key} = {record[key]:.3g} > {limit:.3g}{detail(record)}"
            for key, message in conclusions
            if record[key] > limit
        ]
    return reasons


def worst_relative(records: Sequence[dict], conclusions: Conclusions) -> dict[str, float]:
    """Each conclusion's largest residual over the records, in units of the record's scale."""
    return {key: max(r[key] / r["scale"] for r in records) for key, _ in conclusions}
