"""Re-implementations of peer libraries' games (pure numpy) for cross-checks; no peer imports."""
