"""Wall time of Algorithm 1 (single-loop NAC) with exact oracles: 10^4 iterations on SIS and LQ.

Run: ``python benchmarks/bench_nac.py [--iterations N]``. Prints one line per task with the
seconds, the time per iteration and the final exploitability (a sanity check that the run
converged). Reference (2-core box, numpy 2.4): LQ (25 states, 7 actions, d = 175) about 5 s,
SIS about 2 s for 10^4 iterations.
"""

from __future__ import annotations

import argparse

from mfcheck.algorithms.nac import NACConfig, one_hot_features, run_nac
from mfcheck.instances import linear_quadratic, sis
from mfcheck.solvers import exploitability


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--iterations", type=int, default=10_000)
    args = parser.parse_args()
    for game in (sis(), linear_quadratic()):
        features = one_hot_features(game.n_states, game.n_actions)
        config = NACConfig.paper(game.name, args.iterations)
        run = run_nac(game, features, config)
        gap = exploitability(game, run.policies[-1])
        print(
            f"{game.name:<18} T={args.iterations:>6}  {run.seconds:6.2f} s  "
            f"{1e6 * run.seconds / args.iterations:7.1f} us/iter  exploitability {gap:.2e}"
        )


if __name__ == "__main__":
    main()
