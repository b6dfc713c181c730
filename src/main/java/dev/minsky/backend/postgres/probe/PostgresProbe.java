package dev.minsky.backend.postgres.probe;

import dev.minsky.doctor.probe.Probe;
import dev.minsky.doctor.probe.ProbeContext;
import dev.minsky.backend.postgres.PgUrl;
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
    /** How long the raw probe waits for the one-byte answer to SSLRequest once TCP is up. */
    static final int ANSWER_TIMEOUT_MS = 2500;

    @Override
    public String id() {
        return "postgres.server";
    }

    @Override
    public String checking() {
        return "the PostgreSQL server";
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
        Set<String> all = new HashSet<>(PgStatementBudget.FACTS);
        all.addAll(PRODUCES);
        return Set.copyOf(all);
    }

    private static final Set<String> PRODUCES = Set.of("postgres.host", "postgres.port", "postgres.user", "postgres.database",
                "postgres.connect.sqlstate", "postgres.connect.kind", "postgres.connect.message",
                "postgres.connect.millis", "postgres.server.version", "postgres.table.sessions",
                "postgres.index.taskId", "postgres.index.createdAt", "postgres.connections.total",
                "postgres.connections.active", "postgres.connections.idle", "postgres.connections.idleInTransaction",
                "postgres.maxConnections", "postgres.startupRetries", "store.openSafe",
                "postgres.tcp.connected", "postgres.tcp.error", "postgres.tcp.connectMillis", "postgres.server.answered",
                "postgres.server.firstByteMillis", "postgres.login.millis", "postgres.sslmode", "postgres.tls.offered",
                "postgres.tls.rootCert", "postgres.tls.rootCertExists", "postgres.tls.server.subject",
                "postgres.tls.server.issuer", "postgres.tls.server.notAfter", "postgres.tls.server.expired",
                "postgres.tls.server.daysLeft", "postgres.tls.server.names", "postgres.tls.hostnameMatches",
                "postgres.tls.chainTrusted", "postgres.tls.error", "postgres.passfile", "postgres.passfile.warning");

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
        String sslmode = url.sslMode();
        ctx.emit("postgres.sslmode", sslmode);
        String rootCert = url.rootCert();
        ctx.emit("postgres.tls.rootCert", rootCert);
        if (!"system".equals(rootCert)) {
            ctx.emit("postgres.tls.rootCertExists", java.nio.file.Files.isRegularFile(java.nio.file.Path.of(rootCert)));
        }
        if (url.params().get("passfile") != null && url.password() == null) {
            ctx.emit("postgres.passfile", url.params().get("passfile"));
            String warning = url.passfileLookup().warning();
            if (warning != null) {
                ctx.emit("postgres.passfile.warning", warning);
            }
        }
        // Below the driver first: refused, no TCP answer and "TCP up, nothing answers" are told
        // apart here in milliseconds, without a login, so that a busy server is never "unreachable".
        int answerMs = (int) Math.max(500, Math.min(ANSWER_TIMEOUT_MS, ctx.remaining().toMillis() / 3));
        PgWireProbe.Result wire = PgWireProbe.run(url.host(), url.port(), CONNECT_TIMEOUT_SECONDS * 1000, answerMs,
                !"disable".equals(sslmode));
        ctx.emit("postgres.tcp.connected", wire.tcpConnected());
        ctx.emit("postgres.tcp.connectMillis", wire.connectMillis());
        if (wire.tcpError() != null) {
            ctx.emit("postgres.tcp.error", wire.tcpError());
        }
        if (wire.tcpConnected()) {
            ctx.emit("postgres.server.answered", wire.firstByteMillis() >= 0);
            if (wire.firstByteMillis() >= 0) {
                ctx.emit("postgres.server.firstByteMillis", wire.firstByteMillis());
                ctx.emit("postgres.tls.offered", wire.answer() == 'S');
            }
            if (wire.tlsError() != null) {
                ctx.emit("postgres.tls.error", mask(ctx, url, wire.tlsError()));
            }
            PgTlsFacts.emit(ctx, wire.chain(), rootCert, url.host(), ctx.clock().instant());
            if (wire.firstByteMillis() < 0 && wire.tlsError() == null) {
                // TCP is up (the kernel accepted it) but the server sent nothing: stopped or
                // overloaded, not down; a login would only wait out its own timeout as well.
                ctx.emit("postgres.login.millis", (long) answerMs);
                ctx.emit("postgres.connect.millis", wire.connectMillis() + answerMs);
                ctx.emit("postgres.startupRetries", 0L);
                ctx.emit("postgres.connect.sqlstate", "08001");
                ctx.emit("postgres.connect.kind", "login-timeout");
                ctx.emit("postgres.connect.message", "TCP connected in " + wire.connectMillis() + " ms, but the server sent"
                        + " nothing back within " + answerMs + " ms (SSLRequest unanswered)");
                ctx.emit("store.openSafe", false);
                return;
            }
        }
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
        long connectMillis = (System.nanoTime() - start) / 1_000_000;
        ctx.emit("postgres.connect.millis", connectMillis);
        if (wire.tcpConnected()) {
            ctx.emit("postgres.login.millis", connectMillis);
        }
        ctx.emit("postgres.startupRetries", retries);
        if (c == null) {
            String state = last.getSQLState() == null ? "08001" : last.getSQLState();
            ctx.emit("postgres.connect.sqlstate", state);
            String kind = kind(last);
            if ("timeout".equals(kind) && wire.tcpConnected()) {
                kind = "login-timeout"; // the server answered TCP: slow, not unreachable
            }
            ctx.emit("postgres.connect.kind", kind);
            ctx.emit("postgres.connect.message", mask(ctx, url, last.getMessage()));
            ctx.emit("store.openSafe", false);
            return;
        }
        try (Connection conn = c) {
            ctx.emit("postgres.connect.sqlstate", "00000");
            ctx.emit("postgres.connect.kind", "ok");
            try {
                connected(ctx, conn);
            } catch (PgStatementBudget.LockWait e) {
                // a statement waited out its lock budget: the facts say for whom; the store is not read
                // (store.sessions would only wait as well) and never called healthy
                ctx.emit("store.openSafe", false);
                ctx.detail(e.getMessage());
            }
        }
    }

    /** What the server says once connected; each statement under {@link PgStatementBudget}. */
    private void connected(ProbeContext ctx, Connection conn) throws SQLException {
        String read = id() + ": SHOW server_version, max_connections";
        String version = PgStatementBudget.run(ctx, conn, read, "AccessShareLock", st -> {
            st.setQueryTimeout(3);
            return one(st, "SHOW server_version");
        });
        ctx.emit("postgres.server.version", version);
        String max = PgStatementBudget.run(ctx, conn, read, "AccessShareLock", st -> one(st, "SHOW max_connections"));
        if (max != null) {
            ctx.emit("postgres.maxConnections", Long.parseLong(max.trim()));
        }
        boolean table = PgStatementBudget.run(ctx, conn, id() + ": to_regclass('sessions')", "AccessShareLock",
                st -> one(st, "SELECT to_regclass('sessions')::text") != null);
        ctx.emit("postgres.table.sessions", table);
        if (table) {
            Set<String> first = PgStatementBudget.run(ctx, conn, id() + ": the indexes of sessions (pg_index)", "AccessShareLock", st -> {
                Set<String> names = new HashSet<>();
                try (ResultSet rs = st.executeQuery("SELECT a.attname FROM pg_index i JOIN pg_attribute a"
                        + " ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]"
                        + " WHERE i.indrelid = to_regclass('sessions')")) {
                    while (rs.next()) {
                        names.add(rs.getString(1));
                    }
                }
                return names;
            });
            ctx.emit("postgres.index.taskId", first.contains("task_id"));
            ctx.emit("postgres.index.createdAt", first.contains("created_at"));
        }
        PgStatementBudget.run(ctx, conn, id() + ": connection counts (pg_stat_activity)", "AccessShareLock", st -> {
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
            return null;
        });
        if (table) {
            // the first read every command (and store.sessions) makes: a lock that blocks readers
            // (ACCESS EXCLUSIVE held, or asked for and queued) shows here within the budget
            PgStatementBudget.run(ctx, conn, id() + ": SELECT 1 FROM sessions LIMIT 1 (the store's first read)", "AccessShareLock",
                    st -> {
                        try (ResultSet rs = st.executeQuery("SELECT 1 FROM sessions LIMIT 1")) {
                            return rs.next();
                        }
                    });
            ctx.emit("postgres.statement.lockWait", false);
        }
        ctx.emit("store.openSafe", table);
    }

    private static String one(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** refused, timeout, unknown-host, unreachable, auth or other, from the exception and its causes. */
    static String kind(SQLException e) {
        String state = e.getSQLState();
        String tls = dev.minsky.backend.postgres.PostgresConnector.tlsKind(e);
        if (tls != null) {
            return tls;
        }
        if ("08004".equals(state) && String.valueOf(e.getMessage()).contains("no password was provided")) {
            return "no-password";
        }
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
        String pw = url.password() != null ? url.password() : url.passfileLookup().password();
        if (pw != null && pw.length() > 0) {
            m = m.replace(pw, dev.minsky.util.Secrets.MASK);
        }
        return m;
    }
}
