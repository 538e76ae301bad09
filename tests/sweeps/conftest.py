"""Fixtures of the sweep tests: the synthetic checker, loaded by path under a name no other
process can import (so workers must receive its functions by value, as for a user's file)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

SYNTHETIC_PATH = Path(__file__).with_name("synthetic.py")
SYNTHETIC_NAME = "mfcheck_sweep_tests_synthetic_by_path"


def load_synthetic() -> ModuleType:
    module = sys.modules.get(SYNTHETIC_NAME)
    if module is None:
        spec = importlib.util.spec_from_file_location(SYNTHETIC_NAME, SYNTHETIC_PATH)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[SYNTHETIC_NAME] = module
        spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def synthetic() -> ModuleType:
    return load_synthetic()
