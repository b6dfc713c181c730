/**
 * The doctor's fact and finding model. <b>Public plugin API</b>: probes produce
 * {@link dev.minsky.doctor.model.Fact}s, playbooks turn them into
 * {@link dev.minsky.doctor.model.Finding}s, and these records are the {@code doctor --json}
 * document. Fields are a contract with scripts: they may be added to, never renamed.
 */
package dev.minsky.doctor.model;
