"""report.md and report.html: summary table, findings, one section per claim, details blocks,
plots in the folder and embedded in the page."""

from __future__ import annotations

import re
from dataclasses import replace

from mfcheck.judgement import Figure
from mfcheck.reports.html import IMAGES_LOADED

RATE_LIKE = ("rate_pass", "rate_fail", "curves")


def test_plot_file_per_rate_and_curves_claim(written) -> None:
    out, summary = written
    plots = sorted(p.name for p in (out / "plots").iterdir())
    assert plots == sorted(f"mfppo.test_report_{name}.png" for name in RATE_LIKE)
    for name in plots:
        assert (out / "plots" / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with_plot = {e["id"].removeprefix("mfppo.test_report_") for e in summary["claims"] if e["plot"]}
    assert with_plot == set(RATE_LIKE)


def test_markdown_table_then_sections(written) -> None:
    out, _ = written
    text = (out / "report.md").read_text()
    table = text[text.index("| claim | statement | stated | measured | status |"):text.index("## Findings")]
    rows = [line for line in table.splitlines() if line.startswith("| [")]
    assert len(rows) == 7
    exact = next(r for r in rows if "test_report_exact" in r)
    # a long figure list stays out of the table: 3 figures, then a pointer to the details block
    assert exact.count("degree in N") == 3 and "+9 more (details in its section)" in exact
    assert "PASS" in exact and "[mfppo.test_report_exact](#claim-mfppo-test_report_exact)" in exact
    assert "not applicable: Assumption 1 (Q linear in d): violated" in text
    assert "| PENDING |" in text and "| ERROR |" in text
    section = text[text.index('<a id="claim-mfppo-test_report_exact"></a>'):]
    details = section[section.index("<details>"):section.index("</details>")]
    assert all(f"degree in N, |S|={s} = {s - 1}" in details for s in range(2, 14))
    assert "![mfppo.test_report_rate_pass](plots/mfppo.test_report_rate_pass.png)" in text
    assert text.index("## Claims") < text.index("## Findings") < text.index("## Claims in detail")
    assert "| numpy |" in text


def test_markdown_escapes_pipes_in_table_cells(write, rows, tmp_path) -> None:
    claim, verdict = rows[3]
    verdict = replace(verdict, measured=(Figure(name="|x - y|", value=1.0, low=0.5, high=2.0),))
    write([(claim, verdict)])
    row = next(line for line in (tmp_path / "report.md").read_text().splitlines() if line.startswith("| ["))
    assert "\\|x - y\\| = 1 [0.5, 2]" in row and row.count(" | ") == 4


def test_html_is_self_contained(written) -> None:
    out, summary = written
    page = (out / "report.html").read_text()
    assert '<table id="claims">' in page
    sources = re.findall(r'src="([^"]*)"', page)
    assert len(sources) == len(RATE_LIKE) and all(s.startswith("data:image/png;base64,") for s in sources)
    assert not re.search(r'(href|src)="(https?:|file:|/)', page), "the page must open offline"
    for entry in summary["claims"]:
        assert f'<section class="claim" id="{entry["section"][1:]}">' in page
        assert f'<a href="{entry["section"]}">' in page
    assert page.count("<details>") == 7
    assert IMAGES_LOADED in page and "naturalWidth > 0" in page
    for finding in summary["findings"]:
        assert f'<a href="{finding["section"]}">{finding["claim"]}</a>' in page


def test_html_escapes_text(write, rows, tmp_path) -> None:
    claim, verdict = rows[3]
    verdict = replace(verdict, summary="<script>alert(1)</script>")
    write([(claim, verdict)])
    page = (tmp_path / "report.html").read_text()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)" in page
