<#ftl output_format="HTML">
<#--
  The HTML bug report inside a minsky bundle: one self-contained page (inline CSS, no scripts, no
  external resources), so that it opens offline and loads nothing from anywhere. Every value was
  sanitized before this template saw it, and is HTML-escaped here. To change it, copy this file to
  ~/.config/minsky/templates/bundle/report.html.ftl and edit the copy.
-->
<#assign r = report>
<#macro findingList list>
<#list list as f>
<section class="finding ${f.severity!""}">
  <h3>${f?counter}. ${f.title!f.cause}</h3>
  <div class="meta"><span class="badge ${f.severity!""}">${f.severity!""}</span>
    ${((f.confidence!0) * 100)?round}% confident · cause <code>${f.cause}</code><#if f.code??> · code <code>${f.code}</code></#if><#if f.area??> · area ${f.area}</#if></div>
  <#if (f.evidence![])?size gt 0>
  <table>
    <tr><th>evidence</th><th>value</th><th>for / against</th><th>weight</th></tr>
    <#list f.evidence as e>
    <tr><td><code>${e.fact}</code></td><td>${(e.value!"(absent)")?string}</td><td class="${e.supports?then("for", "against")}">${e.supports?then("for", "against")}</td><td class="num">${(e.weight!0)?string("0.00")}</td></tr>
    </#list>
  </table>
  </#if>
  <#if (f.remediations![])?size gt 0>
  <ol class="fixes">
    <#list f.remediations as fix>
    <li><b>${fix.summary!fix.id}</b> <span class="meta">(<code>${fix.id}</code>, ${fix.safety!""})</span>
      <#if fix.command??><pre>${fix.command}</pre></#if>
      <#if fix.warning??><div class="warn">⚠ ${fix.warning}</div></#if>
    </li>
    </#list>
  </ol>
  </#if>
</section>
</#list>

</#macro>
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>minsky bug report (${meta.generatedAt})</title>
<style>
  body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2330; background: #f6f7f9; margin: 0; }
  main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 48px; }
  h1 { font-size: 24px; margin: 0 0 4px; }
  h2 { font-size: 18px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 1px solid #d8dce3; }
  h3 { font-size: 15px; margin: 0 0 6px; }
  code, pre { font: 12.5px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; }
  pre { background: #1d2330; color: #e8ebf0; padding: 10px 12px; border-radius: 6px; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
  table { border-collapse: collapse; width: 100%; background: #fff; margin: 6px 0 12px; }
  th, td { text-align: left; vertical-align: top; padding: 5px 8px; border: 1px solid #e1e4ea; word-break: break-word; }
  th { background: #eef0f4; font-weight: 600; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  .summary { display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: 8px; margin: 14px 0; }
  .summary div { background: #fff; border: 1px solid #e1e4ea; border-radius: 6px; padding: 8px 10px; }
  .summary code { word-break: break-all; }
  .summary b { display: block; font-size: 11px; text-transform: uppercase; letter-spacing: .04em; color: #667085; }
  .finding { background: #fff; border: 1px solid #e1e4ea; border-left: 5px solid #98a2b3; border-radius: 6px; padding: 12px 14px; margin: 10px 0; }
  .finding.error { border-left-color: #d92d20; }
  .finding.warning { border-left-color: #f79009; }
  .finding.info { border-left-color: #2e90fa; }
  .badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; background: #eef0f4; }
  .badge.error, .badge.failed, .badge.timeout { background: #fee4e2; color: #912018; }
  .badge.warning, .badge.skipped { background: #fef0c7; color: #93370d; }
  .badge.ok, .badge.healthy { background: #d1fadf; color: #05603a; }
  .badge.info { background: #d1e9ff; color: #194185; }
  .meta { color: #667085; font-size: 13px; }
  .warn { background: #fffaeb; border: 1px solid #fedf89; border-radius: 6px; padding: 6px 10px; margin: 6px 0; }
  ol.fixes { padding-left: 22px; }
  .for { color: #05603a; } .against { color: #912018; }
  footer { margin-top: 36px; color: #667085; font-size: 12.5px; }
</style>
</head>
<body>
<main>
<h1>minsky bug report</h1>
<div class="meta">generated ${meta.generatedAt} · minsky ${meta.minskyVersion}</div>

<div class="summary">
  <#if r.after??><div><b>Health after the fix</b><#if r.after.healthy><span class="badge healthy">healthy</span><#else><span class="badge error">${(r.after.findings![])?size} finding(s)</span></#if></div></#if>
  <div><b>Health<#if r.after??> before the fix</#if></b><#if r.healthy><span class="badge healthy">healthy</span><#else><span class="badge error">${(r.findings![])?size} finding(s)</span></#if></div>
  <div><b>Backend</b>${meta.backend!""}</div>
  <div><b>Store</b><code>${meta.store!""}</code></div>
  <div><b>OS</b>${meta.os}</div>
  <div><b>Java</b>${meta.java}</div>
  <div><b>Host / user</b>${meta.host} / ${meta.user}</div>
  <div><b>Command</b><code>${meta.command}</code></div>
</div>

<#if r.after??>
<h2 id="findings-after">Findings after the fix, most likely first</h2>
<#if (r.after.findings![])?size == 0>
<p>No findings after the fix: the doctor found nothing wrong any more.</p>
</#if>
<@findingList r.after.findings![]/>
<h2 id="findings">Findings before the fix, most likely first</h2>
<p>What the doctor found before <code>--fix</code> ran; the fixes applied are listed below, and the findings above are what a new diagnosis found after them.</p>
<#else>
<h2 id="findings">Findings, most likely first</h2>
</#if>
<#if (r.findings![])?size == 0>
<p>No findings: the doctor found nothing wrong.</p>
</#if>
<@findingList r.findings![]/>
<#if r.applied??>
<h2 id="applied">Fixes tried</h2>
<table>
  <tr><th>remediation</th><th>cause</th><th>result</th><th>backup</th><th>detail</th></tr>
  <#list r.applied as a>
  <tr><td><code>${a.remediation}</code></td><td><code>${a.cause}</code></td><td>${a.result}</td><td>${a.backup!""}</td><td>${a.detail!""}</td></tr>
  </#list>
</table>
</#if>

<h2 id="probes">Probes</h2>
<table>
  <tr><th>probe</th><th>status</th><th>ms</th><th>detail</th></tr>
  <#list r.probes![] as p>
  <tr><td><code>${p.id}</code></td><td><span class="badge ${p.status}">${p.status}</span></td><td class="num">${p.millis}</td><td>${p.detail!""}</td></tr>
  </#list>
</table>

<h2 id="store">Store</h2>
<table>
  <tr><th>backend</th><td>${store.backend!""}</td></tr>
  <tr><th>location</th><td><code>${store.location!""}</code></td></tr>
  <tr><th>sessions</th><td>${(store.sessions!"unknown")?string} <span class="meta">(${store.sessionsSource!""})</span></td></tr>
  <tr><th>schema version</th><td>${(store.schemaVersion!"unknown")?string}</td></tr>
  <tr><th>integrity</th><td>${store.integrity!"unknown"}<#if store.integrityDetail??>: ${store.integrityDetail}</#if><#if store.integritySource??> <span class="meta">(${store.integritySource})</span></#if></td></tr>
  <#if store.error??><tr><th>could not read</th><td>${store.error}</td></tr></#if>
  <tr><th>free space</th><td><#if disk.error??>unknown: ${disk.error}<#else>${disk.free!"?"} free of ${disk.total!"?"} on the file system holding <code>${disk.path}</code><#if disk.fsType??> (${disk.fsType}<#if disk.readOnly?? && disk.readOnly>, read-only</#if>)</#if></#if></td></tr>
</table>

<h2 id="config">Configuration</h2>
<table>
  <tr><th>key</th><th>value</th><th>from</th></tr>
  <#list config.entries as c>
  <tr><td><code>${c.name}</code></td><td><code>${c.value}</code></td><td>${c.source}</td></tr>
  </#list>
</table>
<#if config.problems?size gt 0>
<ul>
  <#list config.problems as p><li>${p.source}: ${p.message}<#if p.hint??> <span class="meta">(${p.hint})</span></#if></li></#list>
</ul>
</#if>

<#if environment?size gt 0>
<h2 id="environment">Environment</h2>
<table>
  <tr><th>variable</th><th>value</th></tr>
  <#list environment as e>
  <tr><td><code>${e.name}</code></td><td><code>${e.value}</code></td></tr>
  </#list>
</table>
</#if>

<h2 id="facts">Facts</h2>
<table>
  <tr><th>fact</th><th>value</th><th>probe</th></tr>
  <#list facts as f>
  <tr><td><code>${f.id}</code></td><td>${f.value?string}</td><td>${f.probe!""}</td></tr>
  </#list>
</table>

<h2 id="log">Log <span class="meta">(last ${logs.lines?size} lines of <code>${logs.file}</code>)</span></h2>
<#if logs.error??><p>${logs.error}</p><#elseif logs.lines?size == 0><p>The log is empty.</p><#else>
<pre><#list logs.lines as l>${l}
</#list></pre>
</#if>

<h2 id="contents">In this bundle</h2>
<ul>
  <#list contents as c><li><code>${c.name}</code>: ${c.why}</li></#list>
</ul>

<footer>Secrets were removed and user, home and host names replaced by pseudonyms before anything was written;
<code>manifest.json</code> says how many values were removed from each file.</footer>
</main>
</body>
</html>
