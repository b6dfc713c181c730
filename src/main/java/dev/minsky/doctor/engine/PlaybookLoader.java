package dev.minsky.doctor.engine;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.minsky.doctor.model.PlaybookError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads playbooks: the ones built into the jar ({@code knowledge-base/}), then each extra directory
 * in order (the user's, then {@code --kb}). A playbook that does not validate is reported with its
 * file, line and field, and skipped; loading never fails as a whole.
 */
public final class PlaybookLoader {
    /** The built-in playbooks, listed because a jar cannot be listed cheaply. */
    public static final String BUILT_IN_INDEX = "knowledge-base/index.list";

    /** Made on first use: a run with no playbook of the user's to parse never loads Jackson's YAML (issue 12). */
    private static final class Yaml {
        static final ObjectMapper MAPPER = new ObjectMapper(dev.minsky.util.BoundedParsers.yaml(dev.minsky.util.SafeFiles.MIB).build())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** What a knowledge base load produced. */
    public record Loaded(List<Playbook> playbooks, List<PlaybookError> errors) {
        public List<CauseDef> causes() {
            return playbooks.stream().flatMap(p -> p.causes().stream()).collect(Collectors.toList());
        }
    }

    private PlaybookLoader() {}

    /** Where a plugin jar keeps its playbooks: every {@code *.yaml} entry under this folder. */
    public static final String PLUGIN_PLAYBOOKS = "META-INF/minsky/knowledge-base/";

    public static Loaded load(List<Path> extraDirs) {
        return load(List.of(), extraDirs);
    }

    /** A playbook that is not a file of a directory (one in a plugin's jar), with the name it is reported under. */
    public record Text(String source, String text) {}

    /** The playbooks inside plugin jars, and the jars whose playbooks could not be read. */
    public record PluginTexts(List<Text> texts, List<PlaybookError> errors) {}

    /** Between a plugin jar's path and an entry's name in a playbook's source. */
    public static final String JAR_SEPARATOR = "!/";

    /**
     * The playbooks the given plugin jars carry ({@link #PLUGIN_PLAYBOOKS}, in entry name order;
     * skipped jars, such as one built for another API version, are left out: they are reported
     * where plugins are), each under the source {@code <jar path>!/<entry>}.
     */
    public static PluginTexts pluginTexts(List<dev.minsky.plugin.Plugins.Jar> pluginJars) {
        List<Text> texts = new ArrayList<>();
        List<PlaybookError> errors = new ArrayList<>();
        for (dev.minsky.plugin.Plugins.Jar jar : pluginJars) {
            if (jar.problem() != null) {
                continue;
            }
            try (java.util.jar.JarFile jf = new java.util.jar.JarFile(jar.path().toFile())) {
                List<java.util.jar.JarEntry> entries = jf.stream()
                        .filter(e -> !e.isDirectory() && e.getName().startsWith(PLUGIN_PLAYBOOKS)
                                && (e.getName().endsWith(".yaml") || e.getName().endsWith(".yml")))
                        .sorted(java.util.Comparator.comparing(java.util.jar.JarEntry::getName)).toList();
                for (java.util.jar.JarEntry e : entries) {
                    try (InputStream in = jf.getInputStream(e)) {
                        texts.add(new Text(jar.path() + JAR_SEPARATOR + e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                    }
                }
            } catch (IOException | RuntimeException e) {
                errors.add(new PlaybookError(jar.path().toString(), 0, "", "cannot read the plugin's playbooks: " + e.getMessage()));
            }
        }
        return new PluginTexts(List.copyOf(texts), List.copyOf(errors));
    }

    /**
     * The built-in playbooks, then those inside the given plugin jars ({@link #pluginTexts}), then
     * the YAML files of {@code extraDirs}; a jar whose playbooks cannot be read is an error of the result.
     */
    public static Loaded loadWithPlugins(List<Path> extraDirs, List<dev.minsky.plugin.Plugins.Jar> pluginJars) {
        PluginTexts plugins = pluginTexts(pluginJars);
        Loaded loaded = load(plugins.texts(), extraDirs);
        if (plugins.errors().isEmpty()) {
            return loaded;
        }
        List<PlaybookError> errors = new ArrayList<>(plugins.errors());
        errors.addAll(loaded.errors());
        return new Loaded(loaded.playbooks(), List.copyOf(errors));
    }

    /** The built-in playbooks, then {@code texts} in order, then each extra directory's. */
    public static Loaded load(List<Text> texts, List<Path> extraDirs) {
        return load(true, texts, extraDirs);
    }

    /**
     * As {@link #load(List, List)}; without the built-in playbooks when {@code builtIns} is false
     * ({@code minsky kb validate knowledge-base/} checks a copy of them on its own).
     */
    public static Loaded load(boolean builtIns, List<Text> texts, List<Path> extraDirs) {
        List<Playbook> books = new ArrayList<>();
        List<PlaybookError> errors = new ArrayList<>();
        Map<String, String> owner = new HashMap<>();
        List<String> names = builtIns ? builtInNames() : List.<String>of();
        // The build parsed and checked the built-in playbooks (BuiltInKb): read that form, not the YAML.
        List<Playbook> prechecked = names.isEmpty() ? null : BuiltInKb.load(PlaybookLoader.class.getClassLoader(), names);
        if (prechecked != null) {
            for (Playbook p : prechecked) {
                accept(new Parsed(p, null), books, errors, owner);
            }
            names = List.of();
        }
        for (String name : names) {
            String src = "jar:" + name;
            try (InputStream in = PlaybookLoader.class.getClassLoader().getResourceAsStream(name)) {
                if (in == null) {
                    errors.add(new PlaybookError(src, 0, "", "listed in " + BUILT_IN_INDEX + " but missing"));
                    continue;
                }
                accept(parse(src, new String(in.readAllBytes(), StandardCharsets.UTF_8)), books, errors, owner);
            } catch (IOException e) {
                errors.add(new PlaybookError(src, 0, "", "cannot read: " + e.getMessage()));
            }
        }
        for (Text t : texts) {
            accept(parse(t.source(), t.text()), books, errors, owner);
        }
        for (Path dir : extraDirs) {
            for (Path file : yamlFiles(dir, errors)) {
                try {
                    accept(parse(file.toString(), new String(dev.minsky.util.SafeFiles.readBounded(file, dev.minsky.util.SafeFiles.MIB, "playbook"), StandardCharsets.UTF_8)), books, errors, owner);
                } catch (IOException | dev.minsky.MinskyException e) {
                    errors.add(new PlaybookError(file.toString(), 0, "", "cannot read: " + e.getMessage()));
                }
            }
        }
        return new Loaded(orderChecked(books, errors), List.copyOf(errors));
    }

    /**
     * The playbooks whose {@code after} lists name known causes and close no cycle; each one that
     * does not is reported and skipped. Dropping one can leave another naming a cause that is now
     * unknown, so this runs until nothing changes. A cycle is blamed on the playbook loaded last
     * among those on it (a user's playbook rather than a built-in one).
     */
    static List<Playbook> orderChecked(List<Playbook> loaded, List<PlaybookError> errors) {
        List<Playbook> books = new ArrayList<>(loaded);
        boolean changed = true;
        while (changed) {
            changed = false;
            Map<String, Integer> bookOf = new HashMap<>();
            Map<String, CauseDef> defs = new java.util.LinkedHashMap<>();
            for (int i = 0; i < books.size(); i++) {
                for (CauseDef c : books.get(i).causes()) {
                    bookOf.put(c.id(), i);
                    defs.put(c.id(), c);
                }
            }
            for (int i = 0; i < books.size() && !changed; i++) {
                Playbook p = books.get(i);
                for (int k = 0; k < p.causes().size(); k++) {
                    CauseDef c = p.causes().get(k);
                    List<String> unknown = c.after().stream().filter(a -> !defs.containsKey(a)).toList();
                    if (!unknown.isEmpty()) {
                        errors.add(new PlaybookError(p.source(), lineOf(p.source(), c.id()), "causes[" + k + "].after",
                                "cause " + c.id() + ": 'after' names unknown cause" + (unknown.size() == 1 ? " " : "s ")
                                        + String.join(", ", unknown)));
                        books.remove(i);
                        changed = true;
                        break;
                    }
                }
            }
            if (changed) {
                continue;
            }
            List<String> cycle = findCycle(defs);
            if (cycle != null) {
                int blamed = cycle.stream().mapToInt(bookOf::get).max().orElseThrow();
                Playbook p = books.get(blamed);
                String inIt = cycle.stream().filter(id -> bookOf.get(id) == blamed).findFirst().orElseThrow();
                int k = p.causes().indexOf(defs.get(inIt));
                errors.add(new PlaybookError(p.source(), lineOf(p.source(), inIt), "causes[" + k + "].after",
                        "the 'after' lists form a cycle: " + String.join(" after ", cycle)
                                + " (each cause must be fixable once the ones it comes after are)"));
                books.remove(blamed);
                changed = true;
            }
        }
        return List.copyOf(books);
    }

    /** A cycle of {@code after} edges as its cause ids (first repeated at the end), or null. */
    static List<String> findCycle(Map<String, CauseDef> defs) {
        Map<String, Integer> state = new HashMap<>(); // 1 on the path, 2 done
        for (String start : defs.keySet()) {
            List<String> path = new ArrayList<>();
            List<String> c = visit(start, defs, state, path);
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    private static List<String> visit(String id, Map<String, CauseDef> defs, Map<String, Integer> state, List<String> path) {
        Integer st = state.get(id);
        if (st != null && st == 2) {
            return null;
        }
        if (st != null && st == 1) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(id), path.size()));
            cycle.add(id);
            return cycle;
        }
        state.put(id, 1);
        path.add(id);
        CauseDef d = defs.get(id);
        for (String next : d == null ? List.<String>of() : d.after()) {
            List<String> c = visit(next, defs, state, path);
            if (c != null) {
                return c;
            }
        }
        path.remove(path.size() - 1);
        state.put(id, 2);
        return null;
    }

    /** Parses one playbook; the result holds either the playbook or its error. */
    public static Parsed parse(String source, String text) {
        try {
            Playbook p = Yaml.MAPPER.readValue(text, Playbook.class);
            if (p == null) {
                return new Parsed(null, new PlaybookError(source, 1, "", "the file is empty"));
            }
            return new Parsed(p.withSource(source), null);
        } catch (JsonProcessingException e) {
            PlaybookError err = describe(source, e);
            if (e instanceof UnrecognizedPropertyException u) {
                // Creator-based records buffer their properties, so Jackson reports the end of the
                // object; the line of the key itself is what a person wants.
                int line = keyLine(text, u.getPropertyName());
                if (line > 0) {
                    err = new PlaybookError(err.file(), line, err.field(), err.message());
                }
            }
            return new Parsed(null, PlaybookPositions.of(text).refine(err));
        }
    }

    /** One parse outcome. */
    public record Parsed(Playbook playbook, PlaybookError error) {}

    private static void accept(Parsed parsed, List<Playbook> books, List<PlaybookError> errors, Map<String, String> owner) {
        if (parsed.error() != null) {
            errors.add(parsed.error());
            return;
        }
        Playbook p = parsed.playbook();
        // Cause ids are stable and unique: a playbook that reuses one is skipped whole rather
        // than silently replacing a cause someone relies on.
        for (CauseDef c : p.causes()) {
            String prev = owner.get(c.id());
            if (prev != null) {
                errors.add(new PlaybookError(p.source(), lineOf(p.source(), c.id()), "causes[" + p.causes().indexOf(c) + "].id",
                        "cause " + c.id() + " is already defined in " + prev));
                return;
            }
        }
        p.causes().forEach(c -> owner.put(c.id(), p.source()));
        books.add(p);
    }

    private static int lineOf(String source, String needle) {
        if (source.startsWith("jar:")) {
            return 0;
        }
        try {
            List<String> lines = Files.readAllLines(Path.of(source));
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains(needle)) {
                    return i + 1;
                }
            }
        } catch (IOException | RuntimeException e) {
            // only used to point at the line; the error is reported either way
        }
        return 0;
    }

    private static int keyLine(String text, String key) {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile("^[\\s-]*\\{?\\s*" + java.util.regex.Pattern.quote(key) + "\\s*:");
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            if (p.matcher(lines[i]).find() || lines[i].matches(".*[{,]\\s*" + java.util.regex.Pattern.quote(key) + "\\s*:.*")) {
                return i + 1;
            }
        }
        return 0;
    }

    static PlaybookError describe(String source, JsonProcessingException e) {
        JsonLocation loc = e.getLocation();
        int line = loc == null ? 0 : Math.max(0, loc.getLineNr());
        String field = "";
        if (e instanceof JsonMappingException m) {
            StringBuilder sb = new StringBuilder();
            for (JsonMappingException.Reference r : m.getPath()) {
                if (r.getFieldName() != null) {
                    if (sb.length() > 0) {
                        sb.append('.');
                    }
                    sb.append(r.getFieldName());
                } else if (r.getIndex() >= 0) {
                    sb.append('[').append(r.getIndex()).append(']');
                }
            }
            field = sb.toString();
        }
        String message;
        if (e instanceof UnrecognizedPropertyException u) {
            message = "unknown field '" + u.getPropertyName() + "'" + (u.getKnownPropertyIds() == null ? ""
                    : " (known: " + u.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ")");
        } else {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            if (root instanceof IllegalArgumentException && root.getMessage() != null) {
                message = root.getMessage();
            } else {
                message = e.getOriginalMessage();
                int nl = message.indexOf('\n');
                if (nl > 0) {
                    message = message.substring(0, nl);
                }
            }
        }
        return new PlaybookError(source, line, field, message);
    }

    static List<String> builtInNames() {
        try (InputStream in = PlaybookLoader.class.getClassLoader().getResourceAsStream(BUILT_IN_INDEX)) {
            if (in == null) {
                return List.of();
            }
            return indexNames(new String(in.readAllBytes(), StandardCharsets.UTF_8)).stream().map(n -> "knowledge-base/" + n).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The file names an {@code index.list} lists, in order (blank lines and {@code #} comments left out). */
    static List<String> indexNames(String index) {
        List<String> names = new ArrayList<>();
        for (String l : index.split("\n")) {
            l = l.strip();
            if (!l.isEmpty() && !l.startsWith("#")) {
                names.add(l);
            }
        }
        return names;
    }

    private static List<Path> yamlFiles(Path dir, List<PlaybookError> errors) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.{yaml,yml}")) {
            ds.forEach(files::add);
        } catch (IOException e) {
            errors.add(new PlaybookError(dir.toString(), 0, "", "cannot list: " + e.getMessage()));
        }
        files.sort(null);
        return files;
    }
}
