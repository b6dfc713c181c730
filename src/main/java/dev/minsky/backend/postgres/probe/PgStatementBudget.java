package dev.minsky.backend.postgres.probe;

import dev.minsky.backend.postgres.PgLocks;
import dev.minsky.doctor.probe.ProbeContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every statement a PostgreSQL probe runs waits for a lock at most a budget taken from the probe's
 * own deadline: {@code SET LOCAL lock_timeout} to {@value #MAX_MILLIS} ms, or a quarter of the time
 * the probe has left when that is less. A statement that runs out of it (SQLSTATE 55P03) is not a
 * probe that "gave up after N ms" with no reason: the probe says which statement waited, for how
 * long, and for whom ({@code postgres.statement.*}: the backends holding, or queued ahead for, a lock
 * on {@code sessions} that conflicts with the one the statement asked for, from {@code pg_locks} and
 * {@code pg_stat_activity}). Each statement is its own short transaction, so that the SET LOCAL
 * never outlives it (a pooler's server connection keeps nothing). Ends no backend.
 */
final class PgStatementBudget {
    /** The most a probe statement waits for a lock: a doctor run must stay well inside its deadline. */
    static final long MAX_MILLIS = 1500;

    static final Set<String> FACTS = Set.of("postgres.statement.lockWait", "postgres.statement.name", "postgres.statement.budgetMs",
            "postgres.statement.waitedMs", "postgres.statement.blockers", "postgres.statement.blockerPids",
            "postgres.statement.blocker.pid", "postgres.statement.blocker.application", "postgres.statement.blocker.client",
            "postgres.statement.blocker.xactSeconds", "postgres.statement.blocker.mode", "postgres.statement.reason");

    private PgStatementBudget() {}

    @FunctionalInterface
    interface Work<T> {
        T run(Statement st) throws SQLException;
    }

    /** The statement ran out of its lock budget; the facts are emitted, the message is the reason. */
    static final class LockWait extends SQLException {
        LockWait(String reason, SQLException cause) {
            super(reason, "55P03", cause);
        }
    }

    /** min(MAX_MILLIS, a quarter of what the probe has left), at least 1 ms (0 would mean "wait forever"). */
    static long millis(ProbeContext ctx) {
        return Math.max(1, Math.min(MAX_MILLIS, ctx.remaining().toMillis() / 4));
    }

    /**
     * Runs {@code work} in a transaction of its own whose lock_timeout is {@link #millis}; on 55P03
     * emits the {@code postgres.statement.*} facts and throws {@link LockWait}.
     *
     * @param name which probe and statement, for {@code postgres.statement.name}
     * @param mode the lock the statement takes on {@code sessions} (AccessShareLock for a read)
     */
    static <T> T run(ProbeContext ctx, Connection c, String name, String mode, Work<T> work) throws SQLException {
        long budget = millis(ctx);
        boolean auto = c.getAutoCommit();
        long start = System.nanoTime();
        try {
            c.setAutoCommit(false);
            T result;
            try (Statement st = c.createStatement()) {
                st.setQueryTimeout(3);
                st.execute("SET LOCAL lock_timeout = '" + budget + "ms'");
                result = work.run(st);
            }
            c.commit();
            return result;
        } catch (SQLException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // a broken connection: the server rolls back
            }
            if (!PgLocks.lockNotAvailable(e)) {
                throw e;
            }
            long waited = (System.nanoTime() - start) / 1_000_000;
            c.setAutoCommit(true);
            throw new LockWait(waited(ctx, c, name, mode, budget, waited), e);
        } finally {
            try {
                c.setAutoCommit(auto);
            } catch (SQLException ignored) {
                // as above
            }
        }
    }

    /** Emits what is known of the wait (the first one only, if several statements waited) and says it in one line. */
    private static String waited(ProbeContext ctx, Connection c, String name, String mode, long budget, long waited) {
        List<PgLocks.Blocker> blockers;
        try {
            blockers = PgLocks.blockers(c, mode);
        } catch (SQLException e) {
            blockers = List.of();
        }
        String whom = blockers.isEmpty() ? "another backend (gone by now, or not visible to this role)"
                : blockers.stream().map(PgLocks.Blocker::describe).collect(Collectors.joining("; "));
        String reason = "waited " + waited + " ms (lock_timeout " + budget + " ms) for a lock held by " + whom + ": " + name;
        if (!ctx.isTrue("postgres.statement.lockWait")) {
            ctx.emit("postgres.statement.lockWait", true);
            ctx.emit("postgres.statement.name", name);
            ctx.emit("postgres.statement.budgetMs", budget);
            ctx.emit("postgres.statement.waitedMs", waited);
            ctx.emit("postgres.statement.blockers", whom);
            ctx.emit("postgres.statement.reason", reason);
            if (!blockers.isEmpty()) {
                ctx.emit("postgres.statement.blockerPids", blockers.stream().map(b -> Long.toString(b.holder().pid()))
                        .collect(Collectors.joining(",")));
                PgLocks.Holder first = blockers.get(0).holder();
                ctx.emit("postgres.statement.blocker.pid", first.pid());
                ctx.emit("postgres.statement.blocker.application", first.application().isEmpty() ? "(no application_name)" : first.application());
                ctx.emit("postgres.statement.blocker.client", first.client());
                ctx.emit("postgres.statement.blocker.xactSeconds", first.xactSeconds());
                ctx.emit("postgres.statement.blocker.mode", first.mode());
            }
        }
        return reason;
    }
}
