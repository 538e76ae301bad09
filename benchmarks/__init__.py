"""Benchmarks against peers (not tests): ``python -m benchmarks.run``."""
