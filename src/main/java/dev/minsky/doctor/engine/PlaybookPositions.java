package dev.minsky.doctor.engine;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.minsky.doctor.model.PlaybookError;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where each field of a playbook's YAML text starts: the line of every key and list item, by field
 * path ({@code causes[2].remediations[0].safety}), read with Jackson's YAML parser and its token
 * locations. Used to point an error at the line of the field it is about rather than at the end of
 * the object Jackson was building when the check failed. A text that stops parsing part way keeps
 * the positions read up to there.
 */
public final class PlaybookPositions {
    private static final YAMLFactory FACTORY = new YAMLFactory();
    private static final Pattern QUOTED = Pattern.compile("'([A-Za-z][A-Za-z0-9_.-]*)'");

    private final Map<String, Integer> lines;

    private PlaybookPositions(Map<String, Integer> lines) {
        this.lines = lines;
    }

    /** The positions of a playbook's text; never throws. */
    public static PlaybookPositions of(String text) {
        Map<String, Integer> lines = new LinkedHashMap<>();
        if (text == null) {
            return new PlaybookPositions(lines);
        }
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    continue;
                }
                String path = path(p.getParsingContext().pathAsPointer().toString());
                JsonLocation loc = p.currentTokenLocation();
                if (loc != null && loc.getLineNr() > 0) {
                    lines.putIfAbsent(path, loc.getLineNr());
                }
            }
        } catch (IOException | RuntimeException e) {
            // keep what was read: the parse error itself is reported by the loader
        }
        return new PlaybookPositions(lines);
    }

    /** A JSON pointer ({@code /causes/2/when/0}) as a field path ({@code causes[2].when[0]}). */
    static String path(String pointer) {
        StringBuilder sb = new StringBuilder();
        for (String seg : pointer.split("/")) {
            if (seg.isEmpty()) {
                continue;
            }
            String s = seg.replace("~1", "/").replace("~0", "~");
            if (s.chars().allMatch(Character::isDigit)) {
                sb.append('[').append(s).append(']');
            } else {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(s);
            }
        }
        return sb.toString();
    }

    /** The 1-based line where the field at {@code path} starts, 0 when the text has no such field. */
    public int line(String path) {
        Integer l = lines.get(path == null ? "" : path);
        return l == null ? 0 : l;
    }

    /** Every known field path with its line, in the order of the text. */
    public Map<String, Integer> all() {
        return java.util.Collections.unmodifiableMap(lines);
    }

    /**
     * The error pointed at the most precise field it names: a field quoted in its message that
     * lies under its field path ({@code 'safety' is required} under {@code causes[0].remediations[1]}
     * becomes {@code causes[0].remediations[1].safety}), else its field path itself, with that
     * field's line. An error whose field the text does not have is returned as it is.
     */
    public PlaybookError refine(PlaybookError e) {
        if (e == null || e.field() == null) {
            return e;
        }
        String base = e.field();
        String best = null;
        Matcher m = QUOTED.matcher(e.message() == null ? "" : e.message());
        while (m.find() && best == null) {
            best = under(base, m.group(1));
        }
        if (best == null) {
            for (String[] implied : IMPLIED) {
                if (best == null && e.message() != null && e.message().startsWith(implied[0])) {
                    best = under(base, implied[1]);
                }
            }
        }
        if (best == null && lines.containsKey(base) && !base.isEmpty()) {
            best = base;
        }
        if (best == null) {
            return e;
        }
        return new PlaybookError(e.file(), line(best), best, e.message());
    }

    /** Messages that name their field without quoting it. */
    private static final String[][] IMPLIED = {
            {"unknown action", "action"}, {"unknown safety class", "safety"}, {"destructive action", "warning"},
            {"the weight of evidence", "supports"},
            {"the weight of evidence", "against"}, {"evidence on", "supports"}, {"evidence on", "against"}};

    /** The shortest known path under {@code base} whose last part is {@code name}, or null. */
    private String under(String base, String name) {
        String direct = base.isEmpty() ? name : base + "." + name;
        if (lines.containsKey(direct)) {
            return direct;
        }
        String best = null;
        for (String p : lines.keySet()) {
            if ((base.isEmpty() || p.startsWith(base + ".") || p.startsWith(base + "["))
                    && (p.endsWith("." + name) || p.equals(name)) && (best == null || p.length() < best.length())) {
                best = p;
            }
        }
        return best;
    }
}
