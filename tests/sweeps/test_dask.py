"""One sweep on a ``distributed.LocalCluster`` and on the local process pool: identical records."""

from __future__ import annotations

import json

import pytest

from mfcheck.judgement.cells import sequential, using_executor
from mfcheck.sweeps import DaskExecutor, ProcessPoolExecutor, RecordStore, Sweep

pytestmark = pytest.mark.fullsize


def test_local_cluster_equals_process_pool(synthetic, tmp_path):
    distributed = pytest.importorskip("distributed")
    algo = synthetic.ToyAlgorithm(step=lambda t: 0.9 / (t + 1) ** 0.75)
    results = {}
    with ProcessPoolExecutor(2) as pool, Sweep(RecordStore(tmp_path / "pool"), pool, "code",
                                               progress=False) as sweep, using_executor(sweep):
        results["pool"] = synthetic.check(algo)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        with DaskExecutor(cluster.scheduler_address) as executor, \
                Sweep(RecordStore(tmp_path / "dask"), executor, "code", progress=False) as sweep, \
                using_executor(sweep):
            results["dask"] = synthetic.check(algo)
            assert sweep.stats.computed == 12
    with using_executor(sequential):
        results["sequential"] = synthetic.check(algo)
    texts = {name: json.dumps(result) for name, result in results.items()}
    assert texts["dask"] == texts["pool"] == texts["sequential"]
    stored = {name: sorted(json.dumps(r.to_dict()) for r in RecordStore(tmp_path / name).load().values())
              for name in ("pool", "dask")}
    assert stored["dask"] == stored["pool"] and len(stored["dask"]) == 12


def test_scheduler_from_the_environment_and_single_threaded_workers(synthetic, monkeypatch):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", cluster.scheduler_address)
        with DaskExecutor() as executor:
            records = executor(synthetic.cells(), synthetic.environment, None, 0)
    assert {r["omp"] for r in records} == {"1"} and len({r["pid"] for r in records}) <= 2
