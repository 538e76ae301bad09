"""mfcheck: check the claims of mean-field multi-agent RL theory by computation.

Layers (dependencies flow one way)::

    models -> solvers -> algorithms -> checks -> reports, cli
    instances build models; stats and testing are leaves; envs stand apart.

torch is imported only by the modules that need it (``*_torch.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mfcheck.judgement import Profile, Verdict

__version__ = "0.1.0"


def check(claim_id: str, algorithm: Any = None, *, profile: Profile | str = "quick",
          master_seed: int | None = None) -> Verdict:
    """Check one claim on ``algorithm`` (None: the claim's default, the paper's algorithm).

    ``algorithm`` is an algorithm value (e.g. ``dataclasses.replace(NAC_DEFAULT, ...)``) or a
    ``"module:attribute"`` string; a bad one raises :class:`mfcheck.claims.variants.VariantError`
    before the checker runs. Returns the verdict: pass, fail, not_applicable (a hypothesis or the
    algorithm's type does not fit the claim), error (the checker raised) or pending.
    """
    from mfcheck.claims.registry import run_claim
    from mfcheck.claims.variants import check_variant, load_variant
    from mfcheck.judgement import DEFAULT_MASTER_SEED, Profile

    if isinstance(algorithm, str):
        algorithm = load_variant(algorithm)
    elif algorithm is not None:
        algorithm = check_variant(algorithm)
    if isinstance(profile, str):
        profile = Profile(name=profile, master_seed=DEFAULT_MASTER_SEED if master_seed is None else master_seed)
    return run_claim(claim_id, profile, algorithm)
