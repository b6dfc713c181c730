package dev.minsky.util;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.Locale;
import java.util.Map;

/**
 * Whether the terminal's locale can show ✓ ✗ → and friends, and a stream that spells them in
 * ASCII when it cannot ({@code LANG=C}): otherwise the JVM prints each one as '?'.
 */
public final class Glyphs {
    /** Longest first, so that "[✓]" becomes "[ok]" before a lone ✓ is looked at. */
    private static final String[][] ASCII = {
            {"[✓]", "[ok]"}, {"[✗]", "[xx]"}, {"[!]", "[!!]"},
            {"✓", "ok"}, {"✔", "ok"}, {"✗", "x"}, {"✘", "x"}, {"⚠", "!"}, {"•", "*"}, {"→", "->"}, {"←", "<-"},
            {"—", "-"}, {"–", "-"}, {"−", "-"}, {"·", "|"}, {"…", "..."}, {"“", "\""}, {"”", "\""}, {"‘", "'"}, {"’", "'"},
            {"≥", ">="}, {"≤", "<="}, {"×", "x"}};

    private Glyphs() {}

    /**
     * True when output should be ASCII: the locale (LC_ALL, else LC_CTYPE, else LANG) names a
     * charset other than UTF-8, or, with no locale set, the JVM's own charset cannot encode ✓.
     */
    public static boolean asciiOnly(Map<String, String> env, boolean systemStream) {
        for (String k : new String[] {"LC_ALL", "LC_CTYPE", "LANG"}) {
            String v = env.get(k);
            if (v != null && !v.isEmpty()) {
                String l = v.toLowerCase(Locale.ROOT);
                return !(l.contains("utf-8") || l.contains("utf8"));
            }
        }
        return systemStream && !Charset.defaultCharset().newEncoder().canEncode('✓');
    }

    public static String ascii(String s) {
        if (s == null) {
            return null;
        }
        boolean plain = true;
        for (int i = 0; i < s.length() && plain; i++) {
            plain = s.charAt(i) < 128;
        }
        if (plain) {
            return s;
        }
        for (String[] r : ASCII) {
            s = s.replace(r[0], r[1]);
        }
        return s;
    }

    /** A stream that writes {@link #ascii} of everything printed to it. */
    public static PrintStream asciiStream(PrintStream target) {
        return new PrintStream((OutputStream) target, true) {
            @Override
            public void print(String s) {
                super.print(ascii(s));
            }

            @Override
            public void print(Object o) {
                super.print(ascii(String.valueOf(o)));
            }

            @Override
            public void println(String s) {
                super.println(ascii(s));
            }

            @Override
            public void println(Object o) {
                super.println(ascii(String.valueOf(o)));
            }

            @Override
            public PrintStream append(CharSequence cs) {
                print(String.valueOf(cs));
                return this;
            }

            @Override
            public void print(char c) {
                super.print(ascii(String.valueOf(c)));
            }
        };
    }
}
