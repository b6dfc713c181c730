package dev.minsky.doctor.kb;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** "Did you mean": the known ids nearest to one that is not known. */
public final class Suggestions {
    private Suggestions() {}

    /** Up to {@code max} known ids, nearest first: those containing the text, then by edit distance. */
    public static List<String> nearest(String wanted, Collection<String> known, int max) {
        String w = wanted.toLowerCase(Locale.ROOT);
        return known.stream().distinct()
                .sorted(Comparator.comparingInt((String k) -> score(w, k.toLowerCase(Locale.ROOT))).thenComparing(k -> k))
                .limit(max).toList();
    }

    private static int score(String wanted, String known) {
        if (known.contains(wanted) || wanted.contains(known)) {
            return Math.abs(known.length() - wanted.length()) / 4;
        }
        String tail = known.substring(known.indexOf('.') + 1);
        return Math.min(distance(wanted, known), distance(wanted, tail) + 1);
    }

    /** " (did you mean a, b or c?)", or "" when nothing is known. */
    public static String didYouMean(String wanted, Collection<String> known) {
        List<String> n = nearest(wanted, known, 3);
        if (n.isEmpty()) {
            return "";
        }
        String list = n.size() == 1 ? n.get(0) : String.join(", ", n.subList(0, n.size() - 1)) + " or " + n.get(n.size() - 1);
        return " (did you mean " + list + "?)";
    }

    static int distance(String a, String b) {
        return dev.minsky.util.EditDistance.between(a, b);
    }
}
