"""Public test machinery: Hypothesis strategies and mutants users can reuse."""
