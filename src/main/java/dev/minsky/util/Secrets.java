package dev.minsky.util;

/** Masks secrets in strings that reach output or logs. */
public final class Secrets {
    public static final String MASK = "****";

    private Secrets() {}

    /**
     * Masks the secrets of a connection string, URL or key=value form (what
     * {@link ConnectionSecrets} finds: user-info passwords and tokens, secret-named pairs and query
     * parameters); null stays null.
     */
    public static String mask(String s) {
        return ConnectionSecrets.mask(s, MASK);
    }
}
