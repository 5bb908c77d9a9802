"""The query page at ``/``: an editor, the named queries as examples, a results table.

The page is static; examples come from ``/queries.json`` and results from ``/sparql``,
and the script writes every piece of data with ``textContent`` (never ``innerHTML``), so
nothing in the graph or in a query can turn into markup or script. The script is served
from ``/app.js`` so that the Content-Security-Policy can forbid inline scripts.
"""

from __future__ import annotations

__all__ = ["INDEX_HTML", "APP_JS", "CSP"]

CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'self'")

INDEX_HTML = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kg SPARQL endpoint</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #222; }
  header { display: flex; gap: 1.5rem; align-items: baseline; }
  textarea { width: 100%; min-height: 14rem; font: 13px/1.4 ui-monospace, monospace; }
  .bar { display: flex; gap: .75rem; align-items: center; margin: .5rem 0; flex-wrap: wrap; }
  table { border-collapse: collapse; margin-top: .75rem; font-size: 13px; }
  th, td { border: 1px solid #ccc; padding: .25rem .5rem; text-align: left;
           vertical-align: top; max-width: 40rem; overflow-wrap: anywhere; }
  th { background: #f3f3f3; }
  #status { color: #555; }
  #status.error { color: #b00020; white-space: pre-wrap; }
  pre { background: #f7f7f7; padding: .75rem; overflow: auto; }
  #description { color: #555; }
</style>
</head>
<body>
<header>
  <h1>kg SPARQL endpoint</h1>
  <a id="graph-link" href="/graph">graph view</a>
  <span>endpoint: <code>/sparql</code> (SPARQL 1.1 Protocol)</span>
</header>
<div class="bar">
  <label for="examples">Example</label>
  <select id="examples"><option value="">(named queries)</option></select>
  <span id="description"></span>
</div>
<textarea id="query" spellcheck="false">PREFIX kg: <https://w3id.org/aikg/ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

SELECT ?event ?type ?label WHERE {
  ?event a ?type ; rdfs:label ?label .
} LIMIT 50</textarea>
<div class="bar">
  <button id="run" type="button">Run query</button>
  <label>as <select id="format">
    <option value="application/sparql-results+json">table</option>
    <option value="text/csv">CSV</option>
    <option value="text/tab-separated-values">TSV</option>
    <option value="application/sparql-results+xml">XML</option>
  </select></label>
  <span id="status"></span>
</div>
<div id="results"></div>
<script src="/app.js"></script>
</body>
</html>
"""

APP_JS = r"""'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const query = $('query'), results = $('results'), status = $('status');
  let named = [];

  function setStatus(text, isError) {
    status.textContent = text;
    status.className = isError ? 'error' : '';
  }

  function cellText(cell) {
    if (!cell) return '';
    if (cell.type === 'bnode') return '_:' + cell.value;
    return cell.value;
  }

  function renderTable(data) {
    const table = document.createElement('table');
    const head = table.createTHead().insertRow();
    for (const v of data.head.vars) {
      const th = document.createElement('th');
      th.textContent = v;
      head.appendChild(th);
    }
    const body = table.createTBody();
    for (const row of data.results.bindings) {
      const tr = body.insertRow();
      for (const v of data.head.vars) {
        const td = tr.insertCell();
        const cell = row[v];
        td.textContent = cellText(cell);
        if (cell && cell.datatype) td.title = cell.datatype;
        if (cell && cell['xml:lang']) td.title = '@' + cell['xml:lang'];
      }
    }
    return table;
  }

  async function run() {
    results.replaceChildren();
    setStatus('running…', false);
    const started = performance.now();
    const accept = $('format').value;
    let response;
    try {
      response = await fetch('/sparql', {
        method: 'POST',
        headers: {'Content-Type': 'application/x-www-form-urlencoded',
                  'Accept': accept + ', text/turtle;q=0.9'},
        body: new URLSearchParams({query: query.value}),
      });
    } catch (err) {
      setStatus('request failed: ' + err, true);
      return;
    }
    const text = await response.text();
    const ms = Math.round(performance.now() - started);
    if (!response.ok) {
      setStatus('HTTP ' + response.status + ': ' + text, true);
      return;
    }
    const type = (response.headers.get('Content-Type') || '').split(';')[0];
    const truncated = response.headers.get('X-KG-Truncated') === 'true';
    if (type === 'application/sparql-results+json') {
      const data = JSON.parse(text);
      if ('boolean' in data) {
        const p = document.createElement('p');
        p.textContent = 'ASK: ' + data.boolean;
        results.appendChild(p);
        setStatus(ms + ' ms', false);
        return;
      }
      results.appendChild(renderTable(data));
      setStatus(data.results.bindings.length + ' rows' +
                (truncated ? ' (cut at the row limit)' : '') + ', ' + ms + ' ms', false);
    } else {
      const pre = document.createElement('pre');
      pre.textContent = text;
      results.appendChild(pre);
      setStatus(type + (truncated ? ' (cut at the row limit)' : '') + ', ' + ms + ' ms', false);
    }
  }

  async function loadExamples() {
    try {
      const response = await fetch('/queries.json');
      named = await response.json();
    } catch (err) {
      return;
    }
    const select = $('examples');
    named.forEach((q, i) => {
      const option = document.createElement('option');
      option.value = String(i);
      option.textContent = q.name;
      select.appendChild(option);
    });
    select.addEventListener('change', () => {
      const q = named[Number(select.value)];
      $('description').textContent = q ? q.description : '';
      if (q) query.value = q.text;
    });
  }

  $('run').addEventListener('click', run);
  query.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) run();
  });
  loadExamples();
})();
"""
