"""Fingerprints tell variants, seeds and cell functions apart and are stable across processes;
payloads send functions of files loaded by path by value."""

from __future__ import annotations

import dataclasses
import functools
import subprocess
import sys

import numpy as np

from mfcheck.sweeps.fingerprint import call_fingerprint, describe
from mfcheck.sweeps.payload import dumps, importable


def test_describe_tells_parts_apart(synthetic):
    base = synthetic.ToyAlgorithm()
    assert describe(base) == describe(synthetic.ToyAlgorithm())
    assert describe(base) != describe(dataclasses.replace(base, iterations=41))
    one = dataclasses.replace(base, step=lambda t: 1.0 / (t + 1))
    two = dataclasses.replace(base, step=lambda t: 2.0 / (t + 1))
    assert describe(one) != describe(two)  # two lambdas differ by code

    def scaled(c):
        return lambda t: c / (t + 1)

    assert describe(scaled(1.0)) != describe(scaled(2.0))  # closures differ by value
    assert describe(functools.partial(max, 1)) != describe(functools.partial(max, 2))
    assert describe(np.arange(4.0)) != describe(np.arange(4.0) + 1e-12)
    assert " at 0x" not in describe(object())


def test_call_fingerprint_covers_seed_measure_and_algorithm(synthetic):
    algo = synthetic.ToyAlgorithm()
    base = call_fingerprint("code", synthetic.measure, algo, 7)
    assert base == call_fingerprint("code", synthetic.measure, algo, 7)
    assert base != call_fingerprint("code", synthetic.measure, algo, 8)
    assert base != call_fingerprint("code2", synthetic.measure, algo, 7)
    assert base != call_fingerprint("code", synthetic.check, algo, 7)
    assert base != call_fingerprint("code", synthetic.measure, dataclasses.replace(algo, iterations=3), 7)


def test_call_fingerprint_is_stable_across_processes(synthetic):
    script = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location({synthetic.__name__!r}, {synthetic.__file__!r})\n"
        "m = importlib.util.module_from_spec(spec); sys.modules[spec.name] = m; spec.loader.exec_module(m)\n"
        "from mfcheck.sweeps.fingerprint import call_fingerprint\n"
        "print(call_fingerprint('code', m.measure, m.ToyAlgorithm(), 7))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                         env={"PYTHONHASHSEED": "123", **__import__("os").environ})
    assert out.stdout.strip() == call_fingerprint("code", synthetic.measure, synthetic.ToyAlgorithm(), 7)


def test_importable_modules_and_files_loaded_by_path(synthetic):
    assert importable("numpy") and importable("mfcheck.judgement.cells") and importable("json")
    assert not importable(synthetic.__name__)


def test_functions_of_files_loaded_by_path_travel_by_value(synthetic):
    blob = dumps((synthetic.measure, synthetic.ToyAlgorithm()))
    script = ("import pickle, sys\n"
              "from mfcheck.judgement.cells import Cell\n"
              "measure, algo = pickle.loads(sys.stdin.buffer.read())\n"
              "cell = Cell.of('toy.sweep', {'n': 3, 'noise': 0.3}, 1)\n"
              "print(measure(cell, algo, 7).to_dict()['values']['error'].hex())\n")
    out = subprocess.run([sys.executable, "-c", script], input=blob, capture_output=True, check=True)
    cell = synthetic.Cell.of("toy.sweep", {"n": 3, "noise": 0.3}, 1)
    assert out.stdout.decode().strip() == synthetic.measure(cell, synthetic.ToyAlgorithm(), 7)["error"].hex()
