package dev.minsky.backend.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.config.Settings;
import dev.minsky.store.SessionStore;
import dev.minsky.testutil.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** 53300 (too many clients) is worth a wait: retried with backoff, within a bound. */
class PostgresRetryTest {
    private static PostgresServer small;
    private static String url;

    @BeforeAll
    static void startSmallServer() {
        PostgresServer.assumeInstalled();
        small = PostgresServer.start(Map.of("max_connections", "4", "superuser_reserved_connections", "0"));
        url = small.newDatabase("crowded");
    }

    @AfterAll
    static void stop() {
        if (small != null) {
            small.close();
        }
    }

    private static Settings settings() {
        return new Settings("postgres", Path.of("/nonexistent"), Path.of("/nonexistent"), Path.of("/nonexistent/j"),
                Path.of("/nonexistent/s"), url, 1, 30000, Settings.DEFAULT_SQLITE_BUSY_TIMEOUT_MILLIS, (int) WAIT_MS);
    }

    /** The old default deadline (8 s): the figures below are measured against it. */
    private static final long WAIT_MS = 8000;

    @Test
    void a_full_server_is_retried_with_backoff_and_then_reported_as_53300() throws Exception {
        List<Connection> held = dev.minsky.testutil.PgSlots.fill(url);
        try {
            long t0 = System.nanoTime();
            MinskyException e = assertThrows(MinskyException.class, () -> new PostgresStoreProvider().open(settings(), false).count());
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals(ExitCode.INCOMPLETE, e.exitCode());
            assertTrue(e.getMessage().contains("53300"), e.getMessage());
            // issue 10: a full server is waited for until the deadline with jittered backoff, so at
            // least as many attempts as the fixed count before, and the message says how long it waited
            java.util.regex.Matcher attempts = java.util.regex.Pattern.compile("after (\\d+) attempts").matcher(e.getMessage());
            assertTrue(attempts.find() && Integer.parseInt(attempts.group(1)) >= PostgresConnector.MAX_ATTEMPTS, e.getMessage());
            assertTrue(e.getMessage().contains("for a free connection slot"), e.getMessage());
            assertTrue(e.hint().contains("maxConnections"), e.hint());
            assertTrue(millis >= 1700 && millis < WAIT_MS + 3000, "took " + millis + " ms");
        } finally {
            dev.minsky.testutil.PgSlots.closeAll(held);
        }
    }

    @Test
    void a_slot_that_frees_up_during_the_backoff_is_used() throws Exception {
        List<Connection> held = dev.minsky.testutil.PgSlots.fill(url);
        Thread releaser = new Thread(() -> {
            try {
                Thread.sleep(400);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            dev.minsky.testutil.PgSlots.closeAll(held.subList(0, 1));
        });
        try {
            long t0 = System.nanoTime();
            releaser.start();
            try (SessionStore store = new PostgresStoreProvider().open(settings(), false)) {
                assertEquals(0, store.count());
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(millis >= 250, "it had to wait for a retry: " + millis + " ms");
        } finally {
            releaser.join();
            dev.minsky.testutil.PgSlots.closeAll(held);
        }
    }

    /**
     * A short connection wait (what scripts set to bound a lock wait) never cuts a login below one
     * whole login timeout; a longer wait is the budget as it stands.
     */
    @Test
    void logins_get_at_least_one_whole_login_timeout_however_short_the_wait() {
        assertEquals(30_000, PostgresConnector.loginBudgetMillis(2_000, 30));
        assertEquals(60_000, PostgresConnector.loginBudgetMillis(60_000, 30));
        assertEquals(5_000, PostgresConnector.loginBudgetMillis(1_000, 5));
    }

    @Test
    void only_refused_connections_starting_up_and_too_many_clients_are_retryable() {
        for (String state : List.of("57P03", "53300")) {
            assertTrue(PostgresConnector.classify(new SQLException("x", state)).retryable(), state);
        }
        for (String state : List.of("28P01", "28000", "3D000", "42P01", "08006", "42501")) {
            assertTrue(!PostgresConnector.classify(new SQLException("x", state)).retryable(), state);
        }
        assertTrue(PostgresConnector.classify(new SQLException("x", "08001", new java.net.ConnectException("refused"))).retryable());
        assertTrue(!PostgresConnector.classify(new SQLException("x", "08001", new java.net.UnknownHostException("h"))).retryable());
        assertTrue(!PostgresConnector.classify(new SQLException("x", "08001", new java.net.SocketTimeoutException("t"))).retryable());
    }
}
