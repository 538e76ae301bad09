"""Run profiles: how much work a checker does (quick for CI and the default report, full for papers)."""

from __future__ import annotations

from dataclasses import dataclass

PROFILE_NAMES: tuple[str, ...] = ("quick", "full")

#: Default master seed; every stochastic checker derives its streams from it with SeedSequence.
DEFAULT_MASTER_SEED = 20261121


@dataclass(frozen=True, kw_only=True)
class Profile:
    """A named run profile.

    Attributes
    ----------
    name : "quick" | "full"
        Each checker maps the name to its own grid sizes, seeds and horizons.
    master_seed : int
        Root of every random stream (``numpy.random.SeedSequence(master_seed)``).
    """

    name: str = "quick"
    master_seed: int = DEFAULT_MASTER_SEED

    def __post_init__(self) -> None:
        if self.name not in PROFILE_NAMES:
            raise ValueError(f"Profile.name: {self.name!r} is not one of {PROFILE_NAMES}")
        if int(self.master_seed) != self.master_seed or self.master_seed < 0:
            raise ValueError(f"Profile.master_seed: must be a non-negative int, got {self.master_seed!r}")

    @property
    def quick(self) -> bool:
        return self.name == "quick"


QUICK = Profile(name="quick")
FULL = Profile(name="full")


def get_profile(name: str, master_seed: int = DEFAULT_MASTER_SEED) -> Profile:
    """Return the profile called ``name``."""
    return Profile(name=name, master_seed=master_seed)
