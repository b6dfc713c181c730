package dev.minsky;

/** The exit codes of every command; a contract with scripts (see docs/exit-codes in README). */
public final class ExitCode {
    public static final int OK = 0;
    /** The command ran and found problems (doctor findings, verify failures). */
    public static final int FINDINGS = 1;
    /** Bad input: usage, unknown key, unreadable or malformed file. */
    public static final int BAD_INPUT = 2;
    /** Could not complete: store unreachable, lock not obtained. */
    public static final int INCOMPLETE = 3;
    /** A bug in minsky. */
    public static final int INTERNAL = 4;

    private ExitCode() {}
}
