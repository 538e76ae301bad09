"""MF-PPO (Li et al., arXiv 2105.08268): the algorithm value (:mod:`.algorithm`: ``MFPPO``,
``MFPPO_DEFAULT``), its exact twins (:mod:`.ideal`, :mod:`.class_twin`) and networks.

Import-light on purpose: torch is loaded only when a ``*_torch`` module is imported.
"""
