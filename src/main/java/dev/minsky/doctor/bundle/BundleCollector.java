package dev.minsky.doctor.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minsky.AppContext;
import dev.minsky.config.ConfigKey;
import dev.minsky.config.ConfigService;
import dev.minsky.store.StoreSecrets;
import dev.minsky.config.Settings;
import dev.minsky.doctor.DoctorEnv;
import dev.minsky.doctor.model.DoctorReport;
import dev.minsky.log.MinskyLog;
import dev.minsky.model.SessionRecord;
import dev.minsky.util.BuildVersion;
import dev.minsky.util.Secrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collecting, for {@code doctor --bundle}: what a maintainer needs (version, platform, command
 * line, configuration, environment, log tail) as raw JSON trees, and every secret minsky knows in
 * this run (from the config, the environment, the backends' own files, the session records).
 * Nothing here is sanitized yet: {@link BundleModel} passes all of it through the {@link Sanitizer}.
 */
final class BundleCollector {
    private static final int LOG_LINES = 200;

    private BundleCollector() {}

    /** Everything minsky knows to be secret in this run. */
    static KnownSecrets collectSecrets(DoctorEnv env, List<SessionRecord> sessions) {
        AppContext ctx = env.ctx();
        KnownSecrets k = new KnownSecrets();
        ConfigService config = env.config();
        config.get(ConfigKey.CONNECTION_STRING).ifPresent(v -> k.addFromText("sessiondb.connectionString", v.value()));
        if (env.settings() != null) {
            k.addFromText("sessiondb.connectionString", env.settings().connectionString());
        }
        // the variables whose whole value is a backend's secret (StoreSecrets.secretEnvironment(): PGPASSWORD)
        java.util.Set<String> wholeSecrets = new java.util.HashSet<>();
        for (StoreSecrets sec : backendSecrets()) {
            wholeSecrets.addAll(sec.secretEnvironment());
        }
        for (Map.Entry<String, String> e : new TreeMap<>(ctx.env()).entrySet()) {
            String name = e.getKey();
            String value = e.getValue();
            if (value == null || value.isEmpty()) {
                continue;
            }
            if (wholeSecrets.contains(name)) {
                k.add("environment " + name, value);
            } else if (ConfigKey.CONNECTION_STRING.envVars().contains(name)) {
                k.addFromText("environment " + name, value);
            } else if (Sanitizer.sensitiveName(name)) {
                k.add("environment " + name, value, KnownSecrets.MIN_LENGTH_BY_NAME);
            } else if (value.contains("://") || value.toLowerCase(java.util.Locale.ROOT).contains("password")) {
                k.addFromText("environment " + name, value);
            }
        }
        // every config layer, not just the winning value: a password in a shadowed layer is still a password
        List<Path> files = new ArrayList<>();
        files.add(config.userFile());
        for (Path d = ctx.cwd().toAbsolutePath(); d != null; d = d.getParent()) {
            files.add(d.resolve(".minsky/config.yaml"));
        }
        for (Path f : files) {
            if (Files.isRegularFile(f) && Files.isReadable(f)) {
                try {
                    String text = Files.readString(f, StandardCharsets.UTF_8);
                    k.addFromText("config file", text);
                    try {
                        ConfigService.readFlat(f).forEach((key, value) -> {
                            if (Sanitizer.sensitiveName(key)) {
                                k.add("config file key " + key, value);
                            } else if (value != null) {
                                // the parsed value, not the file's text: a key=value connection string in a
                                // double-quoted YAML string has its backslashes doubled in the text
                                k.addFromText("config file key " + key, value);
                            }
                        });
                    } catch (RuntimeException e) {
                        // an unparsable file was still scanned as text above
                    }
                } catch (IOException | RuntimeException e) {
                    // unreadable: it cannot reach the bundle either
                }
            }
        }
        backendFiles(ctx, k);
        for (SessionRecord r : sessions) {
            k.addFromText("session repo URL", r.repoUrl());
            JsonNode pr = r.field("pullRequest");
            if (pr != null) {
                k.addFromText("session pull request", pr.toString());
            }
        }
        return k;
    }

    /**
     * The secrets in the backends' own files (PostgreSQL: the passwords of {@code ~/.pgpass} or
     * {@code PGPASSFILE}), as each backend's {@link StoreSecrets#knownSecrets} reads them.
     */
    private static void backendFiles(AppContext ctx, KnownSecrets k) {
        for (StoreSecrets sec : backendSecrets()) {
            try {
                for (StoreSecrets.Known known : sec.knownSecrets(ctx::env, ctx.paths().home())) {
                    k.add(known.where(), known.value());
                }
            } catch (RuntimeException | LinkageError e) {
                // a backend that cannot read its files: nothing to learn from them
            }
        }
    }

    /** Every loaded backend's secrets (those that have any). */
    private static List<StoreSecrets> backendSecrets() {
        List<StoreSecrets> out = new ArrayList<>();
        for (dev.minsky.store.StoreProvider p : dev.minsky.store.Stores.providers()) {
            try {
                StoreSecrets sec = p.secrets();
                if (sec != null) {
                    out.add(sec);
                }
            } catch (RuntimeException | LinkageError e) {
                // a plugin backend that cannot answer names no secret
            }
        }
        return out;
    }

    static ObjectNode meta(DoctorEnv env, DoctorReport report, Settings settings, Bundler.Options options, Instant now) {
        AppContext ctx = env.ctx();
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("minskyVersion", BuildVersion.version());
        m.put("generatedAt", now.toString());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " (" + System.getProperty("os.arch") + ")");
        m.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        m.put("host", String.valueOf(Pseudonyms.primaryHost(ctx)));
        String user = ctx.env("USER") != null ? ctx.env("USER") : System.getProperty("user.name");
        m.put("user", user);
        m.put("backend", report.backend() != null ? report.backend() : settings.backend());
        m.put("store", report.store() != null ? Secrets.mask(report.store()) : null);
        m.put("healthy", report.healthy());
        m.put("findingCount", report.findings() == null ? 0 : report.findings().size());
        List<String> args = new ArrayList<>(options.args().isEmpty() ? ownArguments() : options.args());
        m.put("command", args.isEmpty() ? "minsky doctor --bundle" : "minsky " + String.join(" ", args));
        m.put("processCommandLine", ProcessHandle.current().info().commandLine().map(Secrets::mask).orElse(null));
        m.put("includeData", options.includeData());
        m.put("workingDirectory", ctx.cwd().toString());
        return m;
    }

    /**
     * The arguments minsky was started with, when this process is minsky itself ({@code java -jar
     * minsky.jar ...} or {@code java ... dev.minsky.Main ...}); empty otherwise (tests run it in-process).
     */
    static List<String> ownArguments() {
        List<String> all = ProcessHandle.current().info().arguments().map(List::of).orElse(List.of());
        for (int i = 0; i < all.size(); i++) {
            String a = all.get(i);
            if (a.equals("dev.minsky.Main") || (a.endsWith("minsky.jar") && i > 0 && all.get(i - 1).equals("-jar"))) {
                return all.subList(i + 1, all.size());
            }
        }
        return List.of();
    }

    static ObjectNode config(ConfigService config) {
        ObjectNode c = JsonNodeFactory.instance.objectNode();
        ArrayNode entries = c.putArray("entries");
        for (ConfigKey k : ConfigKey.values()) {
            config.get(k).ifPresent(v -> {
                ObjectNode e = entries.addObject();
                e.put("name", k.key());
                // a secret-bearing value is masked here already; the sanitizer then removes whatever is left
                e.put("value", k.secret() ? Secrets.mask(v.value()) : v.value());
                e.put("source", v.source());
            });
        }
        ArrayNode problems = c.putArray("problems");
        config.problems().forEach(p -> {
            ObjectNode e = problems.addObject();
            e.put("source", p.source());
            e.put("message", Secrets.mask(p.message()));
            e.put("hint", p.hint());
        });
        c.put("userFile", config.userFile().toString());
        c.put("userFileExists", Files.isRegularFile(config.userFile()));
        return c;
    }

    static ArrayNode environment(AppContext ctx) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (Map.Entry<String, String> e : new TreeMap<>(ctx.env()).entrySet()) {
            String n = e.getKey();
            if (n.startsWith("MINSKY_") || n.startsWith("PG") || n.startsWith("XDG_")
                    || List.of("HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "TZ", "JAVA_HOME").contains(n)) {
                ObjectNode o = a.addObject();
                o.put("name", n);
                o.put("value", e.getValue());
            }
        }
        return a;
    }

    static ObjectNode logs(MinskyLog log, Sanitizer san, Sanitizer.Counter count) {
        ObjectNode l = JsonNodeFactory.instance.objectNode();
        l.put("file", log.file().toString());
        ArrayNode lines = l.putArray("lines");
        try {
            // as one text, not line by line: a PEM block or a JSON document spans lines
            String block = String.join("\n", log.tail(null, LOG_LINES));
            if (!block.isEmpty()) {
                for (String line : san.text(block, count).split("\n", -1)) {
                    lines.add(line);
                }
            }
        } catch (IOException | RuntimeException e) {
            l.put("error", "cannot read the log: " + e.getMessage());
        }
        l.put("limit", LOG_LINES);
        return l;
    }

}
