"""Permutation invariance of MF-PPO's actor/critic, and their definition for every N.

F(s, s_1..s_N, a) = F(s, s_κ(1)..s_κ(N), a) for every permutation κ (Sec 3), with one network
evaluated at many N (average pooling, Sec 3 and App E). Checked on three architectures: the
two-layer form of Sec 4 in both normalisations (App E's mean over agents and Sec 4's
(mN)^-1/2 double sum) and the general DeepSet h(mean_i φ). For each N in a grid: a random
batch, several random permutations per row; the largest change of the output must stay within
floating-point tolerance. For mean pooling, F(s, s, a) must also equal the population network
at the empirical distribution of s (F is a function of the empirical measure, Prop 2.2).
Reference: MF-PPO (arXiv 2105.08268) Sec 3 (Deep Sets), Sec 4 (two-layer form), App E.1.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from mfcheck.judgement.profile import Profile
from mfcheck.judgement.verdict import Figure, Verdict
from mfcheck.stats import stream

CLAIM_ID = "mfppo.deepset_invariance"
#: Relative tolerance: a permutation only reorders a sum of N float64 terms.
RTOL = 1e-10

Network = Callable[[Any, Any, Any], Any]


@dataclass(frozen=True, kw_only=True)
class Config:
    """Sizes of one run of the invariance check."""

    n_states: int = 5
    """|S|."""
    n_actions: int = 3
    """|Ā|."""
    agent_counts: tuple[int, ...] = (1, 2, 3, 5, 8, 17, 64, 257, 1000)
    """Numbers of other agents N at which each network is evaluated (one network for all N)."""
    batch: int = 32
    """Rows (own state, others, action) per N."""
    n_permutations: int = 8
    """Random permutations of each row's agents per N."""
    width: int = 64
    """Hidden width of the networks."""

    def __post_init__(self) -> None:
        if min(self.agent_counts) < 1 or self.batch < 1 or self.n_permutations < 1:
            raise ValueError(
                f"Config: agent_counts {self.agent_counts}, batch {self.batch}, "
                f"n_permutations {self.n_permutations} must be >= 1"
            )


CONFIGS: dict[str, Config] = {
    "quick": Config(),
    "full": Config(agent_counts=(1, 2, 3, 4, 5, 8, 17, 31, 64, 100, 257, 1000, 2048),
                   batch=64, n_permutations=16, width=128),
}


def invariance_report(
    network: Network,
    *,
    n_states: int,
    n_actions: int,
    agent_counts: Sequence[int],
    batch: int,
    n_permutations: int,
    rng: np.random.Generator,
) -> dict[str, Any]:
    """Evaluate ``network`` on random batches and permuted copies for every N.

    Returns a dict with, per N, the largest |F(κ(s)) - F(s)| (``deviation``), the tolerance
    used, and the N at which the network could not be evaluated (``undefined``, with the error).
    """
    import torch

    deviations: dict[int, float] = {}
    tolerances: dict[int, float] = {}
    undefined: dict[int, str] = {}
    for n in agent_counts:
        own = torch.as_tensor(rng.integers(0, n_states, size=batch))
        others = torch.as_tensor(rng.integers(0, n_states, size=(batch, n)))
        action = torch.as_tensor(rng.integers(0, n_actions, size=batch))
        try:
            with torch.no_grad():
                base = torch.as_tensor(network(own, others, action))
        except (ValueError, RuntimeError, IndexError) as error:
            undefined[n] = f"{type(error).__name__}: {error}"
            continue
        if base.shape != (batch,) or not bool(torch.isfinite(base).all()):
            undefined[n] = f"output of shape {tuple(base.shape)} (finite: {bool(torch.isfinite(base).all())})"
            continue
        worst = 0.0
        for _ in range(n_permutations):
            perm = torch.as_tensor(np.argsort(rng.random((batch, n)), axis=1))
            with torch.no_grad():
                moved = torch.as_tensor(network(own, others.gather(1, perm), action))
            worst = max(worst, float((moved - base).abs().max()))
        deviations[n] = worst
        tolerances[n] = RTOL * max(1.0, float(base.abs().max()))
    return {"deviation": deviations, "tolerance": tolerances, "undefined": undefined}


def check_deepset_invariance(
    networks: dict[str, Network],
    *,
    config: Config,
    rng: np.random.Generator,
) -> Verdict:
    """Check permutation invariance and definition at every N for each named network."""
    reports = {
        name: invariance_report(
            net, n_states=config.n_states, n_actions=config.n_actions,
            agent_counts=config.agent_counts, batch=config.batch,
            n_permutations=config.n_permutations, rng=rng,
        )
        for name, net in networks.items()
    }
    reasons: list[str] = []
    measured: list[Figure] = []
    for name, report in reports.items():
        for n, message in report["undefined"].items():
            reasons.append(f"{name}: not defined for N = {n} ({message})")
        broken = {n: d for n, d in report["deviation"].items() if d > report["tolerance"][n]}
        for n, d in broken.items():
            reasons.append(
                f"{name}: a permutation of the N = {n} agents changes the output by {d:.3g} "
                f"(tolerance {report['tolerance'][n]:.3g})"
            )
        devs = list(report["deviation"].values())
        measured.append(
            Figure(name=f"max |F(κ(s)) - F(s)| ({name})", value=max(devs) if devs else float("nan"),
                   note=f"over N in {sorted(report['deviation'])}")
        )
        measured.append(
            Figure(name=f"N evaluated ({name})", value=f"{len(report['deviation'])}/{len(config.agent_counts)}")
        )
    status = "fail" if reasons else "pass"
    summary = (
        f"{len(networks)} networks unchanged by {config.n_permutations} permutations per row at "
        f"every N in {list(config.agent_counts)}"
        if status == "pass"
        else f"{len(reasons)} violations of permutation invariance or of definition at every N"
    )
    return Verdict(
        claim_id=CLAIM_ID,
        status=status,
        summary=summary,
        stated=(
            Figure(name="|F(κ(s)) - F(s)|", value=0.0, high=RTOL, note="relative float64 tolerance"),
            Figure(name="defined for every N", value=True),
        ),
        measured=tuple(measured),
        reading=(
            "one network per architecture, evaluated at every N of the grid (no retraining); "
            "two-layer Sec 4 form in App E's mean normalisation and Sec 4's (mN)^-1/2 one, and the "
            "general DeepSet h(mean φ); random batches and per-row random permutations, float64"
        ),
        reasons=tuple(reasons[:20]),
        evidence={name: {k: {str(n): v for n, v in d.items()} for k, d in r.items()}
                  for name, r in reports.items()},
    )


def paper_networks(config: Config, seed: int) -> dict[str, Network]:
    """The three architectures of Sec 3/Sec 4 under test (explicit torch generators)."""
    import torch

    from mfcheck.algorithms.mfppo.encoding_torch import OneHotEncoder
    from mfcheck.algorithms.mfppo.networks_torch import DeepSet, TwoLayerDeepSet

    encoder = OneHotEncoder(config.n_states, config.n_actions)
    generator = torch.Generator().manual_seed(seed)
    two_layer = TwoLayerDeepSet(encoder, config.width, generator=generator, pooling="mean")
    return {
        "two-layer, mean (App E)": two_layer,
        "two-layer, linearised (Def 4.1)": two_layer.forward_linearised,
        "two-layer, (mN)^-1/2 (Sec 4)": TwoLayerDeepSet(
            encoder, config.width, generator=generator, pooling="sqrt_sum"
        ),
        "DeepSet h(mean φ) (Sec 3)": DeepSet(
            encoder, generator=generator, phi_sizes=(config.width, 16), rho_sizes=(config.width,)
        ),
    }


def empirical_measure_gap(network: Any, config: Config, rng: np.random.Generator) -> float:
    """max |F(s, s, a) - F(s, d̂_s, a)| over a batch and every N: a mean-pooled network is a
    function of the empirical distribution d̂ of the others (Prop 2.2), via ``network.population``."""
    import torch

    worst = 0.0
    for n in config.agent_counts:
        own = torch.as_tensor(rng.integers(0, config.n_states, size=config.batch))
        others = torch.as_tensor(rng.integers(0, config.n_states, size=(config.batch, n)))
        action = torch.as_tensor(rng.integers(0, config.n_actions, size=config.batch))
        counts = torch.nn.functional.one_hot(others, config.n_states).sum(dim=1)
        with torch.no_grad():
            pooled = network(own, others, action)
            population = network.population(own, counts.to(torch.float64) / n, action)
        worst = max(worst, float((pooled - population).abs().max()) / max(1.0, float(pooled.abs().max())))
    return worst


def run(profile: Profile) -> Verdict:
    """CLI entry: the paper's architectures on the profile's grid of N."""
    from dataclasses import replace

    import torch

    torch.set_num_threads(1)
    config = CONFIGS[profile.name]
    rng = stream(profile.master_seed, label=CLAIM_ID)
    networks = paper_networks(config, int(rng.integers(0, 2**62)))
    verdict = check_deepset_invariance(networks, config=config, rng=rng)
    gaps = {
        name: empirical_measure_gap(networks[name], config, rng)
        for name in ("two-layer, mean (App E)", "DeepSet h(mean φ) (Sec 3)")
    }
    bad = tuple(
        f"{name}: F(s, s, a) differs from F(s, empirical(s), a) by {gap:.3g} (relative)"
        for name, gap in gaps.items()
        if gap > RTOL
    )
    return replace(
        verdict,
        status="fail" if bad or verdict.status == "fail" else "pass",
        measured=(
            *verdict.measured,
            *(Figure(name=f"max |F(s, s) - F(s, d̂_s)| ({n})", value=g) for n, g in gaps.items()),
        ),
        reasons=verdict.reasons + bad,
        evidence={**verdict.evidence, "empirical_measure_gap": gaps},
    )
