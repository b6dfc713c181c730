package dev.minsky.cli;

/** The password of a test server's connection string, for tests outside this package. */
public final class SessionDbPostgresTestAccess {
    private SessionDbPostgresTestAccess() {}

    public static String password(String url) {
        return SessionDbPostgresTest.password(url);
    }
}
