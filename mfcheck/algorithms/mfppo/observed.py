"""An MF-PPO run whose inner calls are observed: what the loop passes to its parts and gets back.

:func:`observe` wraps the given algorithm's ``policy_evaluation``, ``proximal_target`` and
``policy_improvement`` in recorders that call the original part unchanged and keep its inputs
and outputs (the network, the samples, the critic θ_k, the schedule values τ_k, τ_{k+1}, v_k
the loop handed to the proximal update, the target and the actor α_{k+1}). A checker then
recomputes Algorithm 1's quantities from these iterates instead of trusting what the
algorithm reports about itself (its recorded temperatures or errors).
Reference: MF-PPO Alg 1-3, Prop 3.2.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from mfcheck.algorithms.mfppo.algorithm import MFPPO, Embedding
from mfcheck.algorithms.mfppo.batched_network import BatchedDeepSet
from mfcheck.algorithms.mfppo.problem import Array
from mfcheck.algorithms.mfppo.projected_sgd import ProjectedSGDConfig, ProjectedSGDHistory
from mfcheck.algorithms.mfppo.sampling import Batch


@dataclass(frozen=True, kw_only=True, eq=False)
class Calls:
    """Every observed call of one run, in call order (one entry per outer iteration k)."""

    evaluations: list[dict[str, Any]] = field(default_factory=list)
    targets: list[dict[str, Any]] = field(default_factory=list)
    improvements: list[dict[str, Any]] = field(default_factory=list)


def observe(algorithm: MFPPO) -> tuple[MFPPO, Calls]:
    """``algorithm`` with its three inner parts wrapped in recorders, and the record they fill."""
    calls = Calls()
    evaluate, target_of, improve = (algorithm.policy_evaluation, algorithm.proximal_target,
                                    algorithm.policy_improvement)

    def policy_evaluation(network: BatchedDeepSet, inner: ProjectedSGDConfig, batch: Batch, gamma: float,
                          embed: Embedding) -> ProjectedSGDHistory:
        out = evaluate(network, inner, batch, gamma, embed)
        calls.evaluations.append({"network": network, "batch": batch, "embed": embed, "theta": out.output})
        return out

    def proximal_target(critic: Array, actor: Array, tau: float, tau_next: float, proximity: float) -> Array:
        out = target_of(critic, actor, tau, tau_next, proximity)
        calls.targets.append({"tau": float(tau), "tau_next": float(tau_next), "proximity": float(proximity)})
        return out

    def policy_improvement(network: BatchedDeepSet, inner: ProjectedSGDConfig, batch: Batch,
                           target: Array) -> ProjectedSGDHistory:
        out = improve(network, inner, batch, target)
        calls.improvements.append({"network": network, "batch": batch, "target": target, "alpha": out.output})
        return out

    wrapped = replace(algorithm, policy_evaluation=policy_evaluation, proximal_target=proximal_target,
                      policy_improvement=policy_improvement)
    return wrapped, calls
