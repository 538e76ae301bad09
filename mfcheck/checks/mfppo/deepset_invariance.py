"""mfppo.deepset_invariance: the given MFPPO's actor and critic are permutation invariant and defined
for every N.

F(s, s_1..s_N, ā) = F(s, s_κ(1)..s_κ(N), ā) for every permutation κ, with one network evaluated at
many N (average pooling, Sec 3). The networks are the ones the MFPPO builds (its width,
initialisation and critic embedding; :mod:`mfcheck.algorithms.mfppo.agent_networks`), at their
initialisation and at a point of the projection ball. For each N of a grid: a random batch and
several random permutations per row; the largest change of the output must stay within a relative
float tolerance, and the output must exist, be finite and have one value per row. One cell per N
(:func:`mfcheck.judgement.run_cells`); each cell builds the networks from the master seed.
Reference: MF-PPO (arXiv 2105.08268) Sec 3 (Deep Sets), Sec 4 (two-layer form), App E.1.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from mfcheck.algorithms.mfppo.agent_networks import actor_and_critic
from mfcheck.algorithms.mfppo.algorithm import MFPPO, MFPPO_DEFAULT
from mfcheck.algorithms.protocol import configure
from mfcheck.judgement import (
    QUICK,
    Cell,
    Figure,
    Profile,
    Record,
    Verdict,
    get_claim,
    grid,
    run_cells,
)

CLAIM_ID = "mfppo.deepset_invariance"
DEFAULT_ALGORITHM = MFPPO_DEFAULT


@dataclass(frozen=True, kw_only=True)
class PpoDeepsetInvarianceSizes:
    """The agents' state space, the N grid and the random batches."""

    n_states: int = 5
    n_actions: int = 3
    #: numbers of other agents N at which each network is evaluated (one network for all N)
    agent_counts: tuple[int, ...] = (1, 2, 3, 5, 8, 17, 64, 257, 1000)
    #: rows (own state, others, action) per N and random permutations of each row per N
    batch: int = 32
    n_permutations: int = 8
    #: hidden width m of the networks
    width: int = 64


SIZES: dict[str, PpoDeepsetInvarianceSizes] = {
    "quick": PpoDeepsetInvarianceSizes(),
    "full": PpoDeepsetInvarianceSizes(agent_counts=(1, 2, 3, 4, 5, 8, 17, 31, 64, 100, 257, 1000, 2048), batch=64,
                  n_permutations=16, width=128),
}


#: the settings that size a cell; its random streams come from the others (what it is)
SIZE_SETTINGS = ("n_states", "n_actions", "batch", "n_permutations")


def cells(profile: Profile) -> list[Cell]:
    """One cell per N, with the batch sizes in its settings."""
    s = SIZES[profile.name]
    return grid(CLAIM_ID, agents=s.agent_counts, n_states=[s.n_states], n_actions=[s.n_actions], batch=[s.batch],
                n_permutations=[s.n_permutations])


def identity(cell: Cell) -> Cell:
    """The cell without its sizes: its batch and permutations depend on N and the seed only."""
    return Cell.of(cell.claim_id, {k: v for k, v in cell.items if k not in SIZE_SETTINGS}, cell.seed_index)


def networks_of(algorithm: MFPPO, cell: Cell, master_seed: int) -> dict:
    """The MFPPO's actor and critic (:func:`actor_and_critic`), built from the master seed: the
    same networks in every cell."""
    return actor_and_critic(algorithm, Cell.of(CLAIM_ID, {"purpose": "networks"}).rng(master_seed),
                            n_states=int(cell["n_states"]), n_actions=int(cell["n_actions"]))  # type: ignore[arg-type]


def measure(cell: Cell, algorithm: MFPPO, master_seed: int) -> Record:
    """Per network of ``algorithm``: the largest |F(κ(s)) - F(s)| over rows and permutations, the
    output's scale, or why the network is not defined at this N."""
    networks = networks_of(algorithm, cell, master_seed)
    rng = identity(cell).rng(master_seed, "batch and permutations")
    n = int(cell["agents"])  # type: ignore[arg-type]
    n_states, n_actions = int(cell["n_states"]), int(cell["n_actions"])  # type: ignore[arg-type]
    batch, n_permutations = int(cell["batch"]), int(cell["n_permutations"])  # type: ignore[arg-type]
    own = rng.integers(0, n_states, size=batch)
    others = rng.integers(0, n_states, size=(batch, n))
    action = rng.integers(0, n_actions, size=batch)
    perms = [np.argsort(rng.random((batch, n)), axis=1) for _ in range(n_permutations)]
    out: dict[str, Any] = {}
    for name, network in networks.items():
        with np.errstate(all="ignore"):
            try:
                base = np.asarray(network(own, others, action), dtype=float)
                moved = [np.asarray(network(own, np.take_along_axis(others, p, axis=1), action), dtype=float)
                         for p in perms]
            except (ValueError, IndexError, FloatingPointError) as error:
                out[name] = {"undefined": f"{type(error).__name__}: {error}"}
                continue
        if base.shape != (batch,) or not np.isfinite(base).all():
            out[name] = {"undefined": f"output of shape {base.shape}, finite: {bool(np.isfinite(base).all())}"}
            continue
        deviation = max(float(np.abs(m - base).max()) if np.isfinite(m).all() else float("inf") for m in moved)
        out[name] = {"deviation": deviation, "scale": max(1.0, float(np.abs(base).max()))}
    return Record.of(cell, networks=out)


def check(algorithm: MFPPO = DEFAULT_ALGORITHM, *, profile: Profile = QUICK) -> Verdict:
    """Permutation invariance and definition at every N of the MFPPO's actor and critic."""
    sizes = SIZES[profile.name]
    rtol = get_claim(CLAIM_ID).threshold("rtol")
    configured = configure(algorithm, width=sizes.width)
    records = run_cells(cells(profile), measure, configured.algorithm, profile.master_seed)
    names = list(records[0]["networks"])  # type: ignore[arg-type]
    agent_counts = [int(r.cell["agents"]) for r in records]  # type: ignore[arg-type]
    n_permutations = int(records[0].cell["n_permutations"])  # type: ignore[arg-type]
    reasons: list[str] = []
    measured: list[Figure] = []
    for name in names:
        per_n = {int(r.cell["agents"]): r["networks"][name] for r in records}  # type: ignore[index,arg-type]
        undefined = {n: v["undefined"] for n, v in per_n.items() if "undefined" in v}
        defined = {n: {"deviation": float(v["deviation"]), "scale": float(v["scale"])}
                   for n, v in per_n.items() if "undefined" not in v}
        reasons += [f"{name}: not defined for N = {n} ({why})" for n, why in undefined.items()]
        reasons += [f"{name}: a permutation of the N = {n} agents changes the output by {v['deviation']:.3g} "
                    f"(tolerance {rtol * v['scale']:.3g})" for n, v in defined.items()
                    if not v["deviation"] <= rtol * v["scale"]]
        worst = max((v["deviation"] for v in defined.values()), default=float("nan"))
        measured += [Figure(name=f"max |F(κ(s)) - F(s)| ({name})", value=worst, note=f"over N in {sorted(defined)}"),
                     Figure(name=f"N evaluated ({name})", value=f"{len(defined)}/{len(per_n)}")]
    passed = not reasons
    return Verdict(
        claim_id=CLAIM_ID, status="pass" if passed else "fail",
        summary=(f"the MFPPO's actor and critic ({len(names)} networks) are unchanged by {n_permutations} "
                 f"permutations per row at every N in {agent_counts}" if passed
                 else f"{len(reasons)} violations of permutation invariance or of definition at every N"),
        stated=(Figure(name="|F(κ(s)) - F(s)|", value=0.0, high=rtol, note="relative float64 tolerance"),
                Figure(name="defined for every N", value=True)),
        measured=tuple(measured),
        reading=("the networks the given MFPPO builds (its width, initialisation and critic embedding), at "
                 "the shared initialisation and at a point of the ball of radius R_A (actor) or R_Q (critic); "
                 "the agents enter through their empirical distribution (mean pooling); each network is built "
                 "from the master seed (the same in every cell) and evaluated at every N of the grid; random batches and per-row random permutations, float64"),
        reasons=tuple(reasons[:20]), overridden=configured.overridden,
        evidence={"per_n": {str(r.cell["agents"]): r["networks"] for r in records}},
    )
