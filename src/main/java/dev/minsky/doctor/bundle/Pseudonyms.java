package dev.minsky.doctor.bundle;

import dev.minsky.AppContext;
import dev.minsky.util.AtomicFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stable pseudonyms for who and where: the user name, the home directory and the host name.
 * A pseudonym is {@code user-}/{@code host-}/{@code home-} and an HMAC-SHA256 of the real value
 * under a random key kept in {@code ~/.config/minsky/bundle-key} (mode 0600). The key makes the
 * mapping impossible to reverse from a list of likely names, keeps one name the same across
 * bundles from the same machine (so a maintainer can tell two reports apart), and never leaves the
 * machine: the archive holds only pseudonyms. The home directory path itself becomes {@code ~}.
 */
final class Pseudonyms {
    /** The environment variable that names the host, before the system's own name (tests plant one). */
    static final String HOSTNAME_VAR = "MINSKY_HOSTNAME";
    static final String KEY_FILE = "bundle-key";
    /** Shorter names are not replaced: a one-letter user name would rewrite every word. */
    private static final int MIN_NAME = 2;
    private static final Set<String> GENERIC_DIRS = Set.of("home", "tmp", "users", "var", "opt", "usr", "");

    /** A real value and what it becomes. */
    record Identity(String kind, String real, String pseudonym, Pattern pattern) {}

    private final List<Identity> identities;
    private final List<String> homes;
    private final boolean keyStable;

    private Pseudonyms(List<Identity> identities, List<String> homes, boolean keyStable) {
        this.identities = identities;
        this.homes = homes;
        this.keyStable = keyStable;
    }

    static Pseudonyms forContext(AppContext ctx) {
        byte[] key;
        boolean stable = true;
        try {
            key = loadOrCreateKey(ctx.paths().configDir().resolve(KEY_FILE));
        } catch (IOException | RuntimeException e) {
            // an unwritable config dir must not stop a bug report: use a throwaway key (pseudonyms
            // are then as safe, only not the same in the next bundle)
            key = new byte[32];
            new SecureRandom().nextBytes(key);
            stable = false;
        }
        Set<String> homes = new LinkedHashSet<>();
        addIfPresent(homes, ctx.env("HOME"));
        addIfPresent(homes, System.getProperty("user.home"));
        Set<String> users = new LinkedHashSet<>();
        addIfPresent(users, ctx.env("USER"));
        addIfPresent(users, ctx.env("LOGNAME"));
        addIfPresent(users, System.getProperty("user.name"));
        Set<String> hosts = new LinkedHashSet<>(hostNames(ctx));
        Set<String> homeNames = new LinkedHashSet<>();
        for (String h : homes) {
            Path name = Path.of(h).getFileName();
            if (name != null && !GENERIC_DIRS.contains(name.toString()) && !users.contains(name.toString())) {
                homeNames.add(name.toString());
            }
        }
        List<Identity> ids = new ArrayList<>();
        for (String u : users) {
            ids.add(identity("user", u, key, false));
        }
        for (String h : hosts) {
            ids.add(identity("host", h, key, true));
        }
        for (String h : homeNames) {
            ids.add(identity("home", h, key, false));
        }
        ids.removeIf(i -> i == null);
        // longer names first, so that "vm-build" is replaced before "vm"
        ids.sort(Comparator.comparingInt((Identity i) -> i.real().length()).reversed());
        List<String> homeList = new ArrayList<>(homes);
        homeList.removeIf(h -> h.equals("/") || h.length() < 2);
        homeList.sort(Comparator.comparingInt(String::length).reversed());
        return new Pseudonyms(List.copyOf(ids), List.copyOf(homeList), stable);
    }

    private static void addIfPresent(Set<String> set, String v) {
        if (v != null && !v.isBlank()) {
            set.add(v.strip());
        }
    }

    /**
     * The names this machine goes by: {@code MINSKY_HOSTNAME} (injectable, for tests and for
     * containers whose kernel name is not the one people use), {@code HOSTNAME}, the kernel's host
     * name, and Java's local host name. All of them are pseudonymized.
     */
    static List<String> hostNames(AppContext ctx) {
        Set<String> out = new LinkedHashSet<>();
        addIfPresent(out, ctx.env(HOSTNAME_VAR));
        addIfPresent(out, ctx.env("HOSTNAME"));
        try {
            Path kernel = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(kernel)) {
                addIfPresent(out, Files.readString(kernel, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // not Linux, or not readable: InetAddress below
        }
        try {
            addIfPresent(out, InetAddress.getLocalHost().getHostName());
        } catch (IOException e) {
            // no resolvable local name; the names above still count
        }
        Set<String> withShort = new LinkedHashSet<>();
        for (String h : out) {
            withShort.add(h);
            int dot = h.indexOf('.');
            if (dot > 0) {
                withShort.add(h.substring(0, dot));
            }
        }
        withShort.removeIf(h -> h.equals("localhost") || h.equals("localhost.localdomain"));
        return List.copyOf(withShort);
    }

    /** The primary host name (the first source that gave one), or null. */
    static String primaryHost(AppContext ctx) {
        List<String> h = hostNames(ctx);
        return h.isEmpty() ? null : h.get(0);
    }

    private static Identity identity(String kind, String real, byte[] key, boolean ignoreCase) {
        if (real.length() < MIN_NAME) {
            return null;
        }
        String pseudonym = kind + "-" + hmac(key, kind + "\0" + (ignoreCase ? real.toLowerCase(Locale.ROOT) : real)).substring(0, 10);
        // a name is a whole word: "vm" is replaced in "host vm", not in "jvm"
        // ("-" and "." separate words, so "vm-build" and "vm.local" lose the name too); a pseudonym
        // already in the text ("user-0123456789" when the user is called "user") is left alone
        String p = "(?<![A-Za-z0-9_])" + Pattern.quote(real) + "(?![A-Za-z0-9_])(?!-[0-9a-f]{10}(?![0-9a-f]))";
        return new Identity(kind, real, pseudonym, Pattern.compile(p, ignoreCase ? Pattern.CASE_INSENSITIVE : 0));
    }

    static String hmac(byte[] key, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    static byte[] loadOrCreateKey(Path file) throws IOException {
        if (Files.isRegularFile(file)) {
            if (!PosixFilePermissions.toString(Files.getPosixFilePermissions(file)).equals("rw-------")) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
            byte[] k = HexFormat.of().parseHex(Files.readString(file, StandardCharsets.US_ASCII).strip());
            if (k.length >= 16) {
                return k;
            }
        }
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        AtomicFiles.write(file, (HexFormat.of().formatHex(k) + "\n").getBytes(StandardCharsets.US_ASCII), "rw-------");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return k;
    }

    /** Replaces home paths with {@code ~} and names with pseudonyms; counts replacements. */
    String apply(String text, int[] count) {
        String t = text;
        for (String h : homes) {
            Pattern p = Pattern.compile("(?<![A-Za-z0-9_.-])" + Pattern.quote(h) + "(?![A-Za-z0-9_.-])");
            Matcher m = p.matcher(t);
            StringBuilder sb = new StringBuilder();
            int n = 0;
            while (m.find()) {
                m.appendReplacement(sb, "~");
                n++;
            }
            if (n > 0) {
                m.appendTail(sb);
                t = sb.toString();
                count[0] += n;
            }
        }
        // replace with placeholders first, so that one name cannot match inside another's pseudonym
        List<String> replaced = new ArrayList<>();
        for (Identity id : identities) {
            Matcher m = id.pattern().matcher(t);
            StringBuilder sb = new StringBuilder();
            int n = 0;
            String token = "\u0000" + replaced.size() + "\u0000";
            while (m.find()) {
                m.appendReplacement(sb, Matcher.quoteReplacement(token));
                n++;
            }
            if (n > 0) {
                m.appendTail(sb);
                t = sb.toString();
                count[0] += n;
            }
            replaced.add(id.pseudonym());
        }
        for (int i = 0; i < replaced.size(); i++) {
            t = t.replace("\u0000" + i + "\u0000", replaced.get(i));
        }
        return t;
    }

    /** Where a real name or home path still appears (final scan): kind and offset pairs. */
    List<SecretScanner.Hit> scan(String text) {
        List<SecretScanner.Hit> hits = new ArrayList<>();
        for (String h : homes) {
            Matcher m = Pattern.compile("(?<![A-Za-z0-9_.-])" + Pattern.quote(h) + "(?![A-Za-z0-9_.-])").matcher(text);
            while (m.find()) {
                hits.add(new SecretScanner.Hit("home directory", m.start(), m.end()));
            }
        }
        for (Identity id : identities) {
            Matcher m = id.pattern().matcher(text);
            while (m.find()) {
                hits.add(new SecretScanner.Hit(id.kind() + " name", m.start(), m.end()));
            }
        }
        return hits;
    }

    /** The pseudonym for a name of this kind, or the name itself when it is not one we replace. */
    String of(String kind, String real) {
        if (real == null) {
            return null;
        }
        for (Identity id : identities) {
            if (id.kind().equals(kind) && id.pattern().matcher(real).matches()) {
                return id.pseudonym();
            }
        }
        int[] c = {0};
        return apply(real, c);
    }

    boolean keyStable() {
        return keyStable;
    }

    /** For tests: kind of each identity to its pseudonym. Never written into a bundle. */
    Map<String, String> mappingForTests() {
        Map<String, String> m = new LinkedHashMap<>();
        identities.forEach(i -> m.put(i.kind() + ":" + i.real(), i.pseudonym()));
        return m;
    }
}
