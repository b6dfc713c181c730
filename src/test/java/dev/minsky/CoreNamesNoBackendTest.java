package dev.minsky;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.store.StoreProvider;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No core class (every compiled main class outside {@code dev.minsky.backend..} and Drools' generated
 * {@code dev.minsky.doctor.rules..}) holds a string literal that names a built-in backend (issue 9,
 * points 1 and 6): what the core says or does about a backend it asks that backend's
 * {@link StoreProvider}, so a fourth backend touches no core file. ArchitectureTest checks the
 * classes the core uses; this checks the strings it holds, read from the constant pools of the
 * compiled classes (string constants only, not class or member names).
 *
 * <p>A literal names a backend when, split into words (at anything but letters and digits, and at
 * lower-to-upper case changes), one of its words is a built-in provider's id or display name, or
 * when it is such an id followed by a dot (the namespace of that backend's facts, causes, probes
 * and actions: {@code sqlite.wal.exists}). One exception is made by rule, not by file: a word that
 * is also the name of a file format the core itself reads and writes ({@code json}: the export
 * format, {@code --json}, {@code *.json}) counts only as the whole literal or as a namespace.
 */
class CoreNamesNoBackendTest {
    static final Path CLASSES = Path.of("target/classes");
    static final Path API_SOURCES = Path.of("minsky-plugin-api/src/main/java");

    static final String ENV = "an environment variable of product.md, read into the plugin API's Settings record before providers load";

    /** Words that are also formats of the core's own (see the class comment). */
    static final Set<String> FORMAT_WORDS = Set.of("json");

    /**
     * Literals the core must hold, each with why. Keep empty where possible: every entry is a place a
     * fourth backend's author would have to look at.
     */
    static final Map<String, String> ALLOWED = Map.of(
            "dev/minsky/cli/SessionDbTransfer json",
            "--format json: the export format (a JSON array of records), which is not the JSON backend",
            // product.md's environment variables: read into Settings (a record of the plugin API) by the
            // config, which depends on no store, so before any provider is asked
            "dev/minsky/config/ConfigKey MINSKY_SESSIONDB_SQLITE_PATH", ENV,
            "dev/minsky/config/ConfigKey MINSKY_SESSIONDB_POSTGRES_URL", ENV,
            "dev/minsky/config/ConfigKey MINSKY_POSTGRES_URL", ENV,
            "dev/minsky/config/ConfigKey MINSKY_POSTGRES_WAIT_MS", ENV,
            "dev/minsky/config/ConfigService MINSKY_SQLITE_BUSY_TIMEOUT_MS", ENV);

    @Test
    void no_core_class_holds_a_backend_name() throws IOException {
        Set<String> ids = new TreeSet<>();
        Set<String> words = new TreeSet<>();
        for (StoreProvider p : ServiceLoader.load(StoreProvider.class)) {
            ids.add(p.id().toLowerCase(Locale.ROOT));
            words.add(p.id().toLowerCase(Locale.ROOT));
            for (String w : p.displayName().split("[^A-Za-z0-9]+")) {
                words.add(w.toLowerCase(Locale.ROOT));
            }
        }
        assertEquals(Set.of("json", "postgres", "sqlite"), ids, "the built-in backends were found");
        assertTrue(words.containsAll(List.of("sqlite", "postgresql")), "their display names are words too: " + words);

        List<String> found = new ArrayList<>();
        int classes = 0;
        try (Stream<Path> s = Files.walk(CLASSES)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                String name = CLASSES.relativize(f).toString().replace('\\', '/').replaceAll("\\.class$", "");
                if (name.startsWith("dev/minsky/backend/") || name.startsWith("dev/minsky/doctor/rules/")
                        || Files.exists(API_SOURCES.resolve(outerOf(name) + ".java"))) {
                    continue; // a backend's own, Drools' generated, or the plugin API's (its records are published as they are)
                }
                classes++;
                String outer = outerOf(name);
                try (InputStream in = Files.newInputStream(f)) {
                    for (String lit : stringConstants(in)) {
                        if (namesBackend(lit, ids, words) && !ALLOWED.containsKey(outer + " " + lit)) {
                            found.add(name + ": \"" + lit.replace("\n", "\\n") + "\"");
                        }
                    }
                }
            }
        }
        assertTrue(classes > 200, "the core's classes were read (" + classes + ")");
        assertTrue(found.isEmpty(), found.size() + " backend names in core classes (ask the backend's provider instead):\n"
                + String.join("\n", found));
    }

    /** The rule itself: it sees the names it is about, and lets the format be. */
    @Test
    void the_rule_sees_backend_names_and_not_the_json_format() {
        Set<String> ids = Set.of("json", "sqlite", "postgres");
        Set<String> words = Set.of("json", "sqlite", "postgres", "postgresql");
        for (String named : List.of("sqlite", "SQLite database", "sqlite.wal.exists", "json", "json.parse.ok", "the PostgreSQL server",
                "MINSKY_SESSIONDB_SQLITE_PATH", "postgres.connect.kind", "doctor-sqlite-driver", "sqliteDir", "org/postgresql/")) {
            assertTrue(namesBackend(named, ids, words), named);
        }
        for (String format : List.of("--json", "sessions.json", "Print the result as JSON.", "not valid JSON: x", "jsonPath", "sessiondb.dbPath",
                "sql: ", "SQL")) {
            assertTrue(!namesBackend(format, ids, words), format);
        }
    }

    static String outerOf(String name) {
        return name.contains("$") ? name.substring(0, name.indexOf('$')) : name;
    }

    static boolean namesBackend(String lit, Set<String> ids, Set<String> words) {
        String lower = lit.toLowerCase(Locale.ROOT);
        for (String id : ids) {
            if (lower.equals(id) || lower.startsWith(id + ".")) {
                return true;
            }
        }
        for (String w : words(lit)) {
            if (words.contains(w) && !FORMAT_WORDS.contains(w)) {
                return true;
            }
        }
        return false;
    }

    /** The words of a text, lower case: split at anything but letters and digits and at a lower-to-upper change. */
    static Set<String> words(String text) {
        Set<String> out = new LinkedHashSet<>();
        for (String run : text.split("[^A-Za-z0-9]+")) {
            if (!run.isEmpty()) {
                out.add(run.toLowerCase(Locale.ROOT)); // PostgreSQL
                for (String part : run.replaceAll("([a-z0-9])([A-Z])", "$1 $2").split(" ")) {
                    out.add(part.toLowerCase(Locale.ROOT)); // sqlite in sqliteDir
                }
            }
        }
        return out;
    }

    /**
     * The string constants of a class file (JVMS 4): the CONSTANT_String entries of its constant pool
     * (literals, and string concatenation recipes), and the string values of its annotations (picocli's
     * descriptions and footers), on the class, its fields and its methods.
     */
    static Set<String> stringConstants(InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        List<Integer> strings = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 8 -> strings.add(in.readUnsignedShort());
                case 7, 16, 19, 20 -> in.readUnsignedShort();
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++;
                }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        Set<String> out = new LinkedHashSet<>();
        for (int idx : strings) {
            out.add(utf8[idx]);
        }
        in.readUnsignedShort(); // access
        in.readUnsignedShort(); // this
        in.readUnsignedShort(); // super
        in.skipBytes(2 * in.readUnsignedShort()); // interfaces
        for (int members = 0; members < 2; members++) { // fields, methods
            for (int n = in.readUnsignedShort(); n > 0; n--) {
                in.readUnsignedShort();
                in.readUnsignedShort();
                in.readUnsignedShort();
                attributes(in, utf8, out);
            }
        }
        attributes(in, utf8, out);
        return out;
    }

    private static void attributes(DataInputStream in, String[] utf8, Set<String> out) throws IOException {
        for (int n = in.readUnsignedShort(); n > 0; n--) {
            String name = utf8[in.readUnsignedShort()];
            int length = in.readInt();
            if ("RuntimeVisibleAnnotations".equals(name) || "RuntimeInvisibleAnnotations".equals(name)) {
                for (int a = in.readUnsignedShort(); a > 0; a--) {
                    annotation(in, utf8, out);
                }
            } else {
                in.skipBytes(length);
            }
        }
    }

    private static void annotation(DataInputStream in, String[] utf8, Set<String> out) throws IOException {
        in.readUnsignedShort(); // type
        for (int pairs = in.readUnsignedShort(); pairs > 0; pairs--) {
            in.readUnsignedShort(); // element name
            elementValue(in, utf8, out);
        }
    }

    private static void elementValue(DataInputStream in, String[] utf8, Set<String> out) throws IOException {
        int tag = in.readUnsignedByte();
        switch (tag) {
            case 's' -> out.add(utf8[in.readUnsignedShort()]);
            case 'B', 'C', 'D', 'F', 'I', 'J', 'S', 'Z', 'c' -> in.readUnsignedShort();
            case 'e' -> in.skipBytes(4);
            case '@' -> annotation(in, utf8, out);
            case '[' -> {
                for (int n = in.readUnsignedShort(); n > 0; n--) {
                    elementValue(in, utf8, out);
                }
            }
            default -> throw new IOException("unknown annotation element tag " + (char) tag);
        }
    }
}
