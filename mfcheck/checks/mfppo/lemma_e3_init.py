"""Proof of Lemma E.3: E_init[f_β(0)(x)²] <= 1 for every input with ‖x‖ <= 1.

f_β(0)(x) = m^-1/2 Σ_j u_j relu(β_j(0)^T x) with u_j ~ Unif{-1, +1}, β_j(0) ~ N(0, I_d/d).
Monte Carlo over fresh initialisations, input by input, with one-sided Student-t bounds at
family-wise level ``alpha`` (Bonferroni over the inputs). The claim fails only when some
input's *lower* bound exceeds 1 (a violation beyond noise); an upper bound above 1 with a lower
bound below is reported as inconclusive, not as a failure. The exact value is known,
E relu(w^T x)² = σ² ‖x‖²/2 (= ‖x‖²/(2d) for σ² = 1/d), and each network's Monte Carlo mean is
compared with its closed form (``init_second_moment``) when the network provides one.
Reference: MF-PPO (arXiv 2105.08268) proof of Lemma E.3, Assumption 3.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from mfcheck.judgement.profile import Profile
from mfcheck.judgement.verdict import Figure, Verdict
from mfcheck.stats import stream

if TYPE_CHECKING:
    import torch

    from mfcheck.algorithms.mfppo.encoding_torch import OneHotEncoder
    from mfcheck.algorithms.mfppo.networks_torch import TwoLayerDeepSet

    NetworkFactory = Callable[[OneHotEncoder, int, torch.Generator], TwoLayerDeepSet]

CLAIM_ID = "mfppo.lemma_e3_init"
BOUND = 1.0
NORM_TOLERANCE = 1e-12


@dataclass(frozen=True, kw_only=True)
class Config:
    """Sizes of one run of the Lemma E.3 initialisation check."""

    n_states: int = 4
    """|S| of the default inputs (scaled one-hots, ‖x‖ = 1, d = 2|S| + |Ā|)."""
    n_actions: int = 2
    """|Ā|."""
    width: int = 64
    """m (the second moment does not depend on m)."""
    n_inits: int = 4000
    """Independent initialisations (Monte Carlo sample size per input)."""
    alpha: float = 1e-3
    """Family-wise error level of the one-sided bounds (Bonferroni over inputs)."""

    def __post_init__(self) -> None:
        if self.n_inits < 30:
            raise ValueError(f"Config.n_inits: need >= 30 initialisations, got {self.n_inits}")
        if not 0 < self.alpha < 0.5:
            raise ValueError(f"Config.alpha: must lie in (0, 0.5), got {self.alpha}")


CONFIGS: dict[str, Config] = {
    "quick": Config(),
    "full": Config(n_states=6, n_actions=3, width=256, n_inits=40000),
}


def default_network(encoder: OneHotEncoder, width: int, generator: torch.Generator) -> TwoLayerDeepSet:
    """The paper's two-layer network (u_j ~ ±1, β_j(0) ~ N(0, I/d))."""
    from mfcheck.algorithms.mfppo.networks_torch import TwoLayerDeepSet

    return TwoLayerDeepSet(encoder, width, generator=generator)


def init_second_moments(
    factory: NetworkFactory,
    encoder: OneHotEncoder,
    inputs: torch.Tensor,
    *,
    width: int,
    n_inits: int,
    generator: torch.Generator,
) -> np.ndarray:
    """samples[k, i] = f_β(0)(x_i)² for ``n_inits`` fresh initialisations, shape [K, n]."""
    import torch

    with torch.no_grad():
        rows = [factory(encoder, width, generator).pointwise(inputs).pow(2) for _ in range(n_inits)]
    return torch.stack(rows).numpy()


def check_lemma_e3_init(
    factory: NetworkFactory | None = None,
    *,
    config: Config,
    master_seed: int,
    encoder: OneHotEncoder | None = None,
    inputs: torch.Tensor | None = None,
) -> Verdict:
    """Monte Carlo check of E_init[f_β(0)(x)²] <= 1 for each input x (default: every encoding).

    Returns ``not_applicable`` when an input has ‖x‖ > 1 (Assumption 3 fails).
    """
    import torch
    from scipy import stats

    from mfcheck.algorithms.mfppo.encoding_torch import OneHotEncoder
    from mfcheck.checks.mfppo._lemma_e_torch import torch_generator

    torch.set_num_threads(1)
    factory = factory or default_network
    encoder = encoder or OneHotEncoder(config.n_states, config.n_actions)
    x = encoder.table.reshape(-1, encoder.dim) if inputs is None else inputs
    norms = torch.linalg.vector_norm(x, dim=-1).numpy()
    reading = (
        "per input x (stronger than the average over x in the proof); E_init by Monte Carlo "
        f"over {config.n_inits} initialisations, one-sided t bounds at family-wise level "
        f"{config.alpha:g}; fail only if a lower bound exceeds 1"
    )
    if (norms > 1 + NORM_TOLERANCE).any():
        worst = int(np.argmax(norms))
        return Verdict(
            claim_id=CLAIM_ID,
            status="not_applicable",
            summary="an input violates Assumption 3 (‖x‖ <= 1): the claim says nothing about it",
            stated=(Figure(name="max ‖x‖ allowed", value=1.0),),
            measured=(Figure(name="max ‖x‖", value=float(norms.max())),),
            reading=reading,
            reasons=(f"input {worst} has ‖x‖ = {norms[worst]:.6g} > 1",),
            evidence={"norms": norms.tolist()},
        )
    generator = torch_generator(stream(master_seed, label=CLAIM_ID))
    samples = init_second_moments(
        factory, encoder, x, width=config.width, n_inits=config.n_inits, generator=generator
    )
    n, k = samples.shape[1], samples.shape[0]
    mean = samples.mean(axis=0)
    se = samples.std(axis=0, ddof=1) / np.sqrt(k)
    t_one = stats.t.ppf(1 - config.alpha / n, df=k - 1)
    upper, lower = mean + t_one * se, mean - t_one * se
    net = factory(encoder, config.width, torch.Generator().manual_seed(0))
    exact = None
    if hasattr(net, "init_second_moment"):
        exact = net.init_second_moment(x).detach().numpy()
    reasons: list[str] = []
    worst = int(np.argmax(lower))
    if lower[worst] > BOUND:
        reasons.append(
            f"input {worst}: E_init f² >= {lower[worst]:.4g} (lower bound; mean {mean[worst]:.4g}) > 1"
        )
    if exact is not None:
        t_two = stats.t.ppf(1 - config.alpha / (2 * n), df=k - 1)
        z = np.abs(mean - exact) / se
        if (z > t_two).any():
            bad = int(np.argmax(z))
            reasons.append(
                f"input {bad}: Monte Carlo mean {mean[bad]:.4g} disagrees with the closed form "
                f"{exact[bad]:.4g} ({z[bad]:.1f} standard errors): initialisation or network defect"
            )
    top = int(np.argmax(upper))
    status = "fail" if reasons else "pass"
    if status == "pass":
        summary = (
            f"E_init f² <= {upper[top]:.4g} (upper bound) at every input, far below 1"
            if upper[top] <= BOUND
            else f"no input exceeds 1 beyond noise (largest upper bound {upper[top]:.4g}: inconclusive)"
        )
    else:
        summary = "E_init[f_β(0)(x)²] exceeds 1 at some input with ‖x‖ <= 1" if lower[worst] > BOUND else (
            "the Monte Carlo second moment disagrees with the closed form"
        )
    measured = [
        Figure(name="max_x E_init f(x)²", value=float(mean[top]), low=float(lower[top]), high=float(upper[top]),
               note=f"one-sided t bounds, family-wise level {config.alpha:g}"),
        Figure(name="max ‖x‖", value=float(norms.max())),
    ]
    if exact is not None:
        measured.append(Figure(name="closed form max_x σ²‖x‖²/2", value=float(exact.max())))
    return Verdict(
        claim_id=CLAIM_ID,
        status=status,
        summary=summary,
        stated=(Figure(name="E_init f_β(0)(x)² bound", value=BOUND, note="for ‖x‖ <= 1"),),
        measured=tuple(measured),
        reading=reading,
        reasons=tuple(reasons),
        evidence={
            "mean": mean.tolist(), "lower": lower.tolist(), "upper": upper.tolist(),
            "closed_form": None if exact is None else exact.tolist(), "norms": norms.tolist(),
            "n_inits": k, "width": config.width, "input_dim": int(x.shape[-1]),
        },
    )


def run(profile: Profile) -> Verdict:
    """CLI entry: every scaled one-hot input of the profile's encoder."""
    return check_lemma_e3_init(config=CONFIGS[profile.name], master_seed=profile.master_seed)
