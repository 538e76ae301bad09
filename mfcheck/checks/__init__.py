"""Checkers, one module per claim id: ``mfcheck.checks.<paper>.<name>.run(profile) -> Verdict``."""
