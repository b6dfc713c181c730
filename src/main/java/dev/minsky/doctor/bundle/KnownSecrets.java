package dev.minsky.doctor.bundle;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.minsky.util.ConnectionSecrets;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The secret values minsky knows at run time (passwords of connection strings, {@code PGPASSWORD},
 * tokens in session repo URLs, values of environment variables named like secrets), and every form
 * in which each could reach a bundle entry: plain, URL-encoded, JSON-escaped, HTML-escaped,
 * Markdown-escaped and base64 (at every byte alignment, so that a secret inside a longer base64
 * string such as a Basic {@code user:password} header is found too).
 */
final class KnownSecrets {
    /** Shorter values are not replaced by exact match: replacing every "ab" would wreck the report. */
    static final int MIN_LENGTH = 4;
    /** Values of variables that are only named like secrets must be longer (SOME_AUTH=1 is not a secret). */
    static final int MIN_LENGTH_BY_NAME = 8;

    /** A secret and where it came from (the label is safe to print; the value never is). */
    record Secret(String label, String value) {}

    /** One textual form of a secret. */
    record Form(String label, String text) {}

    private final Map<String, Secret> byValue = new LinkedHashMap<>();
    private List<Form> forms;

    void add(String label, String value) {
        add(label, value, MIN_LENGTH);
    }

    void add(String label, String value, int minLength) {
        if (value == null) {
            return;
        }
        String v = value.strip();
        if (v.length() < minLength || SecretScanner.isPlaceholder(v)) {
            return;
        }
        byValue.putIfAbsent(v, new Secret(label, v));
        formIndex = null;
        latinIndex = null;
        // a value given URL-encoded is also known decoded, and the other way round
        String decoded = urlDecode(v);
        if (decoded != null && !decoded.equals(v) && decoded.length() >= minLength) {
            byValue.putIfAbsent(decoded, new Secret(label, decoded));
        }
        forms = null;
    }

    /**
     * Adds the secrets inside a URL or any text, as {@link ConnectionSecrets} finds them: user-info
     * passwords, user-info tokens, secret-named pairs and query parameters.
     */
    void addFromText(String label, String text) {
        for (ConnectionSecrets.Span s : ConnectionSecrets.find(text)) {
            String what = switch (s.kind()) {
                case URL_PASSWORD -> " (URL password)";
                case URL_TOKEN -> " (URL token)";
                case PAIR -> " (password pair)";
            };
            for (String v : s.values()) {
                add(label + what, v);
            }
        }
    }

    List<Secret> secrets() {
        return List.copyOf(byValue.values());
    }

    boolean isEmpty() {
        return byValue.isEmpty();
    }

    /** A place a form was found. */
    record Found(String label, int start, int end) {}

    // Forms indexed by their first four characters, so that a text is searched for thousands of
    // forms (a token in every repo URL of a big store, times its forms) in one pass, not one pass each.
    private Map<Long, List<Form>> formIndex;
    private Map<Long, List<Secret>> latinIndex;

    private static long key(CharSequence s, int i) {
        return ((long) s.charAt(i) << 48) | ((long) s.charAt(i + 1) << 32) | ((long) s.charAt(i + 2) << 16) | s.charAt(i + 3);
    }

    /** Every form of every secret in the text, leftmost first, longest at each place, not overlapping. */
    List<Found> find(String text) {
        if (formIndex == null) {
            Map<Long, List<Form>> idx = new java.util.HashMap<>();
            for (Form f : forms()) {
                idx.computeIfAbsent(key(f.text(), 0), k -> new ArrayList<>()).add(f);
            }
            formIndex = idx;
        }
        List<Found> out = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i + 4 <= n) {
            List<Form> candidates = formIndex.get(key(text, i));
            Form hit = null;
            if (candidates != null) {
                for (Form f : candidates) {
                    if (text.startsWith(f.text(), i)) {
                        hit = f;
                        break;
                    }
                }
            }
            if (hit != null) {
                out.add(new Found(hit.label(), i, i + hit.text().length()));
                i += hit.text().length();
            } else {
                i++;
            }
        }
        return out;
    }

    /** The label of a secret whose UTF-8 bytes occur in these bytes (given as ISO-8859-1 text), or null. */
    String findInBytes(String latin) {
        if (latinIndex == null) {
            Map<Long, List<Secret>> idx = new java.util.HashMap<>();
            for (Secret sec : byValue.values()) {
                String l = new String(sec.value().getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
                if (l.length() >= 4) {
                    idx.computeIfAbsent(key(l, 0), k -> new ArrayList<>()).add(new Secret(sec.label(), l));
                }
            }
            latinIndex = idx;
        }
        for (int i = 0; i + 4 <= latin.length(); i++) {
            List<Secret> c = latinIndex.get(key(latin, i));
            if (c != null) {
                for (Secret sec : c) {
                    if (latin.startsWith(sec.value(), i)) {
                        return sec.label();
                    }
                }
            }
        }
        return null;
    }

    /** All forms of all secrets, longest first so that a longer form is replaced before a shorter one inside it. */
    List<Form> forms() {
        if (forms == null) {
            Map<String, Form> all = new LinkedHashMap<>();
            for (Secret s : byValue.values()) {
                for (Map.Entry<String, String> f : formsOf(s.value()).entrySet()) {
                    all.putIfAbsent(f.getValue(), new Form(s.label() + ", " + f.getKey(), f.getValue()));
                }
            }
            List<Form> list = new ArrayList<>(all.values());
            list.sort(Comparator.comparingInt((Form f) -> f.text().length()).reversed());
            forms = list;
        }
        return forms;
    }

    /** Form name to text. Forms equal to the plain text are dropped. */
    static Map<String, String> formsOf(String v) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("plain", v);
        String form = URLEncoder.encode(v, StandardCharsets.UTF_8);
        out.put("URL-encoded", form);
        out.put("URL-encoded (%20)", form.replace("+", "%20"));
        out.put("URL-encoded (lower-case hex)", lowerHex(form.replace("+", "%20")));
        out.put("JSON-escaped", new String(JsonStringEncoder.getInstance().quoteAsString(v)));
        out.put("JSON-escaped (ASCII)", jsonAscii(v));
        out.put("HTML-escaped", html(v));
        out.put("Markdown-escaped", v.replace("|", "\\|"));
        byte[] b = v.getBytes(StandardCharsets.UTF_8);
        out.put("base64", Base64.getEncoder().encodeToString(b));
        out.put("base64 (URL-safe)", Base64.getUrlEncoder().encodeToString(b));
        // inside a longer base64 string the secret starts at any of three byte offsets; keep only the
        // characters that depend on the secret's bytes alone
        for (int k = 0; k < 3; k++) {
            byte[] padded = new byte[k + b.length];
            System.arraycopy(b, 0, padded, k, b.length);
            String enc = Base64.getEncoder().withoutPadding().encodeToString(padded);
            int first = (8 * k + 5) / 6;
            int last = (8 * (k + b.length) - 6) / 6;
            if (last - first + 1 >= 6) {
                String core = enc.substring(first, last + 1);
                out.put("base64 (offset " + k + ")", core);
                out.put("base64 (URL-safe, offset " + k + ")", core.replace('+', '-').replace('/', '_'));
            }
        }
        Set<String> seen = new LinkedHashSet<>();
        Map<String, String> dedup = new LinkedHashMap<>();
        out.forEach((k, t) -> {
            if (t.length() >= MIN_LENGTH && seen.add(t)) {
                dedup.put(k, t);
            }
        });
        return dedup;
    }

    private static String lowerHex(String s) {
        Matcher m = Pattern.compile("%[0-9A-F]{2}").matcher(s);
        return m.replaceAll(r -> r.group().toLowerCase(Locale.ROOT));
    }

    private static String jsonAscii(String v) {
        StringBuilder sb = new StringBuilder();
        for (char c : v.toCharArray()) {
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || c == '\'' || c == '=') {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    static String html(String v) {
        return v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    private static String urlDecode(String v) {
        if (!v.contains("%")) {
            return null;
        }
        try {
            return URLDecoder.decode(v.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
