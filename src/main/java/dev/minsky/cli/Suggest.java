package dev.minsky.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** "Did you mean" for mistyped commands and options: the known names closest by edit distance. */
final class Suggest {
    private Suggest() {}

    /** The names at most a third of the word's length (at least 1, at most 3 edits) away, closest first. */
    static List<String> closest(String word, Collection<String> names) {
        String w = word.contains("=") && word.startsWith("-") ? word.substring(0, word.indexOf('=')) : word;
        int limit = Math.max(1, Math.min(3, w.replaceFirst("^-+", "").length() / 3));
        List<String> hits = new ArrayList<>();
        for (String n : names) {
            if (distance(w, n) <= limit || (w.length() >= 3 && n.startsWith(w))) {
                hits.add(n);
            }
        }
        hits.sort(Comparator.comparingInt((String n) -> distance(w, n)).thenComparing(n -> n));
        return hits.size() > 3 ? hits.subList(0, 3) : hits;
    }

    /** ", did you mean 'x'?" or nothing. */
    static String didYouMean(String word, Collection<String> names) {
        List<String> c = closest(word, names);
        return c.isEmpty() ? "" : "; did you mean " + String.join(" or ", c.stream().map(s -> "'" + s + "'").toList()) + "?";
    }

    static int distance(String a, String b) {
        return dev.minsky.util.EditDistance.between(a, b);
    }
}
