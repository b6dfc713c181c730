/**
 * The public plugin API of minsky. Everything a plugin may use is in the module
 * {@code dev.minsky:minsky-plugin-api}: the probe ({@link dev.minsky.doctor.probe.Probe},
 * {@link dev.minsky.doctor.probe.ProbeContext}), action ({@link dev.minsky.doctor.fix.RemediationAction},
 * {@link dev.minsky.doctor.fix.FixContext}, {@link dev.minsky.doctor.fix.ActionPlan}) and backend
 * ({@link dev.minsky.store.StoreProvider}, {@link dev.minsky.store.SessionStore}) interfaces, the fact
 * model ({@link dev.minsky.doctor.model.Fact}, {@link dev.minsky.doctor.model.Safety}) and the records
 * they use. Everything else in minsky is internal. See docs/plugins.md.
 */
package dev.minsky.plugin.api;
