package dev.minsky.backend.postgres.fix;

import dev.minsky.doctor.fix.DoctorFixContext;
import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.doctor.fix.ActionPlan;
import dev.minsky.doctor.fix.BuiltinAction;
import dev.minsky.doctor.fix.FixContext;
import dev.minsky.backend.postgres.PgUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * {@code postgres.wait-retry}: the server answers 57P03 (starting up, shutting down, in recovery).
 * Waits with backoff, up to a minute, until it accepts a connection. Changes nothing.
 */
public final class WaitRetryAction extends BuiltinAction {
    static final long MAX_WAIT_MILLIS = 60_000;

    public WaitRetryAction() {
        super("postgres.wait-retry");
    }

    @Override
    public ActionPlan plan(FixContext ctx) {
        String cs = ctx.settings().connectionString();
        if (cs == null) {
            return ActionPlan.notApplicable("sessiondb.connectionString is not set");
        }
        return ActionPlan.builder()
                .change("connect to " + PgUrl.parse(cs).masked() + " every 0.5 to 5 s (doubling) for up to "
                        + MAX_WAIT_MILLIS / 1000 + " s, until the server accepts connections; nothing is changed")
                .build();
    }

    @Override
    public Applied apply(FixContext ctx, ActionPlan plan) {
        PgUrl url = PgUrl.parse(ctx.settings().connectionString());
        DoctorFixContext.of(ctx).env().log().addSecret(url.password());
        Properties p = url.properties();
        p.putIfAbsent("connectTimeout", "5");
        long start = System.nanoTime();
        long sleep = 500;
        String last = null;
        while ((System.nanoTime() - start) / 1_000_000 < MAX_WAIT_MILLIS) {
            try (Connection c = DriverManager.getConnection(url.jdbcUrl(), p)) {
                c.createStatement().execute("SELECT 1");
                return Applied.of("the server at " + url.host() + ":" + url.port() + " accepts connections after "
                        + (System.nanoTime() - start) / 1_000_000 + " ms");
            } catch (SQLException e) {
                last = e.getSQLState() + " " + DoctorFixContext.of(ctx).env().log().scrub(String.valueOf(e.getMessage()));
                if (!"57P03".equals(e.getSQLState())) {
                    break;
                }
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            sleep = Math.min(5000, sleep * 2);
        }
        throw new MinskyException(ExitCode.INCOMPLETE, "the server at " + url.host() + ":" + url.port()
                + " still does not accept connections: " + last, "check its log; 'pg_isready -h " + url.host() + " -p " + url.port() + "'");
    }
}
