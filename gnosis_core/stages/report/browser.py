"""samples.html: the sampled rows of every run in one offline page, with filters.

Every text on the page comes from model output or from the data, so all of it is escaped here
(``html.escape``), and the page's Content-Security-Policy lets only its own script (by hash)
run and nothing be fetched: a completion holding ``<script>`` or ``onerror=`` shows as text.
The script only shows and hides rows; it never writes text into the page as HTML.
"""
from __future__ import annotations

import base64
import hashlib
import html

from gnosis_core.stages.report.metrics import BUCKETS
from gnosis_core.stages.report.samples import DEFAULT_SAMPLES, SAMPLE_SEED

VERDICT_ORDER = ("correct", "wrong", "unparsed", "unverifiable", "timed_out", "error")

_SCRIPT = """(function () {
  var rows = Array.prototype.slice.call(document.querySelectorAll("article.row"));
  function value(id) { return document.getElementById(id).value; }
  function apply() {
    var want = {run: value("f-run"), task: value("f-task"), verdict: value("f-verdict"),
                bucket: value("f-bucket"), twoStep: value("f-two-step")};
    var low = parseFloat(value("f-min")), high = parseFloat(value("f-max"));
    var text = value("f-search").toLowerCase();
    var shown = 0;
    rows.forEach(function (row) {
      var data = row.dataset, tokens = parseFloat(data.tokens), keep = true;
      Object.keys(want).forEach(function (key) { if (want[key] && data[key] !== want[key]) keep = false; });
      if (!isNaN(low) && !(tokens >= low)) keep = false;
      if (!isNaN(high) && !(tokens <= high)) keep = false;
      if (keep && text) {
        keep = Array.prototype.some.call(row.querySelectorAll(".searched"), function (part) {
          return part.textContent.toLowerCase().indexOf(text) >= 0;
        });
      }
      row.hidden = !keep;
      if (keep) shown += 1;
    });
    document.getElementById("count").textContent = shown + " of " + rows.length + " sampled rows shown";
  }
  var form = document.getElementById("filters");
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  apply();
})();"""

_CSS = ("body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1400px}"
        "form{display:flex;flex-wrap:wrap;gap:.6em 1.2em;align-items:end;background:#f6f6f6;padding:.8em;"
        "position:sticky;top:0;border-bottom:1px solid #ddd}label{display:flex;flex-direction:column;font-size:.85em}"
        "article{border:1px solid #ddd;border-radius:4px;padding:.6em .9em;margin:.8em 0}"
        "article header{font-size:.9em;color:#555;margin-bottom:.4em}dl{display:grid;"
        "grid-template-columns:max-content 1fr;gap:.2em .8em;margin:.3em 0}dt{color:#666}dd{margin:0}"
        "pre,dd{white-space:pre-wrap;overflow-wrap:anywhere}pre{background:#fafafa;padding:.5em;margin:.2em 0;"
        "max-height:30em;overflow:auto}.v{font-weight:bold;padding:0 .3em;border-radius:3px;color:#fff}"
        ".v-correct{background:#2e7d32}.v-wrong{background:#c62828}.v-other{background:#757575}"
        "code{background:#f0f0f0;padding:.1em .3em;user-select:all}.note{color:#666;font-size:.9em}")


def _e(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _or_dash(value) -> str:
    return "-" if value is None else str(value)


def csp(script: str | None) -> str:
    """A policy that fetches nothing and runs no script but ``script`` (by its hash)."""
    scripts = "'none'"
    if script is not None:
        scripts = "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"
    return (f'<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; img-src data:; '
            f"style-src 'unsafe-inline'; script-src {scripts}; form-action 'none'; base-uri 'none'\">")


def _select(ident: str, label: str, values) -> str:
    options = "".join(f'<option value="{_e(v)}">{_e(v)}</option>' for v in values)
    return f'<label>{_e(label)}<select id="{ident}"><option value="">all</option>{options}</select></label>'


def _row(sample: dict) -> str:
    verdict = sample["verdict"]
    badge = "v-correct" if verdict == "correct" else "v-wrong" if verdict == "wrong" else "v-other"
    tokens = "" if sample["tokens"] is None else str(sample["tokens"])
    detail = f" &middot; {_e(sample['detail'])}" if sample["detail"] else ""
    reasoning = sample["reasoning"]
    folded = (f"<details><summary>reasoning ({len(reasoning):,} characters shown)</summary>"
              f"<pre>{_e(reasoning)}</pre></details>") if reasoning else ""
    return (f'<article class="row" data-run="{_e(sample["run"])}" data-task="{_e(sample["task"])}" '
            f'data-verdict="{_e(verdict)}" data-bucket="{_e(sample["bucket"])}" '
            f'data-two-step="{"yes" if sample["two_step"] else "no"}" data-tokens="{_e(tokens)}">'
            f"<header>{_e(sample['run'])} &middot; {_e(sample['task'])} &middot; question "
            f"{_e(_or_dash(sample['question_index']))}, sample {_e(_or_dash(sample['sample_index']))} &middot; bucket "
            f"{_e(sample['bucket'])} &middot; <span class=\"v {badge}\">{_e(verdict)}</span> "
            f"status {_e(sample['status'])}{detail} &middot; {_e(tokens or '?')} tokens, finish "
            f"{_e(sample['finish_reason'])}{' &middot; two-step answer' if sample['two_step'] else ''}</header>"
            f'<dl><dt>question</dt><dd class="searched">{_e(sample["question"])}</dd>'
            f'<dt>gold</dt><dd class="searched">{_e(sample["gold"])}</dd>'
            f'<dt>extracted answer</dt><dd class="searched">{_e(sample["answer"])}</dd></dl>'
            f"{folded}<details open><summary>final part</summary>"
            f'<pre class="searched">{_e(sample["final"])}</pre></details>'
            f"<p class=note>re-grade this row: <code>{_e(sample['command'])}</code></p></article>")


def samples_page(samples: list[dict], per_stratum: int = DEFAULT_SAMPLES) -> str:
    present = {key: list(dict.fromkeys(s[key] for s in samples)) for key in ("run", "task", "verdict", "bucket")}
    verdicts = [v for v in VERDICT_ORDER if v in present["verdict"]]
    verdicts += [v for v in present["verdict"] if v not in verdicts]
    buckets = [b for b in BUCKETS if b in present["bucket"]]
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">', csp(_SCRIPT),
             "<title>gnosis samples</title>", f"<style>{_CSS}</style></head><body>",
             "<h1>gnosis samples</h1>",
             f"<p class=note>Up to {per_stratum} rows of each run &times; task &times; bucket &times; status, "
             f"drawn at random (seed {SAMPLE_SEED}); the numbers are in <a href=\"index.html\">the report</a>. "
             "Long completions are shortened in the middle of the reasoning; the command under each row "
             "grades it again and shows every step.</p>",
             '<form id="filters">', _select("f-run", "run", present["run"]), _select("f-task", "task", present["task"]),
             _select("f-verdict", "status", verdicts), _select("f-bucket", "bucket", buckets),
             _select("f-two-step", "two-step answer", ["yes", "no"]),
             '<label>tokens from<input id="f-min" type="number" min="0" step="1"></label>',
             '<label>tokens to<input id="f-max" type="number" min="0" step="1"></label>',
             '<label>search question or answer<input id="f-search" type="search"></label></form>',
             f'<p id="count">{len(samples):,} sampled rows</p>']
    if not samples:
        parts.append("<p>No rows to show.</p>")
    parts += [_row(s) for s in samples]
    parts.append(f"<script>{_SCRIPT}</script></body></html>")
    return "\n".join(parts) + "\n"
