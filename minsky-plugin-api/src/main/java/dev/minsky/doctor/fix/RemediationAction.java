package dev.minsky.doctor.fix;

import dev.minsky.doctor.model.Safety;

/**
 * One remediation that {@code minsky doctor --fix} can carry out, named by an action id from
 * docs/doctor-contract.md (e.g. {@code sqlite.checkpoint-wal}). Implementations are found with
 * {@link java.util.ServiceLoader} through {@link dev.minsky.plugin.Plugins#classLoader}, so a plugin
 * jar adds one by listing it in {@code META-INF/services/dev.minsky.doctor.fix.RemediationAction}.
 *
 * <p>The fixer does the bookkeeping around an action: it copies every path the plan names into the
 * journal before {@link #apply} (and restores them on rollback or {@code --undo}), takes a verified
 * backup of the records when the plan says it changes them, diagnoses again afterwards and rolls
 * the change back when the cause is still there or sessions were lost. An action only has to say
 * exactly what it will change and then change it.
 */
public interface RemediationAction {

    /** The action id, e.g. {@code json.salvage}. */
    String id();

    /**
     * The safety class this implementation guarantees. {@code safe} actions must not be able to
     * lose or change session data; {@code reversible} ones may change data because the fixer backs
     * it up first. Destructive and manual remediations are never implemented as actions.
     */
    Safety safety();

    /**
     * Says exactly what {@link #apply} would change: files, SQL, config lines. Must not change
     * anything at all (it runs for {@code --dry-run}): no writes, no database opened read-write,
     * no directory created. It may read files and facts; it should be fast. Returns
     * {@link ActionPlan#notApplicable} when the action cannot help here (the reason is shown).
     */
    ActionPlan plan(FixContext ctx);

    /**
     * Makes the change described by the plan. The plan's files are already in the journal. Throws
     * {@link dev.minsky.MinskyException} on an expected failure; the fixer then restores the
     * journal's copies. May be slow (a database recovery).
     *
     * @return what was done, one line, and the number of sessions the result must hold (or -1)
     */
    Applied apply(FixContext ctx, ActionPlan plan);

    /**
     * Undoes what restoring the plan's files cannot: a change on a server (a database created).
     * Called on rollback and {@code --undo} after the files were restored. The default does nothing.
     * {@code ctx.finding()} and {@code ctx.remediation()} may be null here.
     */
    default void undo(FixContext ctx, ActionPlan plan) {
    }

    /**
     * @param detail what was done, for the user
     * @param promisedSessions sessions the store must hold afterwards, or -1 when the action makes no such promise
     */
    record Applied(String detail, long promisedSessions) {
        public static Applied of(String detail) {
            return new Applied(detail, -1);
        }
    }
}
