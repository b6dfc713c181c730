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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * {@code postgres.create-database}: the database in the connection string does not exist. Connects
 * to the {@code postgres} database with the same credentials and runs {@code CREATE DATABASE} when
 * the role may ({@code rolcreatedb} or superuser). Undo drops it again, only while it holds no
 * session.
 */
public final class CreateDatabaseAction extends BuiltinAction {
    public CreateDatabaseAction() {
        super("postgres.create-database");
    }

    @Override
    public ActionPlan plan(FixContext ctx) {
        String cs = ctx.settings().connectionString();
        if (cs == null) {
            return ActionPlan.notApplicable("sessiondb.connectionString is not set");
        }
        PgUrl url = PgUrl.parse(cs);
        if (url.database() == null || url.database().isEmpty()) {
            return ActionPlan.notApplicable("the connection string names no database");
        }
        return ActionPlan.builder()
                .change("connect to " + maintenance(url).masked() + " (the same host, role and password)")
                .change("SQL: SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user  -- must be true")
                .change("SQL: CREATE DATABASE " + quote(url.database()))
                .param("database", url.database())
                .build();
    }

    static PgUrl maintenance(PgUrl url) {
        return new PgUrl(url.host(), url.port(), "postgres", url.user(), url.password(), url.params());
    }

    static String quote(String ident) {
        return "\"" + ident.replace("\"", "\"\"") + "\"";
    }

    private static Connection connect(FixContext ctx, PgUrl url) throws SQLException {
        DoctorFixContext.of(ctx).env().log().addSecret(url.password());
        Properties p = url.properties();
        p.putIfAbsent("connectTimeout", "10");
        p.putIfAbsent("socketTimeout", "30");
        return DriverManager.getConnection(url.jdbcUrl(), p);
    }

    @Override
    public Applied apply(FixContext ctx, ActionPlan plan) {
        PgUrl url = PgUrl.parse(ctx.settings().connectionString());
        String db = plan.param("database");
        try (Connection c = connect(ctx, maintenance(url))) {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user")) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    throw new MinskyException(ExitCode.INCOMPLETE, "the role " + url.user() + " may not create databases",
                            "ask an administrator to run: CREATE DATABASE " + quote(db) + " OWNER " + quote(String.valueOf(url.user())) + ";");
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                ps.setString(1, db);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return Applied.of("the database " + db + " exists already on " + url.host() + ":" + url.port());
                    }
                }
            }
            try (Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE " + quote(db));
            }
            return Applied.of("created the database " + db + " on " + url.host() + ":" + url.port());
        } catch (SQLException e) {
            throw new MinskyException(ExitCode.INCOMPLETE, "cannot create the database " + db + " on " + url.masked() + ": "
                    + DoctorFixContext.of(ctx).env().log().scrub(String.valueOf(e.getMessage())), "check that the server is up and the role may create databases", e);
        }
    }

    @Override
    public void undo(FixContext ctx, ActionPlan plan) {
        PgUrl url = PgUrl.parse(ctx.settings().connectionString());
        String db = plan.param("database");
        try {
            try (Connection c = connect(ctx, url); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT to_regclass('sessions') IS NOT NULL")) {
                if (rs.next() && rs.getBoolean(1)) {
                    try (ResultSet n = c.createStatement().executeQuery("SELECT count(*) FROM sessions")) {
                        if (n.next() && n.getLong(1) > 0) {
                            throw new MinskyException(ExitCode.INCOMPLETE, "the database " + db + " holds " + n.getLong(1)
                                    + " session(s) now; it is not dropped", "export them first if you really want it gone");
                        }
                    }
                }
            }
        } catch (SQLException e) {
            if (!"3D000".equals(e.getSQLState())) {
                throw new MinskyException(ExitCode.INCOMPLETE, "cannot check the database " + db + " before dropping it: "
                        + DoctorFixContext.of(ctx).env().log().scrub(String.valueOf(e.getMessage())), "nothing was dropped", e);
            }
            return;
        }
        try (Connection c = connect(ctx, maintenance(url)); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + quote(db));
        } catch (SQLException e) {
            throw new MinskyException(ExitCode.INCOMPLETE, "cannot drop the database " + db + ": "
                    + DoctorFixContext.of(ctx).env().log().scrub(String.valueOf(e.getMessage())), "drop it by hand if it is not wanted", e);
        }
    }
}
