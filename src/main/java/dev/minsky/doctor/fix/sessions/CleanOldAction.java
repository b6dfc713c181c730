package dev.minsky.doctor.fix.sessions;

import dev.minsky.doctor.fix.ActionPlan;
import dev.minsky.doctor.fix.FixContext;
import dev.minsky.doctor.fix.RemediationAction;
import dev.minsky.doctor.fix.StoreState;
import dev.minsky.doctor.model.Safety;
import dev.minsky.session.SessionService;
import dev.minsky.store.SessionStore;
import dev.minsky.store.Stores;
import java.time.Duration;
import java.util.List;

/**
 * {@code sessions.clean-old}: {@code minsky session clean --older-than 90d} (the guide's
 * maintenance threshold). The fixer backs the records up first and the journal can put them back.
 */
public final class CleanOldAction implements RemediationAction {
    static final Duration RETENTION = Duration.ofDays(90);

    @Override
    public String id() {
        return "sessions.clean-old";
    }

    @Override
    public Safety safety() {
        return Safety.REVERSIBLE;
    }

    @Override
    public ActionPlan plan(FixContext ctx) {
        long n = ctx.number("sessions.olderThan90d", -1);
        if (n == 0) {
            return ActionPlan.notApplicable("no session is older than 90 days");
        }
        return ActionPlan.builder()
                .change("remove the " + (n > 0 ? n + " " : "") + "sessions created more than 90 days ago "
                        + "(minsky session clean --older-than 90d); their workspaces are left on disk")
                .changesRecords()
                .removesSessions()
                .files(StoreState.files(ctx.settings()))
                .build();
    }

    @Override
    public Applied apply(FixContext ctx, ActionPlan plan) {
        try (SessionStore store = Stores.open(ctx.settings(), false)) {
            SessionService.CleanResult r = new SessionService(ctx.settings(), store, ctx.clock()).clean(RETENTION);
            List<String> names = r.removed().stream().map(x -> x.session()).limit(10).toList();
            return Applied.of("removed " + r.removed().size() + " session(s) older than 90 days"
                    + (names.isEmpty() ? "" : " (" + String.join(", ", names) + (r.removed().size() > 10 ? ", ..." : "") + ")")
                    + (r.backup() != null ? "; backup " + r.backup().file() : ""));
        }
    }
}
