package dev.minsky.backend.postgres;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.util.Secrets;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Connects with bounded timeouts and retries only what a wait can fix: a refused connection
 * (the server is not up yet), 57P03 (starting up) and 53300 (too many clients), with capped
 * exponential backoff inside a total time budget. A wrong password, a missing role or database
 * and anything else fail at once. Every error names the SQLSTATE and the masked connection string;
 * the password is scrubbed from every message, whatever the driver put in it.
 */
public final class PostgresConnector {
    /** Seconds; the driver's defaults (10 s connect, no socket timeout) are too long for a CLI. */
    static final int CONNECT_TIMEOUT_S = 5;
    /**
     * The whole login (TLS, SCRAM's key stretching, the backend's start) once TCP is up. On a busy
     * machine, or with many clients logging in at once, that takes far longer than the TCP connect,
     * and running out of it is not "unreachable": a generous timeout for one attempt (the
     * connection string's loginTimeout replaces it), cut to what the connection wait has left;
     * a timed-out attempt is tried again within that wait (see {@link #connect}).
     */
    static final int LOGIN_TIMEOUT_S = 30;
    static final int SOCKET_TIMEOUT_S = 30;
    static final int MAX_ATTEMPTS = 4;
    static final long FIRST_BACKOFF_MS = 250;
    static final long MAX_BACKOFF_MS = 2000;
    static final long RETRY_BUDGET_MS = 8000;

    private PostgresConnector() {}

    /** What went wrong, from a failed connection or statement. */
    public record Failure(String sqlState, String kind, boolean retryable) {}

    public static Failure classify(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String tls = tlsKind(e);
        if (tls != null) {
            return new Failure(state.isEmpty() ? "08006" : state, tls, false);
        }
        if ("08004".equals(state) && String.valueOf(e.getMessage()).contains("no password was provided")) {
            return new Failure(state, "no-password", false);
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof SocketTimeoutException && String.valueOf(c.getMessage()).contains("Read timed out")) {
                return new Failure(state.isEmpty() ? "08001" : state, "login-timeout", false); // TCP was up
            }
            if (c instanceof ConnectException || c instanceof NoRouteToHostException) {
                return new Failure(state.isEmpty() ? "08001" : state, "refused", c instanceof ConnectException);
            }
            if (c instanceof UnknownHostException) {
                return new Failure(state.isEmpty() ? "08001" : state, "unknown-host", false);
            }
            if (c instanceof SocketTimeoutException) {
                return new Failure(state.isEmpty() ? "08001" : state, "timeout", false);
            }
        }
        if ("08001".equals(state) && String.valueOf(e.getMessage()).contains("Connection attempt timed out")) {
            return new Failure(state, "login-timeout", false); // the driver's loginTimeout: TCP was up
        }
        return switch (state) {
            case "57P03" -> new Failure(state, "starting-up", true);
            case "53300" -> new Failure(state, "too-many-clients", true);
            case "28P01", "28000" -> new Failure(state, "auth", false);
            case "3D000" -> new Failure(state, "no-database", false);
            default -> new Failure(state, state.startsWith("08") ? "connection" : "other", false);
        };
    }

    /**
     * The TLS failure a connect attempt met, or null: {@code tls-required} (the server's
     * pg_hba.conf has no entry for a plain connection), {@code tls-unsupported} (the client asks
     * for TLS, the server offers none), {@code tls-hostname-mismatch}, {@code tls-untrusted}
     * (the chain does not verify against the CA file, or the CA file cannot be read).
     */
    public static String tlsKind(Throwable e) {
        String state = e instanceof SQLException se ? String.valueOf(se.getSQLState()) : "";
        String top = String.valueOf(e.getMessage());
        if ("28000".equals(state) && top.contains("no encryption")) {
            return "tls-required";
        }
        if (top.contains("The server does not support SSL")) {
            return "tls-unsupported";
        }
        if (top.contains("could not be verified by hostnameverifier")) {
            return "tls-hostname-mismatch";
        }
        if (top.contains("Could not open SSL root certificate file") || top.contains("SSL root certificate")) {
            return "tls-untrusted";
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof java.security.cert.CertificateException || c instanceof java.security.cert.CertPathValidatorException
                    || c instanceof java.security.cert.CertPathBuilderException) {
                return "tls-untrusted";
            }
            if (c instanceof javax.net.ssl.SSLHandshakeException she) {
                String m = String.valueOf(she.getMessage());
                if (m.contains("PKIX") || m.contains("certificat")) {
                    return "tls-untrusted";
                }
            }
        }
        return null;
    }

    static Properties properties(PgUrl url) {
        return properties(url, LOGIN_TIMEOUT_S);
    }

    /** The login timeout of one attempt: the connection string's loginTimeout, else 30 s, cut to what the budget has left. */
    static int loginSeconds(PgUrl url, long leftMillis) {
        int each = LOGIN_TIMEOUT_S;
        String v = url.properties().getProperty("loginTimeout");
        if (v != null) {
            try {
                each = Math.max(1, Integer.parseInt(v.trim()));
            } catch (NumberFormatException e) {
                // the driver's own message tells
            }
        }
        return (int) Math.max(1, Math.min(each, (leftMillis + 999) / 1000));
    }

    static Properties properties(PgUrl url, int loginSeconds) {
        Properties p = url.properties();
        p.putIfAbsent("connectTimeout", Integer.toString(CONNECT_TIMEOUT_S));
        p.setProperty("loginTimeout", Integer.toString(loginSeconds));
        p.putIfAbsent("socketTimeout", Integer.toString(SOCKET_TIMEOUT_S));
        PgConnectRetry.apply(url, p); // application_name "minsky <command>", prepareThreshold=0 behind a pooler
        // One multi-row INSERT per batch instead of one round trip per row: imports of 100,000 rows.
        p.putIfAbsent("reWriteBatchedInserts", "true");
        return p;
    }

    /**
     * The files the driver would open (CA, client certificate and key, password file): a FIFO or a
     * device there would hang the connection or never end, so each that exists must be a regular file
     * (or a symlink to one); BAD_INPUT naming it otherwise. A missing one is left to the driver's message.
     */
    static void requireRegularFiles(PgUrl url) {
        for (String param : new String[] {"sslrootcert", "sslcert", "sslkey", "passfile"}) {
            String v = url.params().get(param);
            if (v == null || v.isEmpty() || "system".equals(v)) {
                continue;
            }
            java.nio.file.Path f = java.nio.file.Path.of(v);
            if (java.nio.file.Files.exists(f) && !java.nio.file.Files.isRegularFile(f)) {
                throw MinskyException.badInput("the " + param + " file " + f + " is not a regular file ("
                        + (java.nio.file.Files.isDirectory(f) ? "a directory" : "a FIFO, a device or a socket") + "); it was not opened",
                        "point " + param + " in sessiondb.connectionString (or its PG* variable) at an ordinary file");
            }
        }
    }

    /**
     * Opens one connection, retrying what is worth retrying; throws MinskyException otherwise. A
     * login that does not finish (TCP was up: the server or this machine is very busy) is part of
     * the connection wait ({@code sessiondb.connectionWait}, {@code MINSKY_POSTGRES_WAIT_MS}), but
     * gets at least one whole login timeout ({@link #loginBudgetMillis}): each attempt gets the login
     * timeout (30 s, or the connection string's loginTimeout) cut to what is left, and a timed-out one is tried again with capped, jittered backoff until the budget is
     * spent; only then does the command fail, saying what it waited for and how long.
     */
    public static Connection connect(PgUrl url) {
        requireRegularFiles(url);
        long start = System.nanoTime();
        long deadline = start + RETRY_BUDGET_MS * 1_000_000;
        int loginEach = loginSeconds(url, Long.MAX_VALUE / 2);
        long waitMillis = loginBudgetMillis(PgConnectRetry.waitMillis(), loginEach);
        long loginDeadline = start + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(waitMillis);
        long backoff = FIRST_BACKOFF_MS;
        long loginBackoff = PgConnectRetry.FIRST_BACKOFF_MS;
        int attempt = 0;
        int logins = 0;
        boolean told = false;
        while (true) {
            attempt++;
            int login = loginSeconds(url, Math.max(0, (loginDeadline - System.nanoTime()) / 1_000_000));
            try {
                return PgConnectRetry.open(url, () -> DriverManager.getConnection(url.jdbcUrl(), properties(url, login)));
            } catch (PgConnectRetry.SlotWaitExpired e) {
                MinskyException m = error(url, e, classify(e), e.attempts);
                throw new MinskyException(m.exitCode(), m.getMessage() + " (waited " + PgConnectRetry.seconds(e.waitedNanos)
                        + " of a " + PgConnectRetry.seconds(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(PgConnectRetry.waitMillis()))
                        + " deadline, the last attempt at the deadline, for a free connection slot; MINSKY_POSTGRES_WAIT_MS"
                        + " or sessiondb.connectionWait sets how long)", m.hint(), m.getCause());
            } catch (SQLException e) {
                Failure f = classify(e);
                if ("login-timeout".equals(f.kind())) {
                    logins++;
                    long now = System.nanoTime();
                    long leftMs = (loginDeadline - now) / 1_000_000;
                    // another attempt only when it can have a second of login at least
                    if (leftMs < 1000 || Thread.currentThread().isInterrupted()) {
                        throw loginGaveUp(url, e, f, logins, now - start, waitMillis, loginEach);
                    }
                    if (!told) {
                        System.err.println("minsky: connected to PostgreSQL at " + url.host() + ":" + url.port()
                                + ", but the login did not finish within " + login + " s; trying again until the "
                                + PgConnectRetry.seconds(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(waitMillis)) + " deadline");
                        told = true;
                    }
                    long sleep = loginBackoff / 2 + java.util.concurrent.ThreadLocalRandom.current().nextLong(loginBackoff / 2 + 1);
                    try {
                        Thread.sleep(Math.max(1, Math.min(sleep, leftMs - 1000)));
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw loginGaveUp(url, e, f, logins, System.nanoTime() - start, waitMillis, loginEach);
                    }
                    loginBackoff = Math.min(PgConnectRetry.MAX_BACKOFF_MS, loginBackoff * 2);
                    continue;
                }
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (!f.retryable() || attempt >= MAX_ATTEMPTS || left < backoff) {
                    throw error(url, e, f, attempt);
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw error(url, e, f, attempt);
                }
                backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            }
        }
    }

    /**
     * How long logins may take in all: the connection wait, but never less than one whole login
     * timeout. The connection wait is what a user sets to bound waiting for a lock or a free slot
     * (a few seconds in scripts and tests); a login on a busy machine is work, not a wait for
     * another client, and cutting it to a short lock wait turned load into a false "cannot log in".
     */
    static long loginBudgetMillis(long connectionWaitMillis, int loginEachSeconds) {
        return Math.max(connectionWaitMillis, loginEachSeconds * 1000L);
    }

    /** The budget is spent and no login finished: what it waited for, how long, how often. */
    static MinskyException loginGaveUp(PgUrl url, SQLException e, Failure f, int logins, long waitedNanos, long waitMillis, int each) {
        String hp = url.host() + ":" + url.port();
        return new MinskyException(ExitCode.INCOMPLETE, "connected to PostgreSQL at " + hp + ", but the login did not finish: waited "
                + PgConnectRetry.seconds(waitedNanos) + " of a " + PgConnectRetry.seconds(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(waitMillis))
                + " deadline for it (" + logins + (logins == 1 ? " attempt" : " attempts") + ", each given up to " + each
                + " s; SQLSTATE " + f.sqlState() + "): the server or this machine is very busy [" + url.masked() + "]",
                "run the command again when the load is lower, or wait longer: MINSKY_POSTGRES_WAIT_MS or sessiondb.connectionWait"
                        + " (now " + waitMillis + " ms); 'minsky doctor' measures the connect and login times",
                new Scrubbed(scrub(url, e.getMessage()), f.sqlState()));
    }

    /** The driver's message with the password (plain and URL-encoded) and any URL userinfo masked. */
    static String scrub(PgUrl url, String message) {
        if (message == null) {
            return "";
        }
        String m = Secrets.mask(message);
        String pw = url.resolvedPassword();
        if (pw != null && !pw.isEmpty()) {
            m = m.replace(pw, Secrets.MASK);
            m = m.replace(java.net.URLEncoder.encode(pw, java.nio.charset.StandardCharsets.UTF_8), Secrets.MASK);
        }
        return m;
    }

    static MinskyException error(PgUrl url, SQLException e, Failure f, int attempts) {
        String where = url.masked();
        String server = scrub(url, e.getMessage());
        String tries = attempts > 1 ? " after " + attempts + " attempts" : "";
        String hp = url.host() + ":" + url.port();
        String msg;
        String hint;
        switch (f.kind()) {
            case "refused" -> {
                msg = "cannot connect to PostgreSQL at " + hp + ": connection refused (SQLSTATE " + f.sqlState() + ", ECONNREFUSED)" + tries;
                hint = "start the server or check host and port: pg_isready -h " + url.host() + " -p " + url.port()
                        + "; 'minsky doctor' checks it";
            }
            case "unknown-host" -> {
                msg = "cannot connect to PostgreSQL: unknown host '" + url.host() + "' (SQLSTATE " + f.sqlState() + ")";
                hint = "check the host name in sessiondb.connectionString";
            }
            case "timeout" -> {
                msg = "cannot connect to PostgreSQL at " + hp + ": no answer within " + CONNECT_TIMEOUT_S + " s (SQLSTATE "
                        + f.sqlState() + ")" + tries;
                hint = "check that the host is reachable and no firewall drops the port; 'minsky doctor' checks it";
            }
            case "login-timeout" -> {
                msg = "connected to PostgreSQL at " + hp + ", but the login did not finish within " + LOGIN_TIMEOUT_S
                        + " s (SQLSTATE " + f.sqlState() + "): the server or this machine is very busy";
                hint = "run the command again when the load is lower; 'minsky doctor' measures the connect and login times";
            }
            case "tls-required" -> {
                msg = "the PostgreSQL server at " + hp + " accepts only TLS connections and this one was plain (SQLSTATE "
                        + f.sqlState() + ")";
                hint = "add sslmode=verify-full (with sslrootcert=CA_FILE) or at least sslmode=require to sessiondb.connectionString,"
                        + " or set PGSSLMODE; 'minsky doctor' checks the server's certificate";
            }
            case "tls-unsupported" -> {
                msg = "the PostgreSQL server at " + hp + " does not offer TLS, and sslmode=" + url.sslMode() + " requires it";
                hint = "turn on ssl in the server's postgresql.conf, or check that host and port name the right server";
            }
            case "tls-untrusted" -> {
                msg = "the certificate of the PostgreSQL server at " + hp + " does not verify against " + url.rootCert()
                        + " (sslmode=" + url.sslMode() + ")";
                hint = "set sslrootcert in sessiondb.connectionString (or PGSSLROOTCERT) to the CA file your provider publishes;"
                        + " 'minsky doctor' shows the certificate's issuer and expiry";
            }
            case "tls-hostname-mismatch" -> {
                msg = "the certificate of the PostgreSQL server at " + hp + " is not issued for the host name '" + url.host()
                        + "' (sslmode=" + url.sslMode() + ")";
                hint = "connect with a host name the certificate names ('minsky doctor' lists them)";
            }
            case "no-password" -> {
                msg = "the PostgreSQL server at " + hp + " asks for a password and none was given for user '" + url.user() + "'";
                hint = "put it in ~/.pgpass (a line " + PgPass.line(url.host(), url.port(), url.database(), url.user(), "PASSWORD")
                        + ", chmod 600) or in PGPASSWORD; see docs/sessiondb.md";
            }
            case "auth" -> {
                msg = "PostgreSQL refused the login of user '" + url.user() + "' (SQLSTATE " + f.sqlState() + ": "
                        + ("28P01".equals(f.sqlState()) ? "invalid password" : "not authorised by pg_hba.conf or no such role") + ")";
                hint = "fix the credentials: minsky config set sessiondb.connectionString \"postgresql://USER:PASSWORD@"
                        + hp + "/" + url.database() + "\"; the role must exist and pg_hba.conf must allow it";
            }
            case "no-database" -> {
                msg = "the PostgreSQL database '" + url.database() + "' does not exist (SQLSTATE 3D000)";
                hint = "create it (createdb -h " + url.host() + " -p " + url.port() + " -O " + url.user() + " " + url.database()
                        + ") or fix the database name in sessiondb.connectionString";
            }
            case "starting-up" -> {
                msg = "the PostgreSQL server at " + hp + " is still starting up (SQLSTATE 57P03)" + tries;
                hint = "wait a moment and run the command again";
            }
            case "too-many-clients" -> {
                msg = "the PostgreSQL server at " + hp + " has too many clients (SQLSTATE 53300)" + tries;
                hint = "lower sessiondb.maxConnections, close idle connections, or raise max_connections on the server;"
                        + " to wait longer for a slot: minsky config set sessiondb.connectionWait 60000";
            }
            default -> {
                msg = "PostgreSQL failed (SQLSTATE " + (f.sqlState().isEmpty() ? "unknown" : f.sqlState()) + ")";
                hint = "'minsky doctor' checks the connection and the schema";
            }
        }
        return new MinskyException(ExitCode.INCOMPLETE, msg + " [" + where + "]: " + server, hint, new Scrubbed(server, f.sqlState()));
    }

    /**
     * Stands in for the driver's exception as the cause, so that a stack trace printed on request
     * carries the scrubbed message and never the driver's own text.
     */
    static final class Scrubbed extends Exception {
        Scrubbed(String message, String sqlState) {
            // The message alone: the CLI leaves out a cause whose text the error already shows.
            super(message);
            this.sqlState = sqlState;
        }

        private final String sqlState;

        String sqlState() {
            return sqlState;
        }
    }

    /** Maps a failed statement on an open connection. */
    static MinskyException statementError(PgUrl url, SQLException e, String doing) {
        Failure f = classify(e);
        if (f.kind().equals("other")) {
            return new MinskyException(ExitCode.INCOMPLETE,
                    "PostgreSQL failed while " + doing + " (SQLSTATE " + f.sqlState() + ") [" + url.masked() + "]: " + scrub(url, e.getMessage()),
                    "'minsky doctor' checks the connection and the schema", new Scrubbed(scrub(url, e.getMessage()), f.sqlState()));
        }
        return error(url, e, f, 1);
    }
}
