"""Algorithms of the papers (MF-PPO, NAC), each with its exact twin; torch only in ``*_torch.py``."""
