package dev.minsky.util;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one parser for secrets in URLs and connection strings, used wherever minsky masks, knows or
 * scans for them (output and logs: {@link Secrets}; the bundle's known values and its patterns; the
 * log's registered secrets), so that all of them agree on what the secret is:
 *
 * <ul>
 *   <li>the password of a URL's user-info, {@code scheme://user:PASSWORD@host} (up to the last
 *       {@code @} before the path, so an unencoded {@code @} in a password is covered);</li>
 *   <li>a user-info that is a credential, not a user name ({@code https://TOKEN@github.com},
 *       {@code ghp_...:x-oauth-basic@}): 16 characters or more, or shaped like a known token;</li>
 *   <li>the value of every pair whose key is named like a secret ({@link #secretKey}): URL query
 *       parameters ({@code ?password=p}, {@code &sslpassword=p}, {@code &access_token=t}),
 *       key=value connection strings ({@code host=h password='quoted \' value'}),
 *       {@code key: value} and JSON {@code "password": "value"}.</li>
 * </ul>
 *
 * A span is the secret's characters in the text as written (percent-encoded in a URL, without the
 * quotes of a quoted value); {@link Span#values()} gives it as written and decoded.
 */
public final class ConnectionSecrets {
    private ConnectionSecrets() {}

    /** What a span is. */
    public enum Kind {
        URL_PASSWORD("url-password"), URL_TOKEN("url-token"), PAIR("secret-pair");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        /** The name used in messages and manifests ({@code url-password}). */
        public String id() {
            return id;
        }
    }

    /**
     * One secret in a text.
     *
     * @param start first character of the secret
     * @param end one past its last character
     * @param value the secret as written
     */
    public record Span(Kind kind, int start, int end, String value) {
        /** The secret as written and, when different, percent-decoded and unescaped. */
        public List<String> values() {
            Set<String> out = new LinkedHashSet<>();
            out.add(value);
            if (value.contains("\\")) {
                out.add(value.replaceAll("\\\\(.)", "$1"));
            }
            String decoded = urlDecode(value);
            if (decoded != null) {
                out.add(decoded);
            }
            return List.copyOf(out);
        }
    }

    /** A URL's scheme and authority: everything after {@code ://} up to the path, whitespace or a quote. */
    private static final Pattern AUTHORITY = Pattern.compile("(?i)\\b[a-z][a-z0-9+.-]*://([^/\\s\"'<>]*)");

    /**
     * A key, an optional closing quote (JSON), = or :, then a quoted or bare value. A quoted value
     * whose closing quote is missing runs to the end of the line: a malformed connection string
     * quoted back in an error message must not show its password.
     */
    private static final Pattern PAIR = Pattern.compile(
            "(?<![A-Za-z0-9_.-])([A-Za-z][A-Za-z0-9_.-]*)[\"']?[ \\t]*[=:][ \\t]*"
                    + "(?:'((?:[^'\\\\\\n]|\\\\.)*)'?|\"((?:[^\"\\\\\\n]|\\\\.)*)\"?|([^\\s&;,\"'<>}\\]|]+))");

    private static final Pattern SECRET_KEY = Pattern.compile(
            "(?i).*(password|passwd|passphrase|secret|token|api[_-]?key|access[_-]?key|private[_-]?key)|(?:.*[_.-])?(pwd|pass)");

    /** True for a key whose value is a secret: {@code password}, {@code sslpassword}, {@code PGPASSWORD}, {@code db_pass}, {@code access_token}, ... */
    public static boolean secretKey(String key) {
        // PWD and OLDPWD are the shell's working directories; Pwd= of an ODBC string is a password
        return key != null && !key.equals("PWD") && !key.equals("OLDPWD") && SECRET_KEY.matcher(key).matches();
    }

    /** A user-info part that is a credential, not a user name: long, or shaped like a known token. */
    public static boolean looksLikeToken(String userInfo) {
        return userInfo.length() >= 16 || userInfo.matches("(gh[pousr]_|github_pat_|glpat-|xox[abposr]-).*");
    }

    /** Every secret in the text, in order, not overlapping. */
    public static List<Span> find(String text) {
        List<Span> out = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        List<int[]> userInfos = new ArrayList<>();
        Matcher a = AUTHORITY.matcher(text);
        while (a.find()) {
            int at = a.group(1).lastIndexOf('@');
            if (at < 0) {
                continue;
            }
            int start = a.start(1);
            String ui = a.group(1).substring(0, at);
            userInfos.add(new int[] {start, start + at});
            int colon = ui.indexOf(':');
            if (colon < 0) {
                if (!ui.isEmpty() && looksLikeToken(ui)) {
                    out.add(new Span(Kind.URL_TOKEN, start, start + ui.length(), ui));
                }
                continue;
            }
            String user = ui.substring(0, colon);
            if (!user.isEmpty() && looksLikeToken(user)) {
                out.add(new Span(Kind.URL_TOKEN, start, start + colon, user));
            }
            if (colon + 1 < ui.length()) {
                out.add(new Span(Kind.URL_PASSWORD, start + colon + 1, start + ui.length(), ui.substring(colon + 1)));
            }
        }
        Matcher p = PAIR.matcher(text);
        int from = 0;
        while (from < text.length() && p.find(from)) {
            if (!secretKey(p.group(1)) || inside(userInfos, p.start())) {
                // "postgresql://u@h/db?password=p": a pair that is not a secret must not swallow the ones after it
                from = p.end(1);
                continue;
            }
            int g = p.group(2) != null ? 2 : p.group(3) != null ? 3 : 4;
            if (p.end(g) > p.start(g)) {
                out.add(new Span(Kind.PAIR, p.start(g), p.end(g), p.group(g)));
            }
            from = p.end();
        }
        out.sort((x, y) -> Integer.compare(x.start(), y.start()));
        List<Span> disjoint = new ArrayList<>();
        int last = -1;
        for (Span s : out) {
            if (s.start() >= last) {
                disjoint.add(s);
                last = s.end();
            }
        }
        return disjoint;
    }

    /** Every secret value in the text, as written and decoded. */
    public static List<String> values(String text) {
        Set<String> out = new LinkedHashSet<>();
        for (Span s : find(text)) {
            out.addAll(s.values());
        }
        return List.copyOf(out);
    }

    /** The text with every secret replaced by {@code mask} (quotes and all that surrounds it kept). */
    public static String mask(String text, String mask) {
        if (text == null) {
            return null;
        }
        List<Span> spans = find(text);
        if (spans.isEmpty()) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length());
        int at = 0;
        for (Span s : spans) {
            sb.append(text, at, s.start()).append(mask);
            at = s.end();
        }
        return sb.append(text, at, text.length()).toString();
    }

    private static boolean inside(List<int[]> ranges, int i) {
        for (int[] r : ranges) {
            if (i >= r[0] && i < r[1]) {
                return true;
            }
        }
        return false;
    }

    private static String urlDecode(String v) {
        if (!v.contains("%")) {
            return null;
        }
        try {
            String d = URLDecoder.decode(v.replace("+", "%2B"), StandardCharsets.UTF_8);
            return d.equals(v) ? null : d;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
