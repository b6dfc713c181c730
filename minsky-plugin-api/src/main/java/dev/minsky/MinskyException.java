package dev.minsky;

/**
 * The one exception type for expected failures. It carries the exit code, a message saying what
 * failed and why, and a hint saying what to do next. The CLI prints message and hint, never a
 * stack trace unless asked for one.
 */
public class MinskyException extends RuntimeException {
    private final int exitCode;
    private final String hint;

    public MinskyException(int exitCode, String message, String hint) {
        this(exitCode, message, hint, null);
    }

    public MinskyException(int exitCode, String message, String hint, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
        this.hint = hint;
    }

    public int exitCode() {
        return exitCode;
    }

    /** What the user should do next; may be null. */
    public String hint() {
        return hint;
    }

    public static MinskyException badInput(String message, String hint) {
        return new MinskyException(ExitCode.BAD_INPUT, message, hint);
    }

    public static MinskyException incomplete(String message, String hint, Throwable cause) {
        return new MinskyException(ExitCode.INCOMPLETE, message, hint, cause);
    }
}
