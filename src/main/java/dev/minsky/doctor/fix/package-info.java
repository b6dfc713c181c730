/**
 * {@code minsky doctor --fix}, {@code --dry-run} and {@code --undo}.
 *
 * <p><b>Plugin API:</b> {@link dev.minsky.doctor.fix.RemediationAction} (with
 * {@link dev.minsky.doctor.fix.ActionPlan} and {@link dev.minsky.doctor.fix.FixContext}) is the
 * interface a plugin jar implements to add a remediation; list the class in
 * {@code META-INF/services/dev.minsky.doctor.fix.RemediationAction} and put the jar in
 * {@code ~/.config/minsky/plugins/}. Its id must be an action id a playbook names
 * (docs/doctor-contract.md). {@link dev.minsky.doctor.fix.StoreState} and
 * {@link dev.minsky.doctor.fix.Paths2} are helpers plugins may use.
 *
 * <p>Internal: {@code Fixer}'s run ({@code FixRun}, which puts together
 * {@code FixPlanning}, {@code GuardedStep}, {@code FixLedger} and {@code FixConsole}), the {@code Journal}
 * format, and the built-in actions in the sub-packages ({@code fs}, {@code store},
 * {@code sessions}, {@code json}, {@code sqlite}, {@code postgres}) with their bases
 * {@code BuiltinAction} and {@code StoreFileAction}. A built-in action's id and safety class are
 * those of the engine's catalogue ({@link dev.minsky.doctor.fix.Actions}), the one list of
 * action ids; {@code ActionRegistry} finds the implementations.
 *
 * <p>The guarantees: {@code --dry-run} writes nothing (no journal, no backup, no log line); before
 * a step changes anything its files are copied into {@code <state>/doctor/journal/<id>/} and
 * verified, and records are backed up into {@code <state>/backups/} when they change; after each
 * step the doctor diagnoses again, and the step is rolled back when its cause is still there or
 * the store holds fewer sessions than it promised. Destructive and manual remediations are only
 * ever printed. A process holding the store is never killed, and a {@code -wal} is never deleted.
 */
package dev.minsky.doctor.fix;
