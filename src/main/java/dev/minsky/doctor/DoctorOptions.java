package dev.minsky.doctor;

import dev.minsky.MinskyException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * @param extraKnowledgeBases playbook directories from {@code --kb}
 * @param deadline one deadline for all probes of a run ({@code --timeout}); each probe's own
 *     timeout is scaled by {@code deadline / DEFAULT_DEADLINE}, so more time for the run is more
 *     time for every probe
 */
public record DoctorOptions(List<Path> extraKnowledgeBases, Duration deadline) {
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(10);
    public static final Duration MAX_DEADLINE = Duration.ofHours(1);
    public static final DoctorOptions DEFAULT = new DoctorOptions(List.of(), DEFAULT_DEADLINE);

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)?");

    /**
     * A {@code --timeout} value: a whole number with a unit, {@code ms}, {@code s} or {@code m}
     * (seconds without one), more than zero and at most an hour. Anything else is bad input.
     */
    public static Duration parseTimeout(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(t);
        if (!m.matches()) {
            throw MinskyException.badInput("--timeout '" + text + "' is not a duration",
                    "give a whole number with a unit, e.g. --timeout 30s, --timeout 500ms or --timeout 2m (default "
                            + DEFAULT_DEADLINE.toSeconds() + "s)");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofSeconds(n);
        };
        if (d.isZero() || d.compareTo(MAX_DEADLINE) > 0) {
            throw MinskyException.badInput("--timeout " + text + " is out of range: it must be more than 0 and at most 1 hour",
                    "e.g. --timeout 30s (default " + DEFAULT_DEADLINE.toSeconds() + "s)");
        }
        return d;
    }
}
