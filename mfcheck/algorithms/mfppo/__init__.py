"""MF-PPO (Li et al., arXiv 2105.08268): networks (``networks_torch``) and, later, Algorithms 1-3.

Import-light on purpose: torch is loaded only when ``networks_torch`` is imported.
"""
