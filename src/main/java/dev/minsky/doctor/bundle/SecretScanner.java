package dev.minsky.doctor.bundle;

import dev.minsky.util.ConnectionSecrets;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The generic secret patterns (a secret the tool does not know by value but recognises by its
 * shape), shared by the sanitizer, which replaces what they match, and by the final scan, which
 * refuses to write a bundle where one still matches. Each rule names the group that holds the
 * secret itself, so that {@code postgresql://user:pw@host} keeps its user and host.
 */
final class SecretScanner {
    /** What replaces a secret. Chosen so that no rule below treats it as a secret again. */
    static final String MASK = "[REDACTED]";

    /**
     * A rule: its name (shown in errors and the manifest), its pattern, the group holding the
     * secret; without a pattern, the secrets of URLs and connection strings as
     * {@link ConnectionSecrets} finds them (the parser that output, logs and the known secrets use too).
     */
    record Rule(String kind, Pattern pattern, int group) {
        /** The secrets this rule finds in the text, placeholders left out, quotes not included. */
        List<Hit> find(String text) {
            List<Hit> hits = new ArrayList<>();
            if (pattern == null) {
                for (ConnectionSecrets.Span s : ConnectionSecrets.find(text)) {
                    if (!isPlaceholder(s.value())) {
                        hits.add(new Hit(s.kind().id(), s.start(), s.end()));
                    }
                }
                return hits;
            }
            Matcher m = pattern.matcher(text);
            while (m.find()) {
                String v = m.group(group);
                if (v == null || isPlaceholder(v)) {
                    continue;
                }
                int[] span = secretSpan(m, this);
                if (span[1] > span[0]) {
                    hits.add(new Hit(kind, span[0], span[1]));
                }
            }
            return hits;
        }
    }

    /** One match that is not a placeholder. Offsets are into the scanned text. */
    record Hit(String kind, int start, int end) {}

    private static final String KEY_WORDS = "(?:password|passwd|passphrase|[_.-]pwd|(?-i:(?<=[a-z])Pwd)|secret|token|credentials?|auth"
            + "|apikey|api[_-]key|accesskey|access[_-]key|privatekey|private[_-]key|(?<![A-Za-z0-9])key|[_.-]key|(?-i:(?<=[a-z])Key))";

    static final List<Rule> RULES = List.of(
            // whole PEM blocks (private keys, but certificates too: they name hosts and people)
            new Rule("pem-block", Pattern.compile("-----BEGIN ([A-Z0-9 ]{1,40})-----[\\s\\S]*?-----END \\1-----"), 0),
            // a PEM private key cut off before its END line (a truncated log)
            new Rule("pem-key", Pattern.compile("-----BEGIN [A-Z0-9 ]{0,30}PRIVATE KEY-----[A-Za-z0-9+/=\\s\\\\n]*"), 0),
            // the body of a PEM key whose BEGIN line was lost or removed on its own (one log line at a time)
            new Rule("pem-key-body", Pattern.compile("((?:[A-Za-z0-9+/=]{16,}[ \\t]*\\r?\\n)+)-----END [A-Z0-9 ]{0,30}PRIVATE KEY-----"), 1),
            // URL user-info passwords and tokens (https://TOKEN@github.com/...), password= pairs and
            // query parameters of connection strings: the one parser minsky has for them
            new Rule("connection-secret", null, 0),
            new Rule("authorization", Pattern.compile(
                    "(?i)\\b(?:proxy-)?authorization[\"']?\\s*[:=]\\s*[\"']?(?:(?:bearer|basic|token|digest|negotiate)\\s+)?([^\\s\"',;]+)"), 1),
            new Rule("bearer", Pattern.compile("(?i)\\bbearer\\s+([A-Za-z0-9._~+/=-]{8,})"), 1),
            new Rule("github-token", Pattern.compile("\\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})"), 1),
            new Rule("aws-access-key", Pattern.compile("\\b((?:AKIA|ASIA|AGPA|AIDA|AROA)[A-Z0-9]{16})\\b"), 1),
            new Rule("slack-token", Pattern.compile("\\b(xox[abposr]-[A-Za-z0-9-]{10,})"), 1),
            new Rule("jwt", Pattern.compile("\\b(eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,})"), 1),
            // key=value, key: value, "key": "value" where the key is named like a secret
            new Rule("secret-pair", Pattern.compile("(?i)(?<![A-Za-z0-9])[A-Za-z0-9_.-]*?" + KEY_WORDS
                    + "[\"']?\\s*[=:]\\s*(\"[^\"\\n]*\"|'[^'\\n]*'|[^\\s&;,\"'<>}\\]|\\\\][^\\s&;,\"'<>}\\]|]*)"), 1));

    private static final Pattern PLACEHOLDER = Pattern.compile(
            "\\*+|x{3,}|X{3,}|<[^<>]*>|\\$\\{?[A-Za-z_][A-Za-z0-9_]*\\}?|PASSWORD|PASS|SECRET|TOKEN|\\.\\.\\.|…|null|true|false|");

    private SecretScanner() {}

    /** True for values that stand in for a secret: our mask, {@code ****}, {@code <password>}, {@code $PGPASSWORD}. */
    static boolean isPlaceholder(String value) {
        String v = value;
        if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
            v = v.substring(1, v.length() - 1);
        }
        v = v.strip();
        return v.startsWith("[REDACTED") || v.startsWith("REDACTED") || PLACEHOLDER.matcher(v).matches();
    }

    /** The span of a rule's secret group, without surrounding quotes. */
    static int[] secretSpan(Matcher m, Rule r) {
        int s = m.start(r.group());
        int e = m.end(r.group());
        String v = m.group(r.group());
        if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
            s++;
            e--;
        }
        return new int[] {s, e};
    }

    /** Every generic pattern match in the text that is not a placeholder. */
    static List<Hit> scanPatterns(String text) {
        List<Hit> hits = new ArrayList<>();
        for (Rule r : RULES) {
            hits.addAll(r.find(text));
        }
        return hits;
    }

    /** Every place a known secret appears in any of its forms, including inside decoded base64 runs. */
    static List<Hit> scanKnown(String text, KnownSecrets secrets) {
        List<Hit> hits = new ArrayList<>();
        for (KnownSecrets.Found f : secrets.find(text)) {
            hits.add(new Hit(f.label(), f.start(), f.end()));
        }
        Matcher m = BASE64_RUN.matcher(text);
        while (m.find()) {
            String label = secretInBase64(m.group(), secrets);
            if (label != null) {
                hits.add(new Hit(label + " (inside base64)", m.start(), m.end()));
            }
        }
        return hits;
    }

    static final Pattern BASE64_RUN = Pattern.compile("[A-Za-z0-9+/_-]{12,}={0,2}");

    /** The label of a known secret hidden in this base64 run, or null. */
    static String secretInBase64(String run, KnownSecrets secrets) {
        String s = run.replace('-', '+').replace('_', '/');
        int eq = s.indexOf('=');
        if (eq >= 0) {
            s = s.substring(0, eq);
        }
        // the run may start or end mid-group: try every trim that leaves a whole number of groups
        for (int drop = 0; drop < 4 && s.length() - drop >= 8; drop++) {
            String body = s.substring(0, s.length() - drop);
            if (body.length() % 4 == 1) {
                continue;
            }
            byte[] decoded;
            try {
                decoded = Base64.getDecoder().decode(pad(body));
            } catch (IllegalArgumentException e) {
                continue;
            }
            String label = secrets.findInBytes(new String(decoded, StandardCharsets.ISO_8859_1));
            if (label != null) {
                return label;
            }
        }
        return null;
    }

    private static String pad(String s) {
        return switch (s.length() % 4) {
            case 2 -> s + "==";
            case 3 -> s + "=";
            default -> s;
        };
    }

    /** A rule name ("github-token") or a known secret's label, for messages. */
    static String describe(String kind) {
        return kind.matches("[a-z0-9-]+") ? kind.replace('-', ' ') : kind;
    }
}
