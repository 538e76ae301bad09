"""Statistics for rate claims: log-log fits, bootstrap intervals, deterministic seeding."""

from __future__ import annotations

from mfcheck.stats.rates import RateFit, fit_rate, local_slopes, log_log_slope
from mfcheck.stats.seeding import seed_streams, stream

__all__ = ["RateFit", "fit_rate", "local_slopes", "log_log_slope", "seed_streams", "stream"]
