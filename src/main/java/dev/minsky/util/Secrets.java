package dev.minsky.util;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Masks secrets in strings that reach output or logs. */
public final class Secrets {
    public static final String MASK = "****";
    private static final Pattern URL_USERINFO = Pattern.compile("(?i)([a-z][a-z0-9+.-]*://[^:/@\\s]*):([^@/\\s]*)@");
    private static final Pattern PASSWORD_PAIR = Pattern.compile("(?i)\\b(password|passwd|pwd|pass)\\s*([=:])\\s*('[^']*'|\"[^\"]*\"|[^\\s&;,]+)");

    private Secrets() {}

    /** Masks the password of a connection string, URL or key=value form; null stays null. */
    public static String mask(String s) {
        if (s == null) {
            return null;
        }
        String r = URL_USERINFO.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + ":" + MASK + "@"));
        return PASSWORD_PAIR.matcher(r).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + MASK));
    }
}
