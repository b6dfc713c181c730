package dev.minsky.backend.postgres.probe;

import dev.minsky.doctor.probe.Probe;
import dev.minsky.doctor.probe.ProbeContext;
import dev.minsky.backend.postgres.PgConnectRetry;
import dev.minsky.backend.postgres.PgLocks;
import dev.minsky.backend.postgres.PgUrl;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.Set;

/**
 * Who uses the store's database, once {@code postgres.server} could connect: the connections to it
 * by state, application name and client address; whether a write on {@code sessions} would wait
 * (a {@code LOCK TABLE sessions IN ROW EXCLUSIVE MODE} with a short {@code lock_timeout}, rolled
 * back at once: the lock every INSERT takes) and, when it would, the backend holding the table
 * (pid, application, client, how long its transaction has been open); and whether something sits
 * between minsky and the server (the backend's own port is not the one connected to) and the
 * driver's server-side prepared statements survive it (the statement the driver prepared is used
 * again in a transaction while a second client holds the server connection it was made on).
 * Changes nothing and ends no backend.
 */
public final class PgActivityProbe implements Probe {
    private static final class ThreadLocalToken {
        static long next() {
            return java.util.concurrent.ThreadLocalRandom.current().nextLong();
        }
    }

    static final long LOCK_PROBE_MILLIS = 500;

    @Override
    public String id() {
        return "postgres.activity";
    }

    @Override
    public String checking() {
        return "PostgreSQL sessions and locks";
    }

    @Override
    public Cost cost() {
        return Cost.MODERATE;
    }

    @Override
    public java.time.Duration timeout() {
        return java.time.Duration.ofSeconds(8);
    }

    @Override
    public boolean appliesTo(String backend) {
        return "postgres".equals(backend);
    }

    @Override
    public Set<String> dependsOn() {
        return Set.of("postgres.connect.kind");
    }

    @Override
    public Set<String> produces() {
        Set<String> all = new java.util.HashSet<>(PgStatementBudget.FACTS);
        all.addAll(Set.of("postgres.activity.total", "postgres.activity.groups", "postgres.activity.minsky",
                "postgres.lock.blocked", "postgres.lock.waiters", "postgres.lock.holder.pid", "postgres.lock.holder.application",
                "postgres.lock.holder.client", "postgres.lock.holder.xactSeconds", "postgres.lock.holder.mode",
                "postgres.lock.holder.state", "postgres.pooler.suspected", "postgres.server.port", "postgres.prepareThreshold",
                "postgres.preparedStatements.ok", "postgres.preparedStatements.sqlstate", "postgres.preparedStatements.message"));
        return Set.copyOf(all);
    }

    private static Properties props(PgUrl url) {
        Properties p = url.properties();
        PgConnectRetry.applyConfigured(url, p);
        p.setProperty("connectTimeout", "3");
        p.setProperty("loginTimeout", "4");
        p.setProperty("socketTimeout", "4");
        p.setProperty("ApplicationName", "minsky doctor");
        return p;
    }

    @Override
    public void run(ProbeContext ctx) throws Exception {
        if (!"ok".equals(ctx.fact("postgres.connect.kind").map(f -> String.valueOf(f.value())).orElse(null))) {
            ctx.skip("no connection to the server (postgres.connect.kind says why)");
            return;
        }
        PgUrl url = PgUrl.parse(ctx.settings().connectionString());
        Properties props = props(url);
        // the probe's own connections prepare nothing on the server: only the check below uses
        // the configured threshold, so that a pooler's clash shows there and nowhere else
        Properties plain = (Properties) props.clone();
        plain.setProperty("prepareThreshold", "0");
        org.postgresql.Driver driver = new org.postgresql.Driver();
        try (Connection c = driver.connect(url.jdbcUrl(), plain)) {
            PgStatementBudget.run(ctx, c, id() + ": connections by state, application and client (pg_stat_activity)", "AccessShareLock",
                    st -> {
                        activity(ctx, st);
                        return null;
                    });
            locks(ctx, c);
            Integer serverPort = PgStatementBudget.run(ctx, c, id() + ": SELECT inet_server_port()", "AccessShareLock", st -> {
                try (ResultSet rs = st.executeQuery("SELECT inet_server_port()")) {
                    rs.next();
                    int p = rs.getInt(1);
                    return rs.wasNull() ? null : p;
                }
            });
            if (serverPort != null) {
                ctx.emit("postgres.server.port", (long) serverPort);
            }
            // the server's backend did not get our TCP connection on the port we dialled: a pooler or proxy
            boolean suspected = serverPort == null || serverPort != url.port();
            ctx.emit("postgres.pooler.suspected", suspected);
            long threshold = threshold(props);
            ctx.emit("postgres.prepareThreshold", threshold);
            if (suspected && threshold > 0) {
                preparedStatements(ctx, driver, url, props, plain, (int) threshold);
            }
        }
    }

    private static long threshold(Properties p) {
        try {
            return Long.parseLong(p.getProperty("prepareThreshold", "5").trim());
        } catch (NumberFormatException e) {
            return 5;
        }
    }

    private static void activity(ProbeContext ctx, Statement st) throws SQLException {
        StringBuilder groups = new StringBuilder();
        long total = 0;
        long minsky = 0;
        try (ResultSet rs = st.executeQuery("SELECT coalesce(state, 'unknown'), coalesce(application_name, ''),"
                     + " coalesce(host(client_addr), CASE WHEN client_port = -1 THEN 'local' ELSE 'unknown' END), count(*)"
                     + " FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'"
                     + " GROUP BY 1, 2, 3 ORDER BY 4 DESC, 1, 2, 3")) {
            int shown = 0;
            while (rs.next()) {
                long n = rs.getLong(4);
                total += n;
                String app = rs.getString(2);
                if (app.startsWith("minsky")) {
                    minsky += n;
                }
                if (shown++ < 20) {
                    groups.append(groups.length() == 0 ? "" : "; ").append(rs.getString(1)).append(" · ")
                            .append(app.isEmpty() ? "(no application_name)" : app).append(" · ").append(rs.getString(3))
                            .append(": ").append(n);
                }
            }
        }
        ctx.emit("postgres.activity.total", total);
        ctx.emit("postgres.activity.minsky", minsky);
        ctx.emit("postgres.activity.groups", groups.toString());
    }

    private void locks(ProbeContext ctx, Connection c) throws SQLException {
        boolean table = PgStatementBudget.run(ctx, c, id() + ": to_regclass('sessions')", "AccessShareLock", st -> {
            try (ResultSet rs = st.executeQuery("SELECT to_regclass('sessions') IS NOT NULL")) {
                rs.next();
                return rs.getBoolean(1);
            }
        });
        if (!table) {
            return;
        }
        ctx.emit("postgres.lock.waiters", PgStatementBudget.run(ctx, c, id() + ": waiters on sessions (pg_locks)", "AccessShareLock",
                st -> PgLocks.waiters(st.getConnection())));
        boolean blocked = false;
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            // the write check's own wait: 500 ms, or less when the probe's deadline is nearer
            st.execute("SET LOCAL lock_timeout = '" + Math.min(LOCK_PROBE_MILLIS, PgStatementBudget.millis(ctx)) + "ms'");
            st.execute("LOCK TABLE sessions IN ROW EXCLUSIVE MODE");
        } catch (SQLException e) {
            if (!PgLocks.lockNotAvailable(e)) {
                throw e;
            }
            blocked = true;
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
        ctx.emit("postgres.lock.blocked", blocked);
        if (blocked) {
            PgLocks.Holder h = PgStatementBudget.run(ctx, c, id() + ": the holder of sessions (pg_locks)", "AccessShareLock",
                    st -> PgLocks.holder(st.getConnection()));
            if (h != null) {
                ctx.emit("postgres.lock.holder.pid", h.pid());
                ctx.emit("postgres.lock.holder.application", h.application().isEmpty() ? "(no application_name)" : h.application());
                ctx.emit("postgres.lock.holder.client", h.client());
                ctx.emit("postgres.lock.holder.xactSeconds", h.xactSeconds());
                ctx.emit("postgres.lock.holder.mode", h.mode());
                ctx.emit("postgres.lock.holder.state", h.state());
            }
        }
    }

    /**
     * The same statement, past the driver's prepareThreshold, then once more in a transaction
     * while a second client holds the server connection it was prepared on. Directly on a server,
     * or behind a pooler in session mode, both connections keep their own server backend and this
     * works; behind a pooler in transaction mode it fails with 26000 (or 42P05).
     */
    private static void preparedStatements(ProbeContext ctx, org.postgresql.Driver driver, PgUrl url, Properties props,
                                           Properties plain, int threshold) throws SQLException {
        try {
            preparedStatementsOnce(ctx, driver, url, props, plain, threshold);
        } catch (SQLException e) {
            // 42P05 can come at any Parse: another client's statement of the same name on that server connection
            if (!PgConnectRetry.preparedStatementClash(e)) {
                throw e;
            }
            ctx.emit("postgres.preparedStatements.ok", false);
            ctx.emit("postgres.preparedStatements.sqlstate", e.getSQLState());
            ctx.emit("postgres.preparedStatements.message", dev.minsky.doctor.probe.RunnerContext.env(ctx).log().scrub(String.valueOf(e.getMessage())));
        }
    }

    private static void preparedStatementsOnce(ProbeContext ctx, org.postgresql.Driver driver, PgUrl url, Properties props,
                                               Properties plain, int threshold) throws SQLException {
        // a token of this run: a statement another run left under the same name returns another one
        String token = Long.toHexString(System.nanoTime() ^ ThreadLocalToken.next());
        String sql = "SELECT pg_backend_pid(), '" + token + "' FROM pg_class WHERE relname <> ? LIMIT 1";
        java.util.List<Connection> holders = new java.util.ArrayList<>();
        try (Connection a = driver.connect(url.jdbcUrl(), props); PreparedStatement ps = a.prepareStatement(sql)) {
            long backend = 0;
            for (int i = 0; i <= threshold; i++) {
                ps.setString(1, "sessions");
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    backend = rs.getLong(1);
                }
            }
            // Other clients take server connections in open transactions until one holds the one A
            // prepared its statement on. Behind a transaction pooler one of them gets it; directly on
            // the server, or in session mode, none can (A keeps its backend) and the check passes.
            Properties holding = (Properties) plain.clone();
            holding.setProperty("socketTimeout", "2");
            boolean taken = false;
            for (int i = 0; i < 6 && !taken; i++) {
                Connection h;
                try {
                    h = driver.connect(url.jdbcUrl(), holding);
                    h.setAutoCommit(false);
                    holders.add(h);
                    try (Statement st = h.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
                        rs.next();
                        taken = rs.getLong(1) == backend;
                    }
                } catch (SQLException e) {
                    break; // the pool has no more server connections to hand out: stop here
                }
            }
            a.setAutoCommit(false);
            try {
                ps.setString(1, "sessions");
                String got;
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    got = rs.getString(2);
                }
                if (token.equals(got)) {
                    ctx.emit("postgres.preparedStatements.ok", true);
                } else {
                    ctx.emit("postgres.preparedStatements.ok", false);
                    ctx.emit("postgres.preparedStatements.sqlstate", "none");
                    ctx.emit("postgres.preparedStatements.message", "the server connection ran another client's prepared statement of the same name");
                }
            } finally {
                a.rollback();
            }
        } finally {
            for (Connection h : holders) {
                try {
                    h.close();
                } catch (SQLException ignored) {
                    // closing
                }
            }
        }
    }
}
