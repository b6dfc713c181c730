package dev.minsky.session;

import dev.minsky.MinskyException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the guide's age spans: 30d, 12h, 2w, 45m. */
public final class Durations {
    private static final Pattern P = Pattern.compile("(\\d+)\\s*([mhdw])");

    private Durations() {}

    public static Duration parse(String s) {
        Matcher m = P.matcher(s == null ? "" : s.trim().toLowerCase());
        if (!m.matches()) {
            throw MinskyException.badInput("invalid age '" + s + "'", "write a number and a unit: 45m, 12h, 30d or 2w");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
        };
    }
}
