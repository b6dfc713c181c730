package dev.minsky.log;

import dev.minsky.AppContext;
import dev.minsky.util.Secrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * minsky's own log: one line per event in {@code <state>/logs/minsky.log}, as
 * {@code <UTC time> <LEVEL> <component> <message>}. Every line passes through {@link Secrets#mask}
 * and through the exact secrets registered at run time, so a password never reaches the file.
 * Logging never makes a command fail: an unwritable log directory is ignored.
 */
public final class MinskyLog {
    public enum Level { DEBUG, INFO, WARN, ERROR }

    public static final String FILE = "minsky.log";
    private static final long ROTATE_BYTES = 5L * 1024 * 1024;

    private final Path file;
    private final Level threshold;
    private final Clock clock;
    private final List<String> secrets = new CopyOnWriteArrayList<>();

    public MinskyLog(Path logsDir, Level threshold, Clock clock) {
        this.file = logsDir.resolve(FILE);
        this.threshold = threshold;
        this.clock = clock;
    }

    public static MinskyLog forContext(AppContext ctx) {
        return forContext(ctx, null);
    }

    /** The log of a run; {@code flag} ({@code --log-level}) wins over {@code MINSKY_LOG_LEVEL}. */
    public static MinskyLog forContext(AppContext ctx, String flag) {
        return new MinskyLog(ctx.paths().logsDir(), level(flag != null ? flag : ctx.env("MINSKY_LOG_LEVEL")), ctx.clock());
    }

    /** The level a name means (debug, info, warn, error; trace and warning too); INFO for null or an unknown name. */
    public static Level level(String s) {
        return s == null ? Level.INFO : parse(s).orElse(Level.INFO);
    }

    /** The level a name means, or empty when it is no level's name. */
    public static java.util.Optional<Level> parse(String s) {
        return java.util.Optional.ofNullable(switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "debug", "trace" -> Level.DEBUG;
            case "info" -> Level.INFO;
            case "warn", "warning" -> Level.WARN;
            case "error" -> Level.ERROR;
            default -> null;
        });
    }

    /** The components minsky logs under ({@code logs --component}). */
    public static final List<String> COMPONENTS = List.of("sessiondb", "doctor", "config", "cli", "bundle");

    public Path file() {
        return file;
    }

    public boolean debugEnabled() {
        return threshold == Level.DEBUG;
    }

    /** Registers a value that must never be written (a password known at run time). */
    public void addSecret(String secret) {
        if (secret != null && secret.length() >= 3) {
            secrets.add(secret);
        }
    }

    public String scrub(String message) {
        String m = Secrets.mask(message);
        for (String s : secrets) {
            m = m.replace(s, Secrets.MASK);
        }
        return m;
    }

    public void debug(String component, String message) {
        log(Level.DEBUG, component, message);
    }

    public void info(String component, String message) {
        log(Level.INFO, component, message);
    }

    public void warn(String component, String message) {
        log(Level.WARN, component, message);
    }

    public void error(String component, String message) {
        log(Level.ERROR, component, message);
    }

    public synchronized void log(Level level, String component, String message) {
        if (level.ordinal() < threshold.ordinal()) {
            return;
        }
        String line = clock.instant() + " " + level + " " + component + " "
                + scrub(message).replace('\n', ' ') + "\n";
        try {
            dev.minsky.util.PrivateFiles.createDirectories(file.getParent());
            if (Files.exists(file) && Files.size(file) > ROTATE_BYTES) {
                Files.move(file, file.resolveSibling(FILE + ".1"), StandardCopyOption.REPLACE_EXISTING);
            }
            if (!Files.exists(file)) {
                dev.minsky.util.PrivateFiles.createFile(file);
            }
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException | SecurityException e) {
            // a read-only or full disk must not stop the command that is trying to report it
        }
    }

    /** The last {@code n} lines, optionally only of one component, oldest first. */
    public List<String> tail(String component, int n) throws IOException {
        List<String> lines = new ArrayList<>();
        Path rotated = file.resolveSibling(FILE + ".1");
        for (Path p : List.of(rotated, file)) {
            if (Files.isRegularFile(p)) {
                lines.addAll(Files.readAllLines(p, StandardCharsets.UTF_8));
            }
        }
        if (component != null) {
            lines.removeIf(l -> {
                String[] parts = l.split(" ", 4);
                return parts.length < 3 || !parts[2].equals(component);
            });
        }
        return lines.subList(Math.max(0, lines.size() - n), lines.size());
    }
}
