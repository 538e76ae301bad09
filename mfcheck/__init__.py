"""mfcheck: check the claims of mean-field multi-agent RL theory by computation.

Layers (dependencies flow one way)::

    models -> solvers -> algorithms -> checks -> reports, cli
    instances build models; stats and testing are leaves; envs stand apart.

torch is imported only by the modules that need it (``*_torch.py``).
"""

from __future__ import annotations

__version__ = "0.1.0"
