package dev.minsky.progress;

import dev.minsky.AppContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether this process's standard error is a terminal, which decides whether a progress bar is
 * drawn. {@link System#console()} cannot tell: in Java 17 it is there only when standard input
 * and output are both terminals, so it is wrong both ways ({@code minsky sessiondb export >
 * all.json} has a terminal on stderr and no console; {@code minsky doctor 2>log} has a console and
 * no terminal on stderr). So, in this order:
 * <ol>
 *   <li>{@code MINSKY_STDERR_TTY} (1 or 0): the launcher's {@code [ -t 2 ]}, i.e. isatty(2), taken
 *       just before it execs the JVM; any platform;</li>
 *   <li>{@code /proc/self/fd/2} on Linux: a terminal when it links to {@code /dev/pts/N},
 *       {@code /dev/ttyN} or {@code /dev/console} (a pipe links to {@code pipe:[..]}, a file to
 *       its path, {@code /dev/null} to itself);</li>
 *   <li>otherwise {@code System.console() != null}, the best the JVM offers.</li>
 * </ol>
 * Only the process's own streams can be a terminal: a context with another environment (a test
 * running the CLI in-process) has one only when its environment says {@code MINSKY_STDERR_TTY=1}.
 */
public final class Terminal {
    public static final String ENV = "MINSKY_STDERR_TTY";

    private Terminal() {}

    public static boolean stderr(AppContext ctx) {
        String v = ctx.env(ENV);
        if (v != null) {
            return v.equals("1");
        }
        return ctx.env() == System.getenv() && isTerminal(2);
    }

    /** Standard output is a terminal (the launcher's answer is only for stderr). */
    public static boolean stdout(AppContext ctx) {
        return ctx.env() == System.getenv() ? isTerminal(1) : ctx.interactive();
    }

    static boolean isTerminal(int fd) {
        Path link = Path.of("/proc/self/fd/" + fd);
        try {
            if (Files.isSymbolicLink(link)) {
                return isTerminalDevice(Files.readSymbolicLink(link).toString());
            }
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            // no /proc (not Linux): fall through
        }
        return System.console() != null;
    }

    static boolean isTerminalDevice(String target) {
        return target.startsWith("/dev/pts/") || target.matches("/dev/tty[0-9A-Za-z]*") || target.equals("/dev/console");
    }

    /** The terminal's width: $COLUMNS when the shell exported it, else 80. */
    public static int columns(AppContext ctx) {
        String c = ctx.env("COLUMNS");
        if (c != null && c.matches("[0-9]{1,4}")) {
            return Integer.parseInt(c);
        }
        return 80;
    }

    /** {@code MINSKY_PROGRESS_DELAY_MS}: how long a bar waits before it draws (default 1000 ms). */
    public static long delayMillis(AppContext ctx) {
        String d = ctx.env("MINSKY_PROGRESS_DELAY_MS");
        if (d != null && d.matches("[0-9]{1,6}")) {
            return Long.parseLong(d);
        }
        return ProgressBar.DELAY_NANOS / 1_000_000L;
    }
}
