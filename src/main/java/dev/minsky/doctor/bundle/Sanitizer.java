package dev.minsky.doctor.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Removes secrets from what goes into a bundle, in layers:
 * <ol>
 *   <li>by key name: a value under a key (or a {@code {name|id|fact, value}} pair) named like a
 *       password, secret, token, key, credential or auth is replaced whole;</li>
 *   <li>by exact value: every secret minsky knows at run time ({@link KnownSecrets}), in all its
 *       forms, and any base64 run that decodes to one;</li>
 *   <li>by pattern: URL user-info passwords, {@code password=} pairs, bearer and Authorization
 *       headers, GitHub, AWS, Slack tokens, JWTs, PEM blocks ({@link SecretScanner#RULES});</li>
 *   <li>pseudonyms for the user, home and host names ({@link Pseudonyms}).</li>
 * </ol>
 * Every replacement is counted, so that the manifest can say how many values were removed from
 * each entry.
 */
final class Sanitizer {
    private static final Set<String> KEY_NAME_WORDS = Set.of("password", "passwd", "passphrase", "pwd", "pass",
            "secret", "secrets", "token", "tokens", "key", "keys", "apikey", "accesskey", "privatekey", "credential",
            "credentials", "auth", "authorization", "cookie", "pgpass");
    private static final List<String> KEY_NAME_PARTS = List.of("password", "passwd", "passphrase", "secret", "token",
            "credential", "apikey", "privatekey", "accesskey");
    private static final List<String> PAIR_NAME_FIELDS = List.of("name", "id", "fact", "key", "variable");

    private final KnownSecrets known;
    private final Pseudonyms pseudonyms;

    Sanitizer(KnownSecrets known, Pseudonyms pseudonyms) {
        this.known = known;
        this.pseudonyms = pseudonyms;
    }

    KnownSecrets known() {
        return known;
    }

    Pseudonyms pseudonyms() {
        return pseudonyms;
    }

    /** Counts replacements made for one bundle entry. */
    static final class Counter {
        private int redacted;
        private int pseudonymized;

        int redacted() {
            return redacted;
        }

        int pseudonymized() {
            return pseudonymized;
        }

        void add(Counter other) {
            redacted += other.redacted;
            pseudonymized += other.pseudonymized;
        }
    }

    /** True when a key (config key, JSON field, environment variable, fact id) names a secret. */
    static boolean sensitiveName(String name) {
        if (name == null) {
            return false;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("pwd") || lower.equals("oldpwd")) {
            // the shell's working directories, not passwords
            return false;
        }
        for (String part : KEY_NAME_PARTS) {
            if (lower.replaceAll("[^a-z0-9]", "").contains(part)) {
                return true;
            }
        }
        // split camelCase and separators into words: "sshKey", "api_key", "auth.method"
        String spaced = name.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
        for (String w : spaced.split("[^a-z0-9]+")) {
            if (KEY_NAME_WORDS.contains(w)) {
                return true;
            }
        }
        return false;
    }

    /** Sanitizes free text (log lines, messages, rendered reports). */
    String text(String s, Counter c) {
        if (s == null || s.isEmpty()) {
            return s;
        }
        String t = replaceKnown(s, c);
        t = replacePatterns(t, c);
        int[] n = {0};
        t = pseudonyms.apply(t, n);
        c.pseudonymized += n[0];
        return t;
    }

    private String replaceKnown(String s, Counter c) {
        String t = s;
        // a second pass catches a form that overlapped an earlier, shorter one
        for (int pass = 0; pass < 3; pass++) {
            List<KnownSecrets.Found> found = known.find(t);
            if (found.isEmpty()) {
                break;
            }
            StringBuilder sb = new StringBuilder(t.length());
            int at = 0;
            for (KnownSecrets.Found f : found) {
                sb.append(t, at, f.start()).append(SecretScanner.MASK);
                at = f.end();
                c.redacted++;
            }
            t = sb.append(t, at, t.length()).toString();
        }
        if (!known.isEmpty()) {
            Matcher m = SecretScanner.BASE64_RUN.matcher(t);
            StringBuilder sb = new StringBuilder();
            boolean changed = false;
            while (m.find()) {
                if (SecretScanner.secretInBase64(m.group(), known) != null) {
                    m.appendReplacement(sb, Matcher.quoteReplacement(SecretScanner.MASK));
                    c.redacted++;
                    changed = true;
                }
            }
            if (changed) {
                m.appendTail(sb);
                t = sb.toString();
            }
        }
        return t;
    }

    private static String replacePatterns(String s, Counter c) {
        String t = s;
        // rules can overlap (a bearer token inside an Authorization header): apply them one after
        // another, each on the text the previous one left
        for (SecretScanner.Rule r : SecretScanner.RULES) {
            List<int[]> spans = new ArrayList<>();
            for (SecretScanner.Hit h : r.find(t)) {
                spans.add(new int[] {h.start(), h.end()});
            }
            if (spans.isEmpty()) {
                continue;
            }
            spans.sort(Comparator.comparingInt((int[] a) -> a[0]).reversed());
            StringBuilder sb = new StringBuilder(t);
            int lastStart = Integer.MAX_VALUE;
            for (int[] span : spans) {
                if (span[1] > lastStart) {
                    continue;
                }
                sb.replace(span[0], span[1], SecretScanner.MASK);
                lastStart = span[0];
                c.redacted++;
            }
            t = sb.toString();
        }
        return t;
    }

    /** A sanitized copy of a JSON tree: field names and string values as text, secret-named fields replaced whole. */
    JsonNode tree(JsonNode node, Counter c) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            return TextNode.valueOf(text(node.asText(), c));
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(n -> out.add(tree(n, c)));
            return out;
        }
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            boolean pairIsSecret = false;
            for (String f : PAIR_NAME_FIELDS) {
                JsonNode n = node.get(f);
                if (n != null && n.isTextual() && sensitiveName(n.asText())) {
                    pairIsSecret = true;
                }
            }
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String name = text(e.getKey(), c);
                JsonNode v = e.getValue();
                if (!v.isNull() && !v.isBoolean() && !v.isMissingNode()
                        && (sensitiveName(e.getKey()) || (pairIsSecret && e.getKey().equals("value")))) {
                    out.put(name, SecretScanner.MASK);
                    c.redacted++;
                } else {
                    out.set(name, tree(v, c));
                }
            }
            return out;
        }
        return node.deepCopy();
    }
}
