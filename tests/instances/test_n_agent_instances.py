"""N-agent instances named by settings: presets, seeded random models, and errors."""

from __future__ import annotations

import numpy as np
import pytest

from mfcheck.instances.n_agent import instance_label, instance_settings, n_agent_instance


def test_presets_and_random_models_from_settings() -> None:
    ring = n_agent_instance(instance_settings(("crowd_ring", 4)), np.random.default_rng(0))
    assert (ring.model.name, ring.n_agents, ring.n_states) == ("crowd_ring", 4, 3)
    settings = instance_settings((3, 2, 2))
    assert settings == {"model": "random", "S": 3, "A": 2, "N": 2}
    first = n_agent_instance(settings, np.random.default_rng(5))
    again = n_agent_instance(settings, np.random.default_rng(5))
    d = np.full(3, 1 / 3)
    np.testing.assert_array_equal(first.model.kernel(d), again.model.kernel(d))
    assert instance_label(first) == "random_cooperative (|S|=3, |A|=2, N=2)"


def test_bad_settings_are_named() -> None:
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="cooperative_instance: model 'ring' is not one of"):
        n_agent_instance({"model": "ring", "N": 2}, rng)
    with pytest.raises(ValueError, match="'S' and 'A'"):
        n_agent_instance({"model": "random", "N": 2}, rng)
    with pytest.raises(ValueError, match="'N' must be an int"):
        n_agent_instance({"model": "crowd_ring"}, rng)
    with pytest.raises(ValueError, match="expected"):
        instance_settings((1, 2))  # type: ignore[arg-type]
