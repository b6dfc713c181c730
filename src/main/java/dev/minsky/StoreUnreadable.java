package dev.minsky;

/**
 * The store is there but its content cannot be read: a JSON file that does not parse, a file at
 * the SQLite path that is not a database, a damaged database. Exit 3 ("could not complete": the
 * command is right, the store is not) for every command; the commands that check a store (doctor,
 * verify, healthcheck) report it as a finding (1) instead. A distinct type, so that code that reads
 * a store can tell "damaged" from "unreachable" or "locked" without comparing exit codes.
 */
public final class StoreUnreadable extends MinskyException {
    public StoreUnreadable(String message, String hint, Throwable cause) {
        super(ExitCode.INCOMPLETE, message, hint, cause);
    }

    /** True when {@code t} or one of its causes says the store's content cannot be read. */
    public static boolean in(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof StoreUnreadable) {
                return true;
            }
        }
        return false;
    }
}
