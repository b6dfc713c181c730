package dev.minsky.doctor.fix.sessions;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.doctor.fix.ActionPlan;
import dev.minsky.doctor.fix.BuiltinAction;
import dev.minsky.doctor.fix.FixContext;
import dev.minsky.doctor.fix.StoreState;
import dev.minsky.model.Timestamps;
import dev.minsky.session.SessionService;
import dev.minsky.store.SessionStore;
import dev.minsky.store.Stores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code sessions.clean-old}: {@code minsky session clean --older-than 90d} (the guide's
 * maintenance threshold). The fixer backs the records up first and the journal can put them back.
 */
public final class CleanOldAction extends BuiltinAction {
    static final Duration RETENTION = Duration.ofDays(90);
    private static final String WORKSPACES_TO = "workspacesTo";

    public CleanOldAction() {
        super("sessions.clean-old");
    }

    @Override
    public ActionPlan plan(FixContext ctx) {
        long n = ctx.number("sessions.olderThan90d", -1);
        if (n == 0) {
            return ActionPlan.notApplicable("no session is older than 90 days");
        }
        Path dest = SessionService.removedWorkspacesRoot(ctx.settings()).resolve("doctor-" + Timestamps.fileStampMillis(ctx.clock().instant()));
        return ActionPlan.builder()
                .change("remove the " + (n > 0 ? n + " " : "") + "sessions created more than 90 days ago "
                        + "(minsky session clean --older-than 90d)")
                .change("move their workspaces from " + ctx.settings().workspacesDir() + " to " + dest
                        + " (kept, not deleted: --undo moves them back)")
                .param(WORKSPACES_TO, dest.toString())
                .changesRecords()
                .removesSessions()
                .files(StoreState.files(ctx.settings()))
                .build();
    }

    @Override
    public Applied apply(FixContext ctx, ActionPlan plan) {
        try (SessionStore store = Stores.open(ctx.settings(), false)) {
            SessionService.CleanResult r = new SessionService(ctx.settings(), store, ctx.clock())
                    .clean(RETENTION, Path.of(plan.param(WORKSPACES_TO)));
            List<String> names = r.removed().stream().map(x -> x.session()).limit(10).toList();
            return Applied.of("removed " + r.removed().size() + " session(s) older than 90 days"
                    + (names.isEmpty() ? "" : " (" + String.join(", ", names) + (r.removed().size() > 10 ? ", ..." : "") + ")")
                    + (r.backup() != null ? "; backup " + r.backup().file() : "")
                    + (r.workspaces().describe().isEmpty() ? "" : "; " + r.workspaces().describe()));
        }
    }

    /** The records come back from the journal's copies; this puts their workspaces back. */
    @Override
    public void undo(FixContext ctx, ActionPlan plan) {
        String to = plan.param(WORKSPACES_TO);
        if (to == null) {
            return;
        }
        try {
            List<String> left = SessionService.restoreWorkspaces(ctx.settings(), Path.of(to));
            if (!left.isEmpty()) {
                throw new MinskyException(ExitCode.INCOMPLETE, "the records are back but some workspaces could not be moved back: "
                        + String.join(", ", left), "move them into " + ctx.settings().workspacesDir() + " by hand");
            }
        } catch (java.io.IOException e) {
            throw new MinskyException(ExitCode.INCOMPLETE, "the records are back but their workspaces could not be moved back from "
                    + to + ": " + e.getMessage(), "move them into " + ctx.settings().workspacesDir() + " by hand");
        }
    }
}
