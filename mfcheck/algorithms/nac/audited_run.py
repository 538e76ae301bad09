"""A run of an NAC value together with what a checker needs to judge its iterates.

:func:`audited_run` runs ``algorithm.run`` and derives, from the iterates only (never from what
the run records about itself): the steps (η_t, β_t) = ``algorithm.steps(t, T)`` of the algorithm's
own schedules (``policy_step``, ``mean_field_step`` times their scales), the policies
π_t = π_{θ_t} recomputed from θ_t on the algorithm's features, and the deviations of the iterates
from Algorithm 1's update (:func:`mfcheck.solvers.along_run.update_deviations`). A variant whose
parts do not implement Algorithm 1 (a policy update without the (1 - ηλ) decay, a mean-field step
with the wrong sign) shows there, however it records itself.

:func:`case_steps` is how the MFG-NAC checkers give each instance its steps: the paper's
algorithm (the default schedules) runs with the instance's steps (App D's per task, Theorem 1's),
a variant with its own schedules keeps them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from mfcheck.algorithms.nac.algorithm import NAC, Constant
from mfcheck.algorithms.nac.single_loop import NACTrajectory
from mfcheck.algorithms.protocol import default_of
from mfcheck.judgement.verdict import Hypothesis
from mfcheck.models import MeanFieldGame
from mfcheck.solvers.along_run import UpdateDeviations, log_linear_policies, update_deviations

Array = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class AuditedRun:
    """A trajectory, the steps the algorithm's schedules give, π_{θ_t} and the update deviations."""

    trajectory: NACTrajectory
    phi: Array  # [S, A, d] the algorithm's features on the game
    policy_steps: Array  # [T] η_t
    mean_field_steps: Array  # [T] β_t
    policies: Array  # [T+1, S, A] π_{θ_t}
    deviations: UpdateDeviations

    @property
    def recorded_policy_gap(self) -> float:
        """max |π_t recorded - π_{θ_t}| (the run's own records against the recomputed policies)."""
        return float(np.abs(self.trajectory.policies - self.policies).max())

    def conformance(self) -> dict[str, float | int]:
        """The deviations' summary and the recorded-policy gap (JSON-able, for a record)."""
        return {**self.deviations.summary(), "recorded_policy": self.recorded_policy_gap}


def schedule(algorithm: NAC) -> tuple[Array, Array]:
    """(η_t, β_t) for t < T from the algorithm's schedules and scales (``NAC.steps``)."""
    T = algorithm.n_iterations
    steps = np.array([algorithm.steps(t, T) for t in range(T)], dtype=float).reshape(T, 2)
    return steps[:, 0], steps[:, 1]


def audited_run(algorithm: NAC, game: MeanFieldGame, rng: np.random.Generator) -> AuditedRun:
    """Run ``algorithm`` on ``game`` and audit its iterates (see the module docstring)."""
    trajectory = algorithm.run(game, rng=rng)
    phi = algorithm.features(game).phi
    etas, betas = schedule(algorithm)
    policies = log_linear_policies(phi, trajectory.thetas)
    deviations = update_deviations(game, policies, trajectory.thetas, trajectory.mean_fields,
                                   trajectory.w_hats, etas, betas)
    return AuditedRun(trajectory, phi, etas, betas, policies, deviations)


def policy_step_hypothesis(lam: float, etas: Array) -> Hypothesis:
    """0 < η_t λ < 1 for every t < T (Lemma 2, used by Lemma 8), measured on the schedule."""
    products = etas * lam
    return Hypothesis(name="0 < η_t λ < 1", holds=bool(np.all(products > 0) and np.all(products < 1)),
                      measured=f"η_t λ in [{products.min():.4g}, {products.max():.4g}]")


def mean_field_step_hypothesis(betas: Array) -> Hypothesis:
    """0 <= β_t <= 1 for every t < T (μ_{t+1} a convex combination), measured on the schedule."""
    return Hypothesis(name="0 <= β_t <= 1", holds=bool(np.all(betas >= 0) and np.all(betas <= 1)),
                      measured=f"β_t in [{betas.min():.4g}, {betas.max():.4g}]")


def case_steps(algorithm: NAC, eta: float, beta: float) -> dict[str, Constant]:
    """{policy_step: Constant(η), mean_field_step: Constant(β)} when ``algorithm`` runs the
    default schedules (the paper's algorithm on an instance with its own steps), else {} (a
    variant's schedules are what is judged, so the checker keeps them). A variant's
    ``policy_step_scale`` / ``mean_field_step_scale`` multiply either."""
    default = default_of(NAC)
    own = default is not None and (algorithm.policy_step != default.policy_step
                                   or algorithm.mean_field_step != default.mean_field_step)
    return {} if own else {"policy_step": Constant(eta), "mean_field_step": Constant(beta)}
