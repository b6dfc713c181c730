<#--
  The Markdown bug report inside a minsky bundle. Every value here was sanitized before this
  template saw it. To change the report, copy this file to
  ~/.config/minsky/templates/bundle/report.md.ftl and edit the copy.
-->
<#function cell v><#return (v!"")?string?replace("|", "\\|")?replace("\r", "")?replace("\n", " ")></#function>
<#assign r = report>
<#macro findingList list>
<#list list as f>
### ${f?counter}. ${f.title!f.cause} — ${f.severity!""}, ${((f.confidence!0) * 100)?round}% confident

- cause: `${f.cause}`<#if f.code??> · code: `${f.code}`</#if><#if f.area??> · area: ${f.area}</#if>

<#if (f.evidence![])?size gt 0>
| evidence | value | for / against | weight |
|---|---|---|---|
<#list f.evidence as e>
| `${cell(e.fact)}` | ${cell(e.value!"(absent)")} | ${e.supports?then("for", "against")} | ${(e.weight!0)?string("0.00")} |
</#list>

</#if>
<#list f.remediations![] as fix>
${fix?counter}. **${fix.summary!fix.id}** (`${fix.id}`, ${fix.safety!""})<#if fix.command??>

   ```
   ${fix.command?replace("\n", "\n   ")}
   ```
</#if><#if fix.warning??>

   > ⚠ ${fix.warning}
</#if>
</#list>

</#list>
</#macro>

# minsky bug report

| | |
|---|---|
| minsky | ${cell(meta.minskyVersion)} |
| generated | ${cell(meta.generatedAt)} |
| OS | ${cell(meta.os)} |
| Java | ${cell(meta.java)} |
| host / user | ${cell(meta.host)} / ${cell(meta.user)} |
| backend | ${cell(meta.backend)} |
| store | `${cell(meta.store!"")}` |
| healthy | <#if r.after??>${r.after.healthy?then("yes", "no")} after the fix (before: ${r.healthy?then("yes", "no")})<#else>${r.healthy?then("yes", "no")}</#if> |
| command | `${cell(meta.command)}` |

<#if r.after??>
<#assign a = r.after>
## Findings after the fix (${(a.findings![])?size}, most likely first)

<#if (a.findings![])?size == 0>
No findings after the fix: the doctor found nothing wrong any more.
</#if>
<@findingList a.findings![]/>
</#if>
## <#if r.after??>Findings before the fix<#else>Findings</#if> (${(r.findings![])?size}, most likely first)

<#if r.after??>
What the doctor found before <code>--fix</code> ran; the fixes applied are listed below, and the findings above are what a new diagnosis found after them.

</#if>
<#if (r.findings![])?size == 0>
No findings: the doctor found nothing wrong.
</#if>
<@findingList r.findings![]/>
<#if r.applied??>
## Fixes tried

<#if r.after??>Applied after the diagnosis "before the fix" and before the one "after the fix".

</#if>
| remediation | cause | result | backup | detail |
|---|---|---|---|---|
<#list r.applied as a>
| `${cell(a.remediation)}` | `${cell(a.cause)}` | ${cell(a.result)} | ${cell(a.backup!"")} | ${cell(a.detail!"")} |
</#list>

</#if>
## Probes

| probe | status | ms | detail |
|---|---|---:|---|
<#list r.probes![] as p>
| `${cell(p.id)}` | ${cell(p.status)} | ${p.millis} | ${cell(p.detail!"")} |
</#list>

## Store

| | |
|---|---|
| backend | ${cell(store.backend!"")} |
| location | `${cell(store.location!"")}` |
| sessions | ${cell(store.sessions!"unknown")} (${cell(store.sessionsSource!"")}) |
| schema version | ${cell(store.schemaVersion!"unknown")} |
| integrity | ${cell(store.integrity!"unknown")}<#if store.integrityDetail??>: ${cell(store.integrityDetail)}</#if><#if store.integritySource??> (${cell(store.integritySource)})</#if> |
<#if store.error??>
| could not read | ${cell(store.error)} |
</#if>

## Free space

<#if disk.error??>
Unknown: ${disk.error}
<#else>
${disk.free!"?"} free of ${disk.total!"?"} on the file system holding `${disk.path}`<#if disk.fsType??> (${disk.fsType}<#if disk.readOnly?? && disk.readOnly>, read-only</#if>)</#if>.
</#if>

## Configuration

| key | value | from |
|---|---|---|
<#list config.entries as c>
| `${cell(c.name)}` | `${cell(c.value)}` | ${cell(c.source)} |
</#list>
<#if config.problems?size gt 0>

Problems:
<#list config.problems as p>
- ${cell(p.source)}: ${cell(p.message)}<#if p.hint??> (${cell(p.hint)})</#if>
</#list>
</#if>

<#if environment?size gt 0>
## Environment

| variable | value |
|---|---|
<#list environment as e>
| `${cell(e.name)}` | `${cell(e.value)}` |
</#list>

</#if>
## Facts

| fact | value | probe |
|---|---|---|
<#list facts as f>
| `${cell(f.id)}` | ${cell(f.value)} | ${cell(f.probe!"")} |
</#list>

## Log (last ${logs.lines?size} lines of `${logs.file}`)

<#if logs.error??>
${logs.error}
<#elseif logs.lines?size == 0>
The log is empty.
<#else>
```
<#list logs.lines as l>
${l}
</#list>
```
</#if>

## In this bundle

<#list contents as c>
- `${c.name}`: ${c.why}
</#list>

Secrets were removed and user, home and host names replaced by pseudonyms before anything was
written; `manifest.json` says how many values were removed from each file.
