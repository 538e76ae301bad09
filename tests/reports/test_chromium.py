"""report.html renders in headless Chromium (Debian's ``chromium``, installed by ``.ci/run``): the
claims table is there and every plot image loads (the page's onload hook sets the title)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from mfcheck.reports.html import IMAGES_LOADED

pytestmark = pytest.mark.fullsize


def test_page_renders_with_every_plot(written) -> None:
    browser = shutil.which("chromium")
    if browser is None:
        pytest.skip("no chromium on PATH (.ci/run installs Debian's)")
    out, summary = written
    done = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", (out / "report.html").as_uri()],
        capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    n_plots = sum(1 for e in summary["claims"] if e["plot"])
    assert n_plots == 3
    assert f"<title>{IMAGES_LOADED}</title>" in dom, dom[:500]
    assert f'data-images-loaded="{n_plots}"' in dom
    assert '<table id="claims">' in dom
    assert dom.count("<tr id=\"row-claim-") == len(summary["claims"])
