package dev.minsky.util;

/** English counts for people: "1 session", "2 sessions", "0 sessions". */
public final class Plural {
    private Plural() {}

    /** {@code n} followed by the noun, singular exactly when {@code n} is one. */
    public static String count(long n, String singular) {
        return n + " " + word(n, singular, null);
    }

    /** As {@link #count(long, String)}, with an irregular plural ("entry", "entries"). */
    public static String count(long n, String singular, String plural) {
        return n + " " + word(n, singular, plural);
    }

    /**
     * The noun alone; {@code plural} null means singular + "s". A number that is exactly one (1, 1.0)
     * takes the singular.
     */
    public static String word(double n, String singular, String plural) {
        if (n == 1) {
            return singular;
        }
        return plural != null ? plural : singular + "s";
    }
}
