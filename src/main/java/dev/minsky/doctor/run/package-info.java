/**
 * One doctor run ({@link dev.minsky.doctor.run.Doctor}): loads the playbooks, builds the rule
 * base, runs the probes and diagnoses. It sits above the probes, the engine and the store
 * registry; what they all share ({@link dev.minsky.doctor.DoctorEnv},
 * {@link dev.minsky.doctor.DoctorOptions}) stays in {@code dev.minsky.doctor}, below them, so
 * that no package of the doctor depends on one that depends on it.
 */
package dev.minsky.doctor.run;
