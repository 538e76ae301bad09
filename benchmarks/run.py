"""Run every benchmark and print its table: ``python -m benchmarks.run``.

Not a test. Other benchmark modules (``bench_count_space``, ``bench_nac``) are run when present.
"""

from __future__ import annotations

import importlib


def main() -> None:
    from benchmarks.bench_mfg import format_table, run_benchmarks

    print(
        "Exact exploitability, best response, fictitious play, mirror descent vs peers "
        "(median wall time [IQR] of warm repeats in alternating blocks; torch 1 thread)"
    )
    print(format_table(run_benchmarks()))
    for name in ("bench_count_space", "bench_nac"):
        try:
            module = importlib.import_module(f"benchmarks.{name}")
        except ImportError:
            continue
        entry = getattr(module, "main", None)
        if entry is None:
            print(f"\nbenchmarks.{name}: no main() to call")
            continue
        print(f"\n== benchmarks.{name} ==")
        entry()


if __name__ == "__main__":
    main()
