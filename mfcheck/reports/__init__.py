"""Reports: verdict storage (atomic, resumable) and the report folder ``mfcheck report`` writes.

``store`` (verdicts and atomic writes), ``build`` (the folder: summary.json, report.md,
report.html, plots/), ``summary`` (summary.json's schema and each claim's sentences), ``plots``
(rate fits and the ``evidence["curves"]`` convention for empirical claims), ``findings``
(``theory/findings.toml`` plus automatic findings), ``markdown``, ``html``, ``runinfo``
(versions, git revision, machine), ``table`` (the plain-text verdict of ``mfcheck check``).
"""
