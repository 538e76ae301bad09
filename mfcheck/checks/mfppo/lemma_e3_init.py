"""mfppo.lemma_e3_init: E_init[f_β(0)(x)²] <= 1 for every input with ‖x‖ <= 1 (a network claim).

f_β(0)(x) = m^-1/2 Σ_j u_j relu(β_j(0)^T x) with u_j ~ Unif{-1, +1}, β_j(0) ~ N(0, I_d/d). Monte Carlo
over fresh initialisations, input by input, with one-sided Student-t bounds at family-wise level
``alpha`` (Bonferroni over the inputs). The statement fails only when some input's *lower* bound
exceeds the stated bound (a violation beyond noise); an upper bound above it with a lower bound
below is reported as inconclusive. The Monte Carlo mean is also compared with the closed form
E relu(w^T x)² = σ² ‖x‖²/2 (a network defect otherwise). Judges no algorithm: its honest mutant is
a wrong statement of the bound. The Monte Carlo is one cell (:func:`mfcheck.judgement.run_cells`)
whose record holds, per input, the sample mean and standard deviation of f² and the closed form;
the judgement applies the statement's bound to them.
Reference: MF-PPO (arXiv 2105.08268) proof of Lemma E.3, Assumption 3.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from mfcheck.judgement import (
    QUICK,
    Cell,
    Figure,
    Hypothesis,
    Profile,
    Record,
    Verdict,
    get_claim,
    grid,
    not_applicable,
    run_cells,
)
from mfcheck.judgement.statement import Statement

CLAIM_ID = "mfppo.lemma_e3_init"
#: The proof's bound, as a function of (‖x‖², d): E_init f_β(0)(x)² <= 1 for ‖x‖ <= 1
PAPER_STATEMENT = Statement(text="E_init f_β(0)(x)² <= 1 for ‖x‖ <= 1", value=lambda norm_sq, dim: 1.0)


@dataclass(frozen=True, kw_only=True)
class PpoLemmaE3InitSizes:
    """Inputs and Monte Carlo size."""

    #: |S|, |Ā| of the inputs (scaled one-hots, ‖x‖ = 1, d = 2|S| + |Ā|)
    n_states: int = 4
    n_actions: int = 2
    #: m (the second moment does not depend on m)
    width: int = 64
    #: independent initialisations (Monte Carlo sample size per input)
    n_inits: int = 4000
    #: ‖x‖ of every encoded input (Assumption 3 needs <= 1)
    input_norm: float = 1.0


SIZES: dict[str, PpoLemmaE3InitSizes] = {"quick": PpoLemmaE3InitSizes(), "full": PpoLemmaE3InitSizes(n_states=6, n_actions=3, width=256, n_inits=40000)}


#: the settings that size the cell; its initialisations come from the others (what it is)
SIZE_SETTINGS = ("n_states", "n_actions", "width", "n_inits", "input_norm")


def cells(profile: Profile) -> list[Cell]:
    """One cell: every input of the profile's encoder, ``n_inits`` initialisations."""
    s = SIZES[profile.name]
    return grid(CLAIM_ID, seeds=1, inputs=["scaled one-hots"], n_states=[s.n_states], n_actions=[s.n_actions],
                width=[s.width], n_inits=[s.n_inits], input_norm=[s.input_norm])


def identity(cell: Cell) -> Cell:
    """The cell without its sizes."""
    return Cell.of(cell.claim_id, {k: v for k, v in cell.items if k not in SIZE_SETTINGS}, cell.seed_index)


def encoder_of(cell: Cell) -> Any:
    """The cell's input encoder (scaled one-hots of (s, s', a), ‖x‖ = input_norm)."""
    from mfcheck.algorithms.mfppo.encoding_torch import OneHotEncoder

    return OneHotEncoder(int(cell["n_states"]), int(cell["n_actions"]), norm=float(cell["input_norm"]))  # type: ignore[arg-type]


def measure(cell: Cell, algorithm: None, master_seed: int) -> Record:
    """Per input x: the Monte Carlo mean and standard deviation (ddof 1) of f_β(0)(x)² over
    ``n_inits`` initialisations, the closed form σ²‖x‖²/2 and ‖x‖ (independent of any statement)."""
    import torch

    from mfcheck.algorithms.mfppo.linearisation_torch import init_second_moments, two_layer_network

    torch.set_num_threads(1)
    encoder = encoder_of(cell)
    x = encoder.table.reshape(-1, encoder.dim)
    width = int(cell["width"])  # type: ignore[arg-type]
    generator = torch.Generator().manual_seed(identity(cell).torch_seed(master_seed, "initialisations"))
    samples = init_second_moments(encoder, x, width=width, n_inits=int(cell["n_inits"]), generator=generator)  # type: ignore[arg-type]
    exact = two_layer_network(encoder, width, torch.Generator().manual_seed(0)).init_second_moment(x).numpy()
    return Record.of(cell, mean=samples.mean(axis=0), std=samples.std(axis=0, ddof=1), n_samples=samples.shape[0],
                     closed_form=exact, norms=torch.linalg.vector_norm(x, dim=-1).numpy(), input_dim=int(x.shape[-1]))


def check(algorithm: None = None, *, profile: Profile = QUICK, statement: Statement = PAPER_STATEMENT) -> Verdict:
    """Monte Carlo check of ``statement``'s bound on E_init[f_β(0)(x)²] at every input x."""
    import torch
    from scipy import stats

    claim = get_claim(CLAIM_ID)
    alpha, norm_tolerance = claim.threshold("alpha"), claim.threshold("norm_tolerance")
    torch.set_num_threads(1)
    sizes = SIZES[profile.name]
    (cell,) = cells(profile)
    encoder = encoder_of(cell)
    norms = torch.linalg.vector_norm(encoder.table.reshape(-1, encoder.dim), dim=-1).numpy()
    reading = (f"per input x (stronger than the proof's average over x); E_init by Monte Carlo over "
               f"{sizes.n_inits} initialisations, one-sided t bounds at family-wise level {alpha:g}; fail only "
               f"if a lower bound exceeds the stated bound; statement: {statement.text}")
    assumption3 = Hypothesis(name="Assumption 3 (‖x‖ <= 1)", holds=bool(norms.max() <= 1 + norm_tolerance),
                             measured=float(norms.max()))
    if not assumption3.holds:
        return not_applicable(CLAIM_ID, assumption3, reading=reading, evidence={"norms": norms.tolist()})
    (record,) = run_cells([cell], measure, None, profile.master_seed)
    mean, std = np.asarray(record["mean"], dtype=float), np.asarray(record["std"], dtype=float)
    norms, exact = np.asarray(record["norms"], dtype=float), np.asarray(record["closed_form"], dtype=float)
    k, n, dim = int(record["n_samples"]), mean.size, int(record["input_dim"])  # type: ignore[arg-type]
    se = std / np.sqrt(k)
    t_one = stats.t.ppf(1 - alpha / n, df=k - 1)
    upper, lower = mean + t_one * se, mean - t_one * se
    bound = np.array([float(statement.value(float(v) ** 2, dim)) for v in norms])
    reasons: list[str] = []
    worst = int(np.argmax(lower - bound))
    if lower[worst] > bound[worst]:
        reasons.append(f"input {worst}: E_init f² >= {lower[worst]:.4g} (lower bound; mean {mean[worst]:.4g}) "
                       f"> the stated bound {bound[worst]:.4g}")
    z = np.abs(mean - exact) / se
    t_two = stats.t.ppf(1 - alpha / (2 * n), df=k - 1)
    if (z > t_two).any():
        bad = int(np.argmax(z))
        reasons.append(f"input {bad}: Monte Carlo mean {mean[bad]:.4g} disagrees with the closed form "
                       f"{exact[bad]:.4g} ({z[bad]:.1f} standard errors): initialisation or network defect")
    top = int(np.argmax(upper - bound))
    if reasons:
        summary = f"E_init[f_β(0)(x)²] exceeds the stated bound at some input ({reasons[0]})"
    elif upper[top] <= bound[top]:
        summary = f"E_init f² <= {upper[top]:.4g} (upper bound) at every input, within the stated bound"
    else:
        summary = f"no input exceeds the bound beyond noise (largest upper bound {upper[top]:.4g}: inconclusive)"
    return Verdict(
        claim_id=CLAIM_ID, status="fail" if reasons else "pass", summary=summary,
        stated=(Figure(name="E_init f_β(0)(x)² bound", value=float(bound.min()), note=statement.text),),
        measured=(
            Figure(name="max_x E_init f(x)²", value=float(mean[top]), low=float(lower[top]), high=float(upper[top]),
                   note=f"one-sided t bounds, family-wise level {alpha:g}"),
            Figure(name="max ‖x‖", value=float(norms.max())),
            Figure(name="closed form max_x σ²‖x‖²/2", value=float(exact.max())),
        ),
        reading=reading, reasons=tuple(reasons), hypotheses=(assumption3,),
        evidence={"mean": mean.tolist(), "lower": lower.tolist(), "upper": upper.tolist(), "bound": bound.tolist(),
                  "closed_form": exact.tolist(), "norms": norms.tolist(), "n_inits": k, "width": int(record.cell["width"]),  # type: ignore[arg-type]
                  "input_dim": dim, "statement": statement.text},
    )
