"""mfgnac.compatible_fa: the log-linear score and the 1-smoothness of log π_θ (App B.1-B.2).

(i) ∇_θ log π_θ(a|s) = φ_{s,a} - Σ_a' π_θ(a'|s) φ_{s,a'} (App B.2), checked against central
finite differences of log π_θ (no autograd); (ii) log π_θ(a|s) is 1-smooth in θ when
‖φ‖ <= 1 (App B.1, first step of Lemma 1): the Hessian -Cov_{π(·|s)}[φ] has spectral norm
<= 1, checked with the closed-form Hessian cross-checked by finite differences of the score.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from mfcheck.algorithms.nac import (
    Features,
    log_policy,
    log_policy_hessian,
    one_hot_features,
    polynomial_features,
    random_features,
    score_function,
)
from mfcheck.judgement import Figure, Profile, Verdict
from mfcheck.stats import seed_streams

CLAIM_ID = "mfgnac.compatible_fa"
ScoreFn = Callable[[Features, np.ndarray], np.ndarray]


@dataclass(frozen=True, kw_only=True)
class Config:
    """Per-profile sizes."""

    n_thetas: int
    """Random θ per feature map."""
    theta_scale: float
    """θ ~ N(0, theta_scale² I)."""


CONFIGS = {"quick": Config(n_thetas=20, theta_scale=3.0), "full": Config(n_thetas=200, theta_scale=3.0)}


def _policy_score(features: Features, theta: np.ndarray) -> np.ndarray:
    return score_function(features, np.exp(log_policy(features, theta)))


def numeric_score(features: Features, theta: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """Central finite differences of log π_θ(a|s) in θ, shape [S, A, d]."""
    eye = np.eye(features.dim)
    cols = [(log_policy(features, theta + h * e) - log_policy(features, theta - h * e)) / (2 * h) for e in eye]
    return np.stack(cols, axis=-1)


def numeric_hessian(features: Features, theta: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Central finite differences of the analytic score, shape [S, A, d, d]."""
    eye = np.eye(features.dim)
    cols = [
        (_policy_score(features, theta + h * e) - _policy_score(features, theta - h * e)) / (2 * h)
        for e in eye
    ]
    return np.stack(cols, axis=-1)


def check_compatible_fa(
    features: Features,
    thetas: np.ndarray,
    *,
    score_fn: ScoreFn = _policy_score,
    label: str = "features",
) -> Verdict:
    """Check the score formula (``score_fn``) and the 1-smoothness on ``thetas`` [n, d]."""
    score_err = 0.0
    hess_err = 0.0
    hess_norm = 0.0
    for theta in np.atleast_2d(thetas):
        claimed = score_fn(features, theta)
        numeric = numeric_score(features, theta)
        score_err = max(score_err, float(np.abs(claimed - numeric).max()))
        closed = log_policy_hessian(features, np.exp(log_policy(features, theta)))  # [S, d, d]
        fd = numeric_hessian(features, theta)  # [S, A, d, d]
        hess_err = max(hess_err, float(np.abs(fd - closed[:, None]).max()))
        hess_norm = max(hess_norm, float(np.linalg.norm(closed, ord=2, axis=(1, 2)).max()))
    feature_norm = features.max_norm
    reasons = []
    if score_err > 1e-6:
        reasons.append(f"score formula differs from finite differences by {score_err:.3g}")
    if hess_err > 1e-5:
        reasons.append(f"closed-form Hessian differs from finite differences by {hess_err:.3g}")
    if hess_norm > 1 + 1e-12:
        reasons.append(
            f"log π_θ is not 1-smooth: Hessian spectral norm {hess_norm:.4g} > 1 "
            f"(max ‖φ‖ = {feature_norm:.4g})"
        )
    status = "fail" if reasons else "pass"
    return Verdict(
        claim_id=CLAIM_ID,
        status=status,
        summary=(
            f"{label}: score error {score_err:.2e}; max ‖∇² log π‖ = {hess_norm:.4f} "
            f"(‖φ‖ <= {feature_norm:.4g})"
        ),
        stated=(Figure(name="smoothness constant", value=1.0),),
        measured=(
            Figure(name="max |score - finite differences|", value=score_err),
            Figure(name="max ‖∇²_θ log π_θ‖_2", value=hess_norm),
            Figure(name="max |Hessian - finite differences|", value=hess_err),
        ),
        reasons=tuple(reasons),
        evidence={
            "score_error": score_err,
            "hessian_error": hess_err,
            "hessian_norm": hess_norm,
            "feature_norm": feature_norm,
            "n_thetas": int(np.atleast_2d(thetas).shape[0]),
        },
    )


def feature_maps(rng: np.random.Generator) -> dict[str, Features]:
    """The package's feature builders at small sizes (the ones Algorithm 1 uses)."""
    return {
        "one_hot(3x3)": one_hot_features(3, 3),
        "random(4x3, d=5)": random_features(rng, 4, 3, 5),
        "polynomial(LQ positions, actions)": polynomial_features(np.arange(-3, 4), np.arange(-2, 3)),
    }


def run(profile: Profile) -> Verdict:
    """Check the three feature builders on random θ."""
    config = CONFIGS[profile.name]
    rng = seed_streams(profile.master_seed, 1, label=CLAIM_ID)[0]
    verdicts = []
    for label, feats in feature_maps(rng).items():
        thetas = config.theta_scale * rng.standard_normal((config.n_thetas, feats.dim))
        thetas[0] = 0.0
        verdicts.append(check_compatible_fa(feats, thetas, label=label))
    status = "fail" if any(v.status == "fail" for v in verdicts) else "pass"
    return Verdict(
        claim_id=CLAIM_ID,
        status=status,
        summary="; ".join(v.summary for v in verdicts),
        stated=verdicts[0].stated,
        measured=tuple(
            Figure(name=f"{lbl}: {f.name}", value=f.value)
            for lbl, v in zip(feature_maps(rng), verdicts)
            for f in v.measured[:2]
        ),
        reading=(
            "score by central differences (h = 1e-6, tolerance 1e-6); Hessian = -Cov_{π(·|s)}[φ] "
            "cross-checked by differences of the score (tolerance 1e-5); smoothness: max spectral "
            "norm over s, θ <= 1"
        ),
        reasons=tuple(r for v in verdicts for r in v.reasons),
        evidence={lbl: v.evidence for lbl, v in zip(feature_maps(rng), verdicts)},
    )
