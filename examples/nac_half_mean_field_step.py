"""A valid NAC variant: the mean-field steps β_t halved (η_t unchanged).

Every step-size statement of MFG-NAC holds for any β_t in (0, 1] (Lemma 7 is a per-step
recursion in β_t; Theorem 1 fixes only the order β = Θ(T^{-4/5})), so the claims that judge NAC
should keep their verdicts::

    mfcheck list --variant examples/nac_half_mean_field_step.py:VARIANT
    mfcheck check mfgnac.lemma7 --variant examples/nac_half_mean_field_step.py:VARIANT

``mean_field_step_scale`` multiplies whatever schedule a checker's instance sets, so the
checker's grid never overrides this choice.
"""

from __future__ import annotations

import dataclasses

from mfcheck.algorithms.nac import NAC_DEFAULT

VARIANT = dataclasses.replace(NAC_DEFAULT, mean_field_step_scale=0.5)
