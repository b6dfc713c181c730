package dev.minsky.admin;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.config.Settings;
import dev.minsky.store.SessionStore;
import dev.minsky.store.StoreProvider;
import dev.minsky.store.VerifyReport;

/** {@code sessiondb test-connection} and {@code sessiondb healthcheck}. */
public final class Health {
    private final AdminContext ctx;

    public Health(AdminContext ctx) {
        this.ctx = ctx;
    }

    /**
     * @param exists a store exists at the location (a missing one reads as empty)
     * @param millis time to open the store and count its sessions
     */
    public record Connection(String backend, String location, boolean exists, long sessions, int schemaVersion, long millis) {}

    /** Opens the configured store and counts its sessions; exit 3 when it cannot be reached. */
    public Connection testConnection() {
        Settings s = ctx.settings();
        StoreProvider p = StoreAccess.provider(s);
        String loc = p.location(s);
        long t0 = System.nanoTime();
        try (SessionStore store = p.open(s, false)) {
            long n = store.count();
            int v = store.schemaVersion();
            long millis = (System.nanoTime() - t0) / 1_000_000;
            return new Connection(s.backend(), loc, p.exists(s), n, v, millis);
        } catch (MinskyException e) {
            if (e.exitCode() == ExitCode.INCOMPLETE && !(e instanceof dev.minsky.StoreUnreadable)) {
                throw new MinskyException(ExitCode.INCOMPLETE, "cannot reach the " + s.backend() + " store " + loc + ": "
                        + e.getMessage(), e.hint() != null ? e.hint() : "'minsky doctor' explains why", e.getCause());
            }
            throw e;
        }
    }

    public enum Status { HEALTHY, PROBLEMS, UNREACHABLE }

    /**
     * @param sessions sessions counted (-1 when the store could not be read)
     * @param problem the first problem, one line (null when healthy)
     */
    public record Check(Status status, String backend, String location, long sessions, long millis, String problem) {
        public int exitCode() {
            return switch (status) {
                case HEALTHY -> ExitCode.OK;
                case PROBLEMS -> ExitCode.FINDINGS;
                case UNREACHABLE -> ExitCode.INCOMPLETE;
            };
        }
    }

    /** Opens, counts and verifies the configured store; never throws for a store problem. */
    public Check healthcheck() {
        Settings s = ctx.settings();
        StoreProvider p = StoreAccess.provider(s);
        String loc;
        try {
            loc = p.location(s);
        } catch (MinskyException e) {
            return new Check(Status.PROBLEMS, s.backend(), "(not configured)", -1, 0, e.getMessage());
        }
        long t0 = System.nanoTime();
        long n;
        ctx.bar().phase("healthcheck: opening and counting the " + s.backend() + " store");
        try (SessionStore store = p.open(s, false)) {
            n = store.count();
        } catch (MinskyException e) {
            Status st = e.exitCode() == ExitCode.INCOMPLETE && !dev.minsky.StoreUnreadable.in(e) ? Status.UNREACHABLE : Status.PROBLEMS;
            return new Check(st, s.backend(), loc, -1, millis(t0), e.getMessage());
        }
        long millis = millis(t0);
        VerifyReport v;
        try {
            ctx.bar().phase("healthcheck: verifying the " + s.backend() + " store");
            v = p.verify(s, ctx.bar());
        } catch (MinskyException e) {
            Status st = e.exitCode() == ExitCode.INCOMPLETE && !dev.minsky.StoreUnreadable.in(e) ? Status.UNREACHABLE : Status.PROBLEMS;
            return new Check(st, s.backend(), loc, n, millis, e.getMessage());
        }
        if (!v.ok()) {
            return new Check(Status.PROBLEMS, s.backend(), loc, n, millis,
                    v.problems().isEmpty() ? "verify failed" : v.problems().get(0)
                            + (v.problems().size() > 1 ? " (and " + (v.problems().size() - 1) + " more)" : ""));
        }
        return new Check(Status.HEALTHY, s.backend(), loc, n, millis, null);
    }

    private static long millis(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
