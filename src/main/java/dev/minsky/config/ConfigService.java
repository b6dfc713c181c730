package dev.minsky.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.minsky.AppContext;
import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.MinskyPaths;
import dev.minsky.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Layered configuration: defaults &lt; project (.minsky/config.yaml) &lt; user (config.yaml) &lt;
 * environment &lt; command-line flags. Problems in a layer are collected, not thrown, so that the
 * doctor can still run and report them; {@link #settings()} throws when they make the store
 * unusable.
 */
public final class ConfigService {
    /** Issue 13: a config file is a small thing; anything else is refused before it is read or expanded. */
    static final int MAX_FILE_BYTES = dev.minsky.util.SafeFiles.MIB;

    /** Made on first use: a run that only reads a plain config file never loads Jackson's YAML (issue 12). */
    private static final class Yaml {
        static final ObjectMapper MAPPER = new ObjectMapper(dev.minsky.util.BoundedParsers.yaml(MAX_FILE_BYTES)
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build());
    }

    /** A value and the layer it came from. */
    public record Value(String value, String source) {}

    /** A problem found while reading configuration. */
    public record Problem(String source, String message, String hint) {}

    private final AppContext ctx;
    private final MinskyPaths paths;
    private final Map<ConfigKey, Value> effective = new LinkedHashMap<>();
    private final List<Problem> problems = new ArrayList<>();
    private final Path projectFile;

    private ConfigService(AppContext ctx, Map<ConfigKey, String> flags) {
        this.ctx = ctx;
        this.paths = ctx.paths();
        dev.minsky.plugin.Plugins.use(paths);
        for (ConfigKey k : ConfigKey.values()) {
            if (k.defaultValue() != null) {
                effective.put(k, new Value(k.defaultValue(), "default"));
            }
        }
        this.projectFile = findProjectFile(ctx.cwd());
        if (projectFile != null) {
            layer(projectFile, "project " + projectFile);
        }
        layer(paths.userConfigFile(), "user " + paths.userConfigFile());
        for (ConfigKey k : ConfigKey.values()) {
            for (String var : k.envVars()) {
                String v = ctx.env(var);
                if (v != null) {
                    put(k, v, "environment " + var);
                    break;
                }
            }
        }
        flags.forEach((k, v) -> {
            if (v != null) {
                put(k, v, "command line");
            }
        });
    }

    public static ConfigService load(AppContext ctx) {
        return new ConfigService(ctx, Map.of());
    }

    public static ConfigService load(AppContext ctx, Map<ConfigKey, String> flags) {
        return new ConfigService(ctx, flags);
    }

    private static Path findProjectFile(Path cwd) {
        for (Path d = cwd.toAbsolutePath(); d != null; d = d.getParent()) {
            Path f = d.resolve(".minsky/config.yaml");
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        return null;
    }

    private void put(ConfigKey k, String raw, String source) {
        try {
            effective.put(k, new Value(k.validate(raw), source));
        } catch (MinskyException e) {
            problems.add(new Problem(source, e.getMessage(), e.hint()));
        }
    }

    private void layer(Path file, String source) {
        if (Files.isDirectory(file)) {
            problems.add(new Problem(source, file + " is a directory, not a config file",
                    "move it aside; minsky expects a YAML file there"));
            return;
        }
        if (!Files.exists(file)) {
            return;
        }
        Map<String, String> flat;
        try {
            flat = readFlat(file);
        } catch (MinskyException e) {
            problems.add(new Problem(source, e.getMessage(), e.hint()));
            return;
        }
        flat.forEach((key, value) -> {
            ConfigKey k;
            try {
                k = ConfigKey.of(key);
            } catch (MinskyException e) {
                problems.add(new Problem(source, e.getMessage() + " in " + file, e.hint()));
                return;
            }
            put(k, value, source);
        });
    }

    /** Reads a YAML config file into dotted keys. Throws BAD_INPUT naming the line on a parse error. */
    public static Map<String, String> readFlat(Path file) {
        Map<String, String> plain = readPlain(file);
        if (plain != null) {
            return plain;
        }
        JsonNode root = readTree(file);
        Map<String, String> out = new LinkedHashMap<>();
        if (root != null && !root.isMissingNode() && !root.isNull()) {
            if (!root.isObject()) {
                throw MinskyException.badInput("config file " + file + " is not a mapping of keys to values",
                        "write it as 'sessiondb:' followed by indented 'backend: " + ConfigKey.BACKEND.defaultValue() + "' lines");
            }
            flatten("", root, out);
        }
        return out;
    }

    /** The file read as {@link PlainConfigYaml}, or null: not that form, or not readable (the YAML path then says why). */
    private static Map<String, String> readPlain(Path file) {
        try {
            byte[] b = dev.minsky.util.SafeFiles.readBounded(file, MAX_FILE_BYTES, "config file");
            java.nio.charset.CharsetDecoder dec = java.nio.charset.StandardCharsets.UTF_8.newDecoder();
            return PlainConfigYaml.flat(dec.decode(java.nio.ByteBuffer.wrap(b)).toString());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static JsonNode readTree(Path file) {
        try {
            return Yaml.MAPPER.readTree(dev.minsky.util.SafeFiles.readBounded(file, MAX_FILE_BYTES, "config file"));
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw MinskyException.badInput("config file " + file + " does not parse" + where + ": " + e.getOriginalMessage(),
                    "fix the YAML syntax, or move the file aside and set keys again with 'minsky config set'");
        } catch (IOException e) {
            throw new MinskyException(ExitCode.BAD_INPUT, "cannot read config file " + file + ": " + e.getMessage(),
                    "check the file's permissions");
        }
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue().isObject()) {
                flatten(key, e.getValue(), out);
            } else if (!e.getValue().isNull()) {
                out.put(key, e.getValue().asText());
            }
        }
    }

    public List<Problem> problems() {
        return List.copyOf(problems);
    }

    public Optional<Value> get(ConfigKey key) {
        return Optional.ofNullable(effective.get(key));
    }

    public Map<ConfigKey, Value> effective() {
        return Map.copyOf(effective);
    }

    public Path userFile() {
        return paths.userConfigFile();
    }

    /** The config files that are layers of this configuration: the project's (if any), then the user's. */
    public List<Path> files() {
        List<Path> out = new java.util.ArrayList<>();
        if (projectFile != null) {
            out.add(projectFile);
        }
        out.add(paths.userConfigFile());
        return out;
    }

    /** The value of a key in the user config file alone (null when it is not set there). */
    public String userFileValue(ConfigKey key) {
        Path f = paths.userConfigFile();
        return Files.isRegularFile(f) ? readFlat(f).get(key.key()) : null;
    }

    /** The effective store settings; throws BAD_INPUT when the config is unusable. */
    public Settings settings() {
        if (!problems.isEmpty()) {
            Problem p = problems.get(0);
            throw MinskyException.badInput("invalid configuration (" + p.source() + "): " + p.message(), p.hint());
        }
        return settingsLenient();
    }

    /** Settings built from whatever is valid, for the doctor: never throws. */
    public Settings settingsLenient() {
        String backend = get(ConfigKey.BACKEND).map(Value::value).orElseGet(ConfigKey.BACKEND::defaultValue);
        Path state = paths.stateDir();
        Path base = get(ConfigKey.BASE_DIR).map(v -> paths.expand(v.value()).toAbsolutePath()).orElse(state);
        Path sqlite = get(ConfigKey.DB_PATH).map(v -> paths.expand(v.value()).toAbsolutePath())
                .orElse(base.resolve(Settings.SQLITE_FILE));
        // libpq's PGSSLMODE, PGPASSWORD, ~/.pgpass ... fill in what the string leaves out
        String conn = ConnectionEnvironment.applyAll(get(ConfigKey.CONNECTION_STRING).map(Value::value).orElse(null),
                ctx::env, paths.home());
        int maxConn = get(ConfigKey.MAX_CONNECTIONS).map(v -> Integer.parseInt(v.value())).orElse(10);
        int idle = get(ConfigKey.IDLE_TIMEOUT).map(v -> Integer.parseInt(v.value())).orElse(30000);
        int wait = get(ConfigKey.CONNECTION_WAIT).map(v -> parseOr(v.value(), Settings.DEFAULT_CONNECTION_WAIT_MILLIS))
                .orElse(Settings.DEFAULT_CONNECTION_WAIT_MILLIS);
        return new Settings(backend, state, base, base.resolve(Settings.JSON_FILE), sqlite, conn, maxConn, idle,
                busyTimeout(ctx.env("MINSKY_SQLITE_BUSY_TIMEOUT_MS")), wait);
    }

    private static int parseOr(String v, int fallback) {
        try {
            int n = Integer.parseInt(v.trim());
            return n >= 0 ? n : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** Not a config key: an operational knob (tests shorten it); a bad value falls back to the default. */
    private static int busyTimeout(String v) {
        if (v != null) {
            try {
                int n = Integer.parseInt(v.trim());
                if (n >= 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // fall through to the default
            }
        }
        return Settings.DEFAULT_SQLITE_BUSY_TIMEOUT_MILLIS;
    }

    /** Sets a key in the user config file, atomically; a file that does not parse is left alone. */
    public void set(ConfigKey key, String value) {
        String v = key.validate(value);
        edit(root -> putPath(root, key.key(), v));
    }

    /** Removes a key from the user config file; returns false when it was not set there. */
    public boolean unset(ConfigKey key) {
        boolean[] removed = {false};
        edit(root -> removed[0] = removePath(root, key.key()));
        return removed[0];
    }

    private void edit(java.util.function.Consumer<ObjectNode> change) {
        Path file = paths.userConfigFile();
        ObjectNode root;
        if (Files.exists(file)) {
            JsonNode existing = readTree(file);
            if (existing == null || existing.isMissingNode() || existing.isNull()) {
                root = Yaml.MAPPER.createObjectNode();
            } else if (existing.isObject()) {
                root = (ObjectNode) existing;
            } else {
                throw MinskyException.badInput("config file " + file + " is not a mapping; not changing it",
                        "fix or move the file aside, then run the command again");
            }
        } else {
            root = Yaml.MAPPER.createObjectNode();
        }
        change.accept(root);
        try {
            AtomicFiles.write(file, Yaml.MAPPER.writeValueAsBytes(root), "rw-------");
        } catch (IOException e) {
            throw new MinskyException(ExitCode.INCOMPLETE, "cannot write config file " + file + ": " + e.getMessage(),
                    "check that " + file.getParent() + " is writable");
        }
    }

    private static void putPath(ObjectNode root, String dotted, String value) {
        String[] parts = dotted.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            if (child == null || !child.isObject()) {
                child = node.putObject(parts[i]);
            }
            node = (ObjectNode) child;
        }
        node.put(parts[parts.length - 1], value);
    }

    private static boolean removePath(ObjectNode root, String dotted) {
        String[] parts = dotted.split("\\.");
        JsonNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            node = node.get(parts[i]);
            if (node == null || !node.isObject()) {
                return false;
            }
        }
        return ((ObjectNode) node).remove(parts[parts.length - 1]) != null;
    }

    public AppContext context() {
        return ctx;
    }
}
