package dev.minsky.store;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Where a backend's secrets are in configuration values (a password inside a connection string), so
 * that the core can warn about them, keep them out of output and move them out of the config file
 * without knowing the backend. Returned by {@link StoreProvider#secrets()}; methods must be cheap and
 * must never print or log a secret.
 */
public interface StoreSecrets {
    /** The config key whose value may hold the secret, for example {@code sessiondb.connectionString}. */
    String configKey();

    /** True when this value holds a secret. */
    boolean hasSecret(String value);

    /** The value with its secret taken out. */
    String withoutSecret(String value);

    /** Those of these config files that hold a secret in plain text. */
    List<Path> filesWithSecret(List<Path> configFiles);

    /** The private file where {@link #moveSecret} puts a secret (for example {@code ~/.pgpass}). */
    Path secretFile(Function<String, String> env, Path home);

    /** Writes the secret of {@code value} to {@code secretFile} (mode 0600); returns the line written, secret masked. */
    String moveSecret(Path secretFile, String value);

    /**
     * Environment variables whose whole value is this backend's secret ({@code PGPASSWORD}), so that
     * logs and bundles keep it out however short it is. Empty by default. Never null. Cheap.
     */
    default List<String> secretEnvironment() {
        return List.of();
    }

    /**
     * The secrets in this backend's own private files outside minsky's config (PostgreSQL: the
     * passwords of {@code ~/.pgpass}, or of the file {@code PGPASSFILE} names), each with a label
     * saying where it was found, so that a support bundle can redact them. Read whatever the file's
     * mode; a missing or unreadable file gives none. Empty by default. Never null; must never print
     * or log a value.
     */
    default List<Known> knownSecrets(Function<String, String> env, Path home) {
        return List.of();
    }

    /** A secret and where it was found ({@code ~/.pgpass}); never printed. */
    record Known(String where, String value) {
        @Override
        public String toString() {
            return "Known[where=" + where + ", value=***]";
        }
    }
}
