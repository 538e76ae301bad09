"""Mutants: deliberately broken objects that violate a claim, one module per claim.

``mfcheck.testing.mutants.<paper>_<claim>`` holds the builders ``mutant_<what>`` declared in
the claim's toml (``[[mutant]]``); each claim's test file has a ``test_rejects_<what>`` that
asserts the checker fails on it. Users can reuse them to test their own checkers.
"""
