package dev.minsky.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The config files {@code minsky config set} writes (indented {@code key: value} lines of plain
 * words, paths and URLs) read without Jackson's YAML parser, which costs a short command a tenth of
 * its start-up (issue 12). Only a file in which every line is of that plain form is read here, with
 * the same result as {@link ConfigService#readFlat}'s YAML reading; for anything else (lists, flow
 * style, quotes with escapes, numbers other than plain integers, YAML's boolean and null words,
 * comments after a value, tabs, anchors, several documents...) {@link #flat} returns null and the
 * YAML parser reads the file as before, with its error messages.
 */
final class PlainConfigYaml {
    private static final Pattern LINE = Pattern.compile("( *)([A-Za-z_][A-Za-z0-9_-]*):(?: +(\\S(?:.*\\S)?))? *");
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z/~_][A-Za-z0-9_./~@:+=%-]*|0|[1-9][0-9]{0,8}");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"\\\\]*)\"|'([^']*)'");
    /** Plain words YAML reads as something other than the word itself. */
    private static final Set<String> SPECIAL = Set.of("true", "false", "yes", "no", "on", "off", "y", "n", "null", "~");

    private PlainConfigYaml() {}

    /** The file's leaves as dotted keys, or null when it is not in the plain form. */
    static Map<String, String> flat(String text) {
        if (text.indexOf('\t') >= 0 || text.indexOf('\r') >= 0 || text.startsWith("\uFEFF")) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        java.util.Set<String> keys = new java.util.HashSet<>();
        List<Integer> indents = new ArrayList<>(); // the key indent of each open mapping, outermost first
        List<String> path = new ArrayList<>();     // the keys of the open mappings but the outermost
        String pending = null;                     // a key without a value: a mapping opens, or it is null
        for (String line : text.split("\n", -1)) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches() || SPECIAL.contains(m.group(2).toLowerCase(Locale.ROOT))) {
                return null;
            }
            int indent = m.group(1).length();
            if (pending != null && indent > indents.get(indents.size() - 1)) {
                indents.add(indent);
                path.add(pending);
            } else if (indents.isEmpty()) {
                indents.add(indent);
            }
            pending = null; // a key with no children is null, which YAML's reading leaves out too
            while (indents.size() > 1 && indent < indents.get(indents.size() - 1)) {
                indents.remove(indents.size() - 1);
                path.remove(path.size() - 1);
            }
            if (indent != indents.get(indents.size() - 1)) {
                return null; // an indent that matches no open mapping
            }
            String key = path.isEmpty() ? m.group(2) : String.join(".", path) + "." + m.group(2);
            if (!keys.add(key)) {
                return null; // a key given twice
            }
            String raw = m.group(3);
            if (raw == null) {
                pending = m.group(2);
                continue;
            }
            String value = scalar(raw);
            if (value == null) {
                return null;
            }
            out.put(key, value);
        }
        return out;
    }

    private static String scalar(String raw) {
        Matcher q = QUOTED.matcher(raw);
        if (q.matches()) {
            return q.group(1) != null ? q.group(1) : q.group(2);
        }
        if (PLAIN.matcher(raw).matches() && !SPECIAL.contains(raw.toLowerCase(Locale.ROOT)) && !raw.endsWith(":")) {
            return raw;
        }
        return null;
    }
}
