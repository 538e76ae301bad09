"""Exact N-agent solver in count space vs joint space, and the mean-field limit beyond exact reach.

``python -m benchmarks.bench_count_space`` prints a table for ``crowd_ring`` (|S| = 3, |A| = 2,
all 8 meta-actions ā ∈ A^S): for growing N the count-space MDP (C(N+2, 2) states, kernel by
FFT of multinomial generating functions, policy iteration with sparse LU / GMRES) beside the
joint-space MDP over S^N (dense, while S^N · M · S^N <= 2·10⁷ entries), the agreement of their
optimal values, and the value-iteration reference. Beyond exact reach the N = ∞ mean-field MDP
(grid K = 256) takes over, with the error predicted by the gap law N^p fitted on the exact
range (see ``mfppo.mf_limit``).

BLAS threads: this module sets ``OPENBLAS_NUM_THREADS=1`` when it is run directly (before numpy
is imported; on this 2-core machine one thread is ~2x faster for the dense solves); under
``benchmarks.run`` the environment's setting applies. The table prints which. Wall and CPU
(process) seconds are both shown: the machine is shared, CPU time is the steadier figure.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import time
from dataclasses import dataclass

import numpy as np

#: N of the table; joint space is solved where it fits.
GRID = (2, 3, 4, 5, 6, 8, 16, 32, 48, 64)
JOINT_LIMIT = 20_000_000
REFERENCE_UP_TO = 32
LIMIT_RESOLUTION = 256


@dataclass(frozen=True)
class Row:
    n_agents: int
    count_states: int
    nonzeros: int
    build_s: float
    solve_s: float
    cpu_s: float
    reference_diff: float | None
    joint_states: int
    joint_s: float | None
    joint_diff: float | None


def _timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def measure(n_agents: int) -> Row:
    """Build and solve the count space (and the joint space where it fits) at N."""
    from mfcheck.instances.cooperative import crowd_ring
    from mfcheck.models.count_space import build_count_space_mdp
    from mfcheck.models.joint_policies import count_index
    from mfcheck.models.n_agent import NAgentMDP
    from mfcheck.solvers.count_space import optimal_solution
    from mfcheck.solvers.dynamic_programming import soft_policy_iteration

    model = crowd_ring()
    counts_mdp, build_s, build_cpu = _timed(lambda: build_count_space_mdp(model, n_agents))
    solution, solve_s, solve_cpu = _timed(lambda: optimal_solution(counts_mdp))
    reference = None
    if n_agents <= REFERENCE_UP_TO:
        vi = optimal_solution(counts_mdp, "value_iteration")
        reference = float(np.abs(vi.values - solution.values).max())
    n_joint = 3**n_agents
    joint_s = joint_diff = None
    if n_joint * 8 * n_joint <= JOINT_LIMIT:
        n_agent_mdp = NAgentMDP(model, n_agents)

        def joint():
            space = n_agent_mdp.joint_meta_action_space(max_entries=JOINT_LIMIT)
            return soft_policy_iteration(space.transition, space.reward, space.gamma)

        exact, joint_s, _ = _timed(joint)
        joint_diff = float(np.abs(solution.values[count_index(n_agent_mdp)] - exact.values).max())
    return Row(n_agents, counts_mdp.mdp.n_states, counts_mdp.mdp.transition.nnz, build_s, solve_s,
               build_cpu + solve_cpu, reference, n_joint, joint_s, joint_diff)


def limit_rows(rows: list[Row]) -> list[str]:
    """Mean-field limit solve time and the gap law fitted on the exact range."""
    from mfcheck.instances.cooperative import crowd_ring
    from mfcheck.models.mean_field_limit import MeanFieldLimit
    from mfcheck.solvers.mean_field_gap import gap_curve
    from mfcheck.solvers.mean_field_limit import solve_limit

    exact_range = [r.n_agents for r in rows if r.n_agents >= 8 and LIMIT_RESOLUTION % (2 * r.n_agents) == 0]
    record, wall, cpu = _timed(lambda: gap_curve(crowd_ring(), exact_range, LIMIT_RESOLUTION))
    sizes = np.array([c["n_agents"] for c in record["curve"]], dtype=float)
    sup = np.array([c["sup_gap"] for c in record["curve"]])
    slope, intercept = np.polyfit(np.log(sizes), np.log(sup), 1)
    _, limit_s, _ = _timed(lambda: solve_limit(MeanFieldLimit(crowd_ring()), LIMIT_RESOLUTION))
    lines = [
        f"mean-field limit (N = ∞): grid K = {LIMIT_RESOLUTION} ({(LIMIT_RESOLUTION + 1) * (LIMIT_RESOLUTION + 2) // 2} "
        f"nodes) solved in {limit_s:.2f} s; discretisation |V_K - V_K/2| <= "
        f"{max(c['discretisation'] for c in record['curve']):.1e} at the count states",
        "measured sup_n |V*_N(n) - V*_∞(n/N)| on the exact range: "
        + ", ".join(f"N={n:.0f}: {g:.3g}" for n, g in zip(sizes, sup))
        + f"  -> fitted {np.exp(intercept):.2f} · N^{slope:.2f} (gap curve {wall:.1f} s wall, {cpu:.1f} s CPU)",
        "beyond exact reach the limit value stands in for V*_N with predicted error "
        + ", ".join(f"N={n}: {np.exp(intercept) * n**slope:.1e}" for n in (128, 256, 1024, 10_000)),
        "(values E Σ γ^t r with γ = 0.9, r in [0, 1]: the value scale is r̄/(1-γ) = 10)",
    ]
    return lines


def format_table(rows: list[Row]) -> str:
    header = ("   N  count states  kernel nnz   build s   solve s     CPU s   |PI-VI|   joint S^N   joint s  |count-joint|")
    lines = [header, "-" * len(header)]
    for r in rows:
        reference = f"{r.reference_diff:9.1e}" if r.reference_diff is not None else f"{'-':>9}"
        joint_s = f"{r.joint_s:9.2f}" if r.joint_s is not None else f"{'(too big)':>9}"
        joint_diff = f"{r.joint_diff:13.1e}" if r.joint_diff is not None else f"{'-':>13}"
        lines.append(f"{r.n_agents:4d} {r.count_states:13d} {r.nonzeros:11d} {r.build_s:9.2f} {r.solve_s:9.2f} "
                     f"{r.cpu_s:9.2f} {reference} {r.joint_states:11.4g} {joint_s} {joint_diff}")
    return "\n".join(lines)


def main() -> None:
    """Print the table (the CLI entry of this benchmark)."""
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "unset")
    print(f"crowd_ring, |S| = 3, |A| = 2, M = 8 meta-actions, γ = 0.9; OPENBLAS_NUM_THREADS={threads}")
    rows = [measure(n) for n in GRID]
    print(format_table(rows))
    print()
    print("\n".join(limit_rows(rows)))


if __name__ == "__main__":
    main()
