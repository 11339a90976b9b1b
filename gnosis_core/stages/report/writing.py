"""Writing a report: report.json, report.md, the PNGs and the self-contained index.html."""
from __future__ import annotations

import base64
import html
import json
import sys
from pathlib import Path

from gnosis_core import shards
from gnosis_core.markdown import cell
from gnosis_core.stages.report.plots import PLOT_CAPTIONS, PLOT_TITLES, draw_plots
from gnosis_core.stages.report.browser import csp, samples_page
from gnosis_core.stages.report.samples import DEFAULT_SAMPLES
from gnosis_core.stages.report.tables import Table, _who_columns, metadata_tables, tables

PLOTS_HINT = 'plots need matplotlib: pip install "gnosis[report]"'
SAMPLES_PAGE = "samples.html"


def write_outputs(report: dict, out_dir: Path, draw: bool, samples: list[dict] | None = None,
                  per_stratum: int = DEFAULT_SAMPLES) -> list[Path]:
    """report.json, report.md, the PNGs, index.html and (with ``samples``) samples.html."""
    out_dir.mkdir(parents=True, exist_ok=True)
    plots, skipped, note = {}, {}, ""
    if draw:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            note = PLOTS_HINT
            print(f"gnosis: {PLOTS_HINT}", file=sys.stderr)
        else:
            plots, skipped = draw_plots(report)
    browser = samples is not None
    written = [shards.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", out_dir / "report.json"),
               shards.write_text(markdown(report, plots, skipped, browser), out_dir / "report.md")]
    for name, png in plots.items():
        with shards.atomic_path(out_dir / f"{name}.png") as tmp:
            Path(tmp).write_bytes(png)
        written.append(out_dir / f"{name}.png")
    if browser:
        written.append(shards.write_text(samples_page(samples, per_stratum), out_dir / SAMPLES_PAGE))
    written.append(shards.write_text(html_page(report, plots, note, skipped, browser), out_dir / "index.html"))
    return written


def _md(text) -> str:
    """Text for a markdown table cell or heading: markup characters escaped, then as ``cell``
    makes it (one line, HTML as entities, ``|`` escaped)."""
    return cell("".join("\\" + c if c in MARKDOWN_SPECIALS else c for c in str(text)))


MARKDOWN_SPECIALS = set("\\`*_[]~")  # emphasis, code, links (cell() escapes "|")


def _md_table(columns: list[str], rows: list[list[str]], left: int) -> list[str]:
    # a non-breaking space keeps an estimate and its interval on one line
    return (["| " + " | ".join(_md(c) for c in columns) + " |",
             "|" + "|".join("---" if i < left else "---:" for i in range(len(columns))) + "|"]
            + ["| " + " | ".join(_one_line(value, _md(value)) for value in row) + " |" for row in rows])


def _one_line(value: str, escaped: str) -> str:
    """An estimate with its interval ("44.8 [44.2, 45.4]") with non-breaking spaces."""
    return escaped.replace(" ", "\u00a0") if value.endswith("]") and " [" in value else escaped


def markdown(report: dict, plots: dict[str, bytes], skipped: dict[str, str] | None = None,
             browser: bool = False) -> str:
    lines = ["# gnosis report", ""]
    lines += ["| run | kind | dir | rows | tasks |", "|---|---|---|---:|---|"]
    lines += [f"| {_md(r['name'])} | {r['kind']} | {cell(r['dir'], code=True)} | {r['rows']:,} | "
              f"{_md(', '.join(r['tasks']))} |" for r in report["runs"]]
    for about in metadata_tables(report):
        lines += ["", f"## {_md(about.title)}", ""] + _md_table(about.columns, about.rows, len(about.columns))
        lines += ["", f"_{_md(about.note)}_"]
    if browser:
        lines += ["", f"The rows behind these numbers: [{SAMPLES_PAGE}]({SAMPLES_PAGE})."]
    for table in tables(report):
        lines += ["", f"## {_md(table.title)}", ""] + _md_table(table.columns, table.rows, _left(table, report))
        if table.note:
            lines += ["", f"_{_md(table.note)}_"]
    if plots or skipped:
        lines += ["", "## Plots", ""]
        lines += [f"### {PLOT_TITLES[name]}\n\n{PLOT_CAPTIONS[name]}\n\n![{PLOT_TITLES[name]}]({name}.png)\n"
                  for name in plots]
        lines += [f"- {_md(reason)}" for reason in (skipped or {}).values()]
    lines += ["", "Every number is in `report.json`.", ""]
    return "\n".join(lines)


def html_page(report: dict, plots: dict[str, bytes], note: str = "", skipped: dict[str, str] | None = None,
              browser: bool = False) -> str:
    """One self-contained page: tables and plots (PNG data URIs), no external resource."""
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">', csp(None),
             "<title>gnosis report</title>", f"<style>{_CSS}</style></head><body>",
             "<h1>gnosis report</h1>"]
    parts.append("<table><tr><th>run</th><th>kind</th><th>dir</th><th>rows</th><th>tasks</th></tr>" + "".join(
        f"<tr><td>{_e(r['name'])}</td><td>{_e(r['kind'])}</td><td><code>{_e(r['dir'])}</code></td>"
        f"<td class=n>{r['rows']:,}</td><td>{_e(', '.join(r['tasks']))}</td></tr>" for r in report["runs"])
        + "</table>")
    for about in metadata_tables(report):
        parts.append(_html_table(about, len(about.columns)))
    if browser:
        parts.append(f'<p><a href="{SAMPLES_PAGE}">Browse the sampled rows behind these numbers</a> '
                     "(question, gold, extracted answer, status and completion; filters and search).</p>")
    if note:
        parts.append(f"<p class=note>{_e(note)}</p>")
    who = len(_who_columns(report))
    main, *rest = tables(report)
    parts.append(_html_table(main, who))  # the numbers first, then the pictures, then the details
    for name, png in plots.items():
        parts.append(f"<figure><figcaption><b>{_e(PLOT_TITLES[name])}</b> {_e(PLOT_CAPTIONS[name])}</figcaption>"
                     f'<img alt="{_e(PLOT_TITLES[name])}" src="data:image/png;base64,'
                     f'{base64.b64encode(png).decode("ascii")}"></figure>')
    parts += [f"<p class=note>{_e(reason)}</p>" for reason in (skipped or {}).values()]
    parts += [_html_table(table, _left(table, report)) for table in rest]
    parts.append("<p class=note>Every number is in report.json beside this page.</p></body></html>")
    return "\n".join(parts) + "\n"


def _left(table: Table, report: dict) -> int:
    return len(_who_columns(report)) if table.left is None else table.left


def _html_table(table: Table, who: int) -> str:
    return (f"<h2>{_e(table.title)}</h2><table><tr>" + "".join(f"<th>{_e(c)}</th>" for c in table.columns) + "</tr>"
            + "".join("<tr>" + "".join(f"<td{'' if i < who else ' class=n'}>{_e(v)}</td>" for i, v in enumerate(row))
                      + "</tr>" for row in table.rows)
            + "</table>" + (f"<p class=note>{_e(table.note)}</p>" if table.note else ""))


def _e(text) -> str:
    return html.escape(str(text), quote=True)


_CSS = ("body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1400px}"
        "table{border-collapse:collapse;margin:.5em 0 1em}th,td{border:1px solid #ccc;padding:.25em .6em}"
        "th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
        "figure{margin:1em 0}figure img{max-width:100%;border:1px solid #eee}.note{color:#666;font-size:.9em}")
