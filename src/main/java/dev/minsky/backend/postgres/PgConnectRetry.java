package dev.minsky.backend.postgres;

import dev.minsky.MinskyException;
import java.io.PrintStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * What one minsky process does when many share one server (several machines, an agent fleet) or
 * reach it through a transaction pooler:
 * <ul>
 *   <li>a full server (SQLSTATE 53300 "too many clients", "remaining connection slots are
 *       reserved", a pooler's "no more connections allowed") is waited for with capped, jittered
 *       exponential backoff inside a deadline ({@code sessiondb.connectionWait} or
 *       {@code MINSKY_POSTGRES_WAIT_MS}, default {@value #DEFAULT_WAIT_MS} ms); after about a second
 *       it says once on stderr what it waits for, the last sleep is cut to end at the deadline and
 *       one last attempt is made there, and only then does the command fail, saying how long it
 *       waited, how often it tried and for what;</li>
 *   <li>{@code sessiondb.maxConnections} caps the connections this process holds open at once
 *       (a further one waits for a free one, inside the same deadline);</li>
 *   <li>every connection carries the command as its {@code application_name}
 *       ({@code minsky session start}), so that {@code pg_stat_activity} says who holds what;</li>
 *   <li>{@code pgbouncer=true} (or {@code prepareThreshold=0}) in the connection string, or a
 *       pooler found by its errors, turns off the driver's server-side prepared statements.</li>
 * </ul>
 */
public final class PgConnectRetry {
    /**
     * 30 s, as HikariCP's {@code connectionTimeout} (PgBouncer queues a client for 120 s,
     * {@code query_wait_timeout}; libpq does not wait at all). Was 8 s: on a busy machine one of
     * 32 clients queueing for 17 slots ran out of it (issue 10).
     */
    public static final long DEFAULT_WAIT_MS = dev.minsky.config.Settings.DEFAULT_CONNECTION_WAIT_MILLIS;
    static final long FIRST_BACKOFF_MS = 100;
    static final long MAX_BACKOFF_MS = 2000;
    static final long NOTICE_AFTER_MS = 1000;

    private static volatile String application = "minsky";
    private static volatile int maxConnections = 10;
    private static volatile Semaphore slots = new Semaphore(10, true);
    private static volatile boolean noServerPrepare;
    private static volatile PrintStream notices = System.err;
    /** {@code sessiondb.connectionWait} as the settings say (they already hold the env var); -1: not given. */
    private static volatile long configuredWait = -1;

    private PgConnectRetry() {}

    /** {@code sessiondb.connectionWait} from the effective settings (config file, env var, default). */
    public static void waitMillis(long millis) {
        configuredWait = Math.max(0, millis);
    }

    /** How long a command waits for a free slot (server or this process's cap): the settings, else the environment. */
    public static long waitMillis() {
        if (configuredWait >= 0) {
            return configuredWait;
        }
        String v = System.getenv("MINSKY_POSTGRES_WAIT_MS");
        if (v != null) {
            try {
                long n = Long.parseLong(v.trim());
                if (n >= 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // the default
            }
        }
        return DEFAULT_WAIT_MS;
    }

    /** The {@code application_name} of this process's connections: {@code minsky <command>}. */
    public static String application() {
        String named = dev.minsky.CommandName.current();
        return named != null ? named : application;
    }

    /** Names the command from the command line (the subcommand path, never its arguments). */
    public static void command(picocli.CommandLine cl, String... args) {
        dev.minsky.CommandName.set(cl, args);
    }

    /** {@code sessiondb.maxConnections}: the most connections this process holds open at once. */
    public static synchronized void maxConnections(int n) {
        int want = Math.max(1, n);
        if (want != maxConnections) {
            maxConnections = want;
            slots = new Semaphore(want, true);
        }
    }

    public static int maxConnectionsNow() {
        return maxConnections;
    }

    /** Where the one "waiting for ..." line goes (stderr; tests of the class replace it). */
    static void notices(PrintStream out) {
        notices = out;
    }

    /** From now on this process asks the driver for no server-side prepared statements. */
    static void disableServerPrepare() {
        noServerPrepare = true;
    }

    static boolean serverPrepareDisabled() {
        return noServerPrepare;
    }

    /** For tests that run many commands in one JVM: back to a fresh process's state. */
    public static void resetForTests() {
        noServerPrepare = false;
        application = "minsky";
        dev.minsky.CommandName.clear();
    }

    /** True when the connection string says a transaction pooler is in between. */
    static boolean poolerStated(PgUrl url) {
        String b = url.params().get("pgbouncer");
        return b != null && (b.isEmpty() || b.equalsIgnoreCase("true") || b.equals("1"));
    }

    /** Our additions to the driver's properties: application name, and prepareThreshold=0 behind a pooler. */
    public static void apply(PgUrl url, java.util.Properties p) {
        applyConfigured(url, p);
        if (noServerPrepare) {
            p.setProperty("prepareThreshold", "0");
        }
    }

    /** As {@link #apply}, but only what the connection string says (the doctor checks that, not this process's fallback). */
    public static void applyConfigured(PgUrl url, java.util.Properties p) {
        p.putIfAbsent("ApplicationName", application());
        p.remove("pgbouncer"); // ours, not the driver's
        if (poolerStated(url)) {
            p.setProperty("prepareThreshold", "0");
        }
    }

    /**
     * The errors a client gets from server-side prepared statements behind a pooler in transaction
     * mode: 26000 (prepared statement "S_n" does not exist), 42P05 (... already exists), or 08P01
     * ("bind message supplies 1 parameters, but prepared statement "S_1" requires 0": another
     * client's statement of that name on the server connection). The driver names its statements S_n.
     */
    public static boolean preparedStatementClash(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            String state = x.getSQLState();
            String m = String.valueOf(x.getMessage()).toLowerCase(Locale.ROOT);
            if (("26000".equals(state) || "42P05".equals(state) || "08P01".equals(state)) && m.contains("prepared statement \"s_")) {
                return true;
            }
        }
        return false;
    }

    /** The server (or a pooler in front of it) has no slot left for this client. */
    static boolean slotShortage(SQLException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return "53300".equals(e.getSQLState()) || m.contains("too many clients") || m.contains("remaining connection slots")
                || m.contains("no more connections allowed");
    }

    @FunctionalInterface
    interface Attempt {
        Connection open() throws SQLException;
    }

    /**
     * Opens a connection through {@code attempt}, waiting for a free slot of this process's own
     * cap and, on 53300, of the server's, until the deadline. Other failures are thrown at once,
     * for the caller to classify.
     */
    static Connection open(PgUrl url, Attempt attempt) throws SQLException {
        long wait = waitMillis();
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(wait);
        Semaphore mine = slots;
        boolean noticed = false;
        // A thread that already holds a connection (a command checking the table while its store is
        // open) is one piece of work, not parallelism: the cap counts the threads holding connections.
        java.util.concurrent.atomic.AtomicInteger mineHeld = HELD.computeIfAbsent(Thread.currentThread(),
                t -> new java.util.concurrent.atomic.AtomicInteger());
        boolean permit = mineHeld.get() == 0;
        try {
            if (permit && !mine.tryAcquire()) {
                if (!mine.tryAcquire(Math.min(NOTICE_AFTER_MS, wait), TimeUnit.MILLISECONDS)) {
                    notices.println("minsky: waiting for one of this process's " + maxConnections
                            + " connections (sessiondb.maxConnections) to " + url.host() + ":" + url.port() + " to be closed");
                    noticed = true;
                    if (!mine.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                        throw MinskyException.incomplete("waited " + seconds(System.nanoTime() - start)
                                        + " for one of this process's " + maxConnections + " connections to " + url.host() + ":" + url.port()
                                        + " to be closed (sessiondb.maxConnections)",
                                "raise sessiondb.maxConnections, or sessiondb.connectionWait (MINSKY_POSTGRES_WAIT_MS) to wait longer", null);
                    }
                }
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a connection slot", "08001");
        }
        boolean handedOut = false;
        try {
            long backoff = FIRST_BACKOFF_MS;
            int attempts = 0;
            while (true) {
                attempts++;
                try {
                    Connection c = attempt.open();
                    handedOut = true;
                    mineHeld.incrementAndGet();
                    return releasing(c, permit ? mine : null, mineHeld);
                } catch (SQLException e) {
                    if (!slotShortage(e)) {
                        throw e;
                    }
                    long now = System.nanoTime();
                    if (now >= deadline) { // the last attempt was made at (or after) the deadline
                        throw new SlotWaitExpired(e, attempts, now - start);
                    }
                    // equal jitter: half the step fixed, half random, so that many waiting clients spread out;
                    // a step that would pass the deadline is cut to end at it, for one last attempt there
                    // (giving up before the deadline cut an 8 s wait to 6.5 s)
                    long sleep = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
                    sleep = Math.max(1, Math.min(sleep, TimeUnit.NANOSECONDS.toMillis(deadline - now) + 1));
                    if (!noticed && now - start + TimeUnit.MILLISECONDS.toNanos(sleep) >= TimeUnit.MILLISECONDS.toNanos(NOTICE_AFTER_MS)) {
                        notices.println("minsky: waiting for a free connection slot on " + url.host() + ":" + url.port()
                                + " (the server has no connection left for this client: SQLSTATE " + e.getSQLState()
                                + ", its max_connections are in use); giving up after " + seconds(TimeUnit.MILLISECONDS.toNanos(wait)));
                        noticed = true;
                    }
                    try {
                        Thread.sleep(sleep);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw e;
                    }
                    backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
                }
            }
        } finally {
            if (!handedOut && permit) {
                mine.release();
            }
        }
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    /** The server stayed full until the deadline: the last 53300, how often it was tried and how long. */
    static final class SlotWaitExpired extends SQLException {
        final int attempts;
        final long waitedNanos;

        SlotWaitExpired(SQLException last, int attempts, long waitedNanos) {
            super(last.getMessage(), last.getSQLState() == null ? "53300" : last.getSQLState(), last);
            this.attempts = attempts;
            this.waitedNanos = waitedNanos;
        }
    }

    /** The connection, giving its slot back when it is closed (once, however often close is called). */
    private static final java.util.Map<Thread, java.util.concurrent.atomic.AtomicInteger> HELD =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static Connection releasing(Connection c, Semaphore slot, java.util.concurrent.atomic.AtomicInteger held) {
        java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
        InvocationHandler h = (proxy, m, a) -> {
            if (m.getName().equals("close") && m.getParameterCount() == 0) {
                try {
                    c.close();
                } finally {
                    if (released.compareAndSet(false, true)) {
                        held.decrementAndGet();
                        if (slot != null) {
                            slot.release();
                        }
                    }
                }
                return null;
            }
            if (m.getName().equals("unwrap") && a != null && a.length == 1 && ((Class<?>) a[0]).isInstance(c)) {
                return c;
            }
            try {
                return m.invoke(c, a);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (Connection) Proxy.newProxyInstance(PgConnectRetry.class.getClassLoader(), new Class<?>[] {Connection.class}, h);
    }
}
