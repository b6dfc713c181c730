/**
 * The doctor's probes. <b>Public plugin API</b>: {@link dev.minsky.doctor.probe.Probe} (implement
 * it and register it in {@code META-INF/services/dev.minsky.doctor.probe.Probe} of a jar in
 * {@code ~/.config/minsky/plugins/}) and {@link dev.minsky.doctor.probe.ProbeContext} (what a probe
 * sees). {@link dev.minsky.doctor.probe.ProbeRunner} is what the doctor calls.
 *
 * <p>What a plugin author needs to know:
 * <ul>
 *   <li><b>Null.</b> {@code ProbeContext.fact(id)} is empty when an earlier probe did not make the
 *   fact (it failed, timed out, or did not apply); {@code emit(id, null)} is ignored. Everything
 *   else a probe or the context returns is non-null: {@code produces()}, {@code dependsOn()}, the
 *   settings (built leniently even from a broken config). {@code Settings.connectionString()} may be
 *   null, and holds a password: never emit it (use {@code PgUrl.masked()}).</li>
 *   <li><b>Slow.</b> {@code Probe.run} may block up to its {@code timeout()}; everything else must
 *   return at once. A probe that overruns is abandoned (interrupted, its later facts dropped) and
 *   reported as {@code timeout}; the run goes on. Expensive probes are never retried.</li>
 *   <li><b>Side effects.</b> None on the store: no writes, no created or deleted files, no SQLite
 *   checkpoint, no log writes (the log lives in the state directory a probe may be looking at).</li>
 *   <li><b>Facts.</b> Ids and meanings are listed in {@code docs/doctor-contract.md}; a plugin
 *   should prefix its own ids with its name.</li>
 * </ul>
 * Sub-packages ({@code config}, {@code fs}, {@code json}, {@code sqlite}, {@code postgres},
 * {@code store}) hold the built-in probes and are internal.
 */
package dev.minsky.doctor.probe;
