package dev.minsky.doctor.probe.postgres;

import dev.minsky.doctor.probe.Probe;
import dev.minsky.doctor.probe.ProbeContext;
import dev.minsky.store.postgres.PgUrl;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;

/**
 * Connects to the configured PostgreSQL server with short timeouts and reports the outcome as a
 * SQLSTATE and a kind; when connected, the server version, the {@code sessions} table and its
 * indexes, and the connection counts. A server that is starting up or shutting down (57P03) is
 * retried with backoff within the probe's time; nothing else is retried.
 */
public final class PostgresProbe implements Probe {
    static final int CONNECT_TIMEOUT_SECONDS = 3;

    @Override
    public String id() {
        return "postgres.server";
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
    public Set<String> produces() {
        return Set.of("postgres.host", "postgres.port", "postgres.user", "postgres.database",
                "postgres.connect.sqlstate", "postgres.connect.kind", "postgres.connect.message",
                "postgres.connect.millis", "postgres.server.version", "postgres.table.sessions",
                "postgres.index.taskId", "postgres.index.createdAt", "postgres.connections.total",
                "postgres.connections.active", "postgres.connections.idle", "postgres.connections.idleInTransaction",
                "postgres.maxConnections", "postgres.startupRetries", "store.openSafe");
    }

    @Override
    public void run(ProbeContext ctx) throws Exception {
        PgUrl url;
        try {
            url = PgUrl.parse(ctx.settings().connectionString());
        } catch (RuntimeException e) {
            ctx.emit("store.openSafe", false);
            ctx.skip("no usable connection string (config.error says why)");
            return;
        }
        ctx.emit("postgres.host", url.host());
        ctx.emit("postgres.port", (long) url.port());
        ctx.emit("postgres.user", url.user());
        ctx.emit("postgres.database", url.database());
        Properties props = url.properties();
        props.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
        props.setProperty("loginTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS + 1));
        props.setProperty("socketTimeout", "5");
        props.setProperty("ApplicationName", "minsky-doctor");
        // ask once, do not fall back to other hosts or retry on the driver's side
        props.setProperty("tcpKeepAlive", "false");
        org.postgresql.Driver driver = new org.postgresql.Driver();
        long retries = 0;
        long backoff = 200;
        long start = System.nanoTime();
        Connection c = null;
        SQLException last = null;
        while (true) {
            try {
                c = driver.connect(url.jdbcUrl(), props);
                last = null;
                break;
            } catch (SQLException e) {
                last = e;
                boolean startingUp = "57P03".equals(e.getSQLState());
                long leftMs = ctx.remaining().toMillis();
                if (!startingUp || leftMs < backoff + 500 || Thread.currentThread().isInterrupted()) {
                    break;
                }
                Thread.sleep(backoff);
                retries++;
                backoff = Math.min(backoff * 2, 2000);
            }
        }
        ctx.emit("postgres.connect.millis", (System.nanoTime() - start) / 1_000_000);
        ctx.emit("postgres.startupRetries", retries);
        if (c == null) {
            String state = last.getSQLState() == null ? "08001" : last.getSQLState();
            ctx.emit("postgres.connect.sqlstate", state);
            ctx.emit("postgres.connect.kind", kind(last));
            ctx.emit("postgres.connect.message", mask(ctx, url, last.getMessage()));
            ctx.emit("store.openSafe", false);
            return;
        }
        try (Connection conn = c; Statement st = conn.createStatement()) {
            ctx.emit("postgres.connect.sqlstate", "00000");
            ctx.emit("postgres.connect.kind", "ok");
            st.setQueryTimeout(3);
            ctx.emit("postgres.server.version", one(st, "SHOW server_version"));
            String max = one(st, "SHOW max_connections");
            if (max != null) {
                ctx.emit("postgres.maxConnections", Long.parseLong(max.trim()));
            }
            boolean table = one(st, "SELECT to_regclass('sessions')::text") != null;
            ctx.emit("postgres.table.sessions", table);
            if (table) {
                Set<String> first = new HashSet<>();
                try (ResultSet rs = st.executeQuery("SELECT a.attname FROM pg_index i JOIN pg_attribute a"
                        + " ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]"
                        + " WHERE i.indrelid = to_regclass('sessions')")) {
                    while (rs.next()) {
                        first.add(rs.getString(1));
                    }
                }
                ctx.emit("postgres.index.taskId", first.contains("task_id"));
                ctx.emit("postgres.index.createdAt", first.contains("created_at"));
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*), count(*) FILTER (WHERE state = 'active'),"
                    + " count(*) FILTER (WHERE state = 'idle'), count(*) FILTER (WHERE state LIKE 'idle in transaction%')"
                    + " FROM pg_stat_activity WHERE backend_type = 'client backend'")) {
                if (rs.next()) {
                    ctx.emit("postgres.connections.total", rs.getLong(1));
                    ctx.emit("postgres.connections.active", rs.getLong(2));
                    ctx.emit("postgres.connections.idle", rs.getLong(3));
                    ctx.emit("postgres.connections.idleInTransaction", rs.getLong(4));
                }
            }
            ctx.emit("store.openSafe", table);
        }
    }

    private static String one(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** refused, timeout, unknown-host, unreachable, auth or other, from the exception and its causes. */
    static String kind(SQLException e) {
        String state = e.getSQLState();
        if ("28P01".equals(state) || "28000".equals(state)) {
            return "auth";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException) {
                return "unknown-host";
            }
            if (t instanceof NoRouteToHostException) {
                return "unreachable";
            }
            if (t instanceof SocketTimeoutException) {
                return "timeout";
            }
            if (t instanceof ConnectException ce) {
                String m = ce.getMessage() == null ? "" : ce.getMessage().toLowerCase(java.util.Locale.ROOT);
                if (m.contains("timed out")) {
                    return "timeout";
                }
                if (m.contains("unreachable")) {
                    return "unreachable";
                }
                return "refused";
            }
        }
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(java.util.Locale.ROOT);
        if (m.contains("timed out") || m.contains("timeout")) {
            return "timeout";
        }
        return "other";
    }

    private static String mask(ProbeContext ctx, PgUrl url, String message) {
        String m = dev.minsky.doctor.probe.RunnerContext.env(ctx).log().scrub(message == null ? "" : message);
        if (url.password() != null && url.password().length() > 0) {
            m = m.replace(url.password(), dev.minsky.util.Secrets.MASK);
        }
        return m;
    }
}
