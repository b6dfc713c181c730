package dev.minsky.doctor.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minsky.AppContext;
import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code doctor --bundle}: a bug-report archive that never carries a secret. It gathers what a
 * maintainer needs (version, platform, findings, probe timings, facts, configuration, log tail,
 * free space, store statistics), passes every value through the {@link Sanitizer}, renders the
 * Markdown and HTML reports from FreeMarker templates, writes a manifest, and then scans every
 * entry and entry name once more for every known secret and every secret pattern. A hit there
 * means some path slipped past the sanitizer: the bundle is refused (exit 4) and nothing is
 * written.
 */
public final class Bundler {
    /**
     * @param file the archive to write, or null for minsky-bundle-&lt;UTC time&gt;.zip in the working directory
     * @param preview print the manifest and report instead of writing
     * @param includeData include the (sanitized) session records
     * @param args the command line as the user typed it (scrubbed before it goes in); may be empty
     */
    public record Options(Path file, boolean preview, boolean includeData, List<String> args) {
        public Options {
            args = args == null ? List.of() : List.copyOf(args);
        }

        public Options(Path file, boolean preview, boolean includeData) {
            this(file, preview, includeData, List.of());
        }
    }

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int LOG_LINES = 200;

    private Bundler() {}

    /**
     * Writes the bundle and returns its path (null with preview, which prints the manifest and the
     * Markdown report to standard output instead). The caller prints the returned path.
     */
    public static Path write(DoctorEnv env, DoctorReport report, Options options) {
        return write(env, report, options, List.of());
    }

    /**
     * As {@link #write(DoctorEnv, DoctorReport, Options)}, with entries added after sanitizing and
     * before the final scan: a path the sanitizer does not cover, for the test that the final scan
     * fails closed.
     */
    static Path write(DoctorEnv env, DoctorReport report, Options options, List<Archive.Entry> unsanitized) {
        AppContext ctx = env.ctx();
        Instant now = ctx.clock().instant();
        Path target = null;
        if (!options.preview()) {
            target = options.file() != null ? ctx.cwd().resolve(options.file()).toAbsolutePath().normalize()
                    : ctx.cwd().resolve("minsky-bundle-" + dev.minsky.model.Timestamps.fileStamp(now) + ".zip");
            Archive.ensureWritableTarget(target);
        }
        Archive.Format format = target == null ? Archive.Format.ZIP : Archive.Format.forFile(target);
        MinskyLog log = env.log() != null ? env.log() : MinskyLog.forContext(ctx);
        Settings settings = env.settings() != null ? env.settings() : env.config().settingsLenient();

        StoreLook look = StoreLook.take(settings, report);
        List<SessionRecord> allRecords = new ArrayList<>(look.sessions());
        allRecords.addAll(StoreLook.otherStores(settings));
        KnownSecrets known = collectSecrets(env, allRecords);
        Sanitizer san = new Sanitizer(known, Pseudonyms.forContext(ctx));

        Sanitizer.Counter reportCount = new Sanitizer.Counter();
        Sanitizer.Counter findingsCount = new Sanitizer.Counter();
        Sanitizer.Counter factsCount = new Sanitizer.Counter();
        Sanitizer.Counter sessionsCount = new Sanitizer.Counter();

        ObjectNode reportTree = JSON.valueToTree(report);
        JsonNode rawFacts = reportTree.remove("facts");
        JsonNode findingsJson = san.tree(reportTree, findingsCount);
        JsonNode factsJson = san.tree(rawFacts == null ? JsonNodeFactory.instance.arrayNode() : rawFacts, factsCount);
        reportCount.add(findingsCount);
        reportCount.add(factsCount);

        ObjectNode model = JsonNodeFactory.instance.objectNode();
        model.set("meta", san.tree(meta(env, report, settings, options, now), reportCount));
        model.set("report", findingsJson);
        model.set("facts", factsJson);
        model.set("config", san.tree(config(env.config()), reportCount));
        model.set("environment", san.tree(environment(ctx), reportCount));
        model.set("store", san.tree(JSON.valueToTree(look.stats()), reportCount));
        model.set("disk", san.tree(JSON.valueToTree(look.disk()), reportCount));
        model.set("logs", san.tree(logs(log, san, reportCount), reportCount));
        model.set("contents", contents(options.includeData()));

        JsonNode sessionsJson = null;
        if (options.includeData()) {
            ArrayNode raw = JsonNodeFactory.instance.arrayNode();
            look.sessions().forEach(r -> raw.add(r.toJson()));
            sessionsJson = san.tree(raw, sessionsCount);
        }

        Reports reports = new Reports(ctx.paths().userTemplates());
        Map<String, Object> data = JSON.convertValue(model, Map.class);

        List<Item> items = new ArrayList<>();
        items.add(item(san, "report.md", reports.render("bundle/report.md.ftl", data), reportCount,
                "the report in Markdown: paste it into an issue"));
        items.add(item(san, "report.html", reports.render("bundle/report.html.ftl", data), reportCount,
                "the same report as a page to open in a browser (no external resources)"));
        items.add(item(san, "findings.json", json(findingsJson), findingsCount,
                "the doctor's result as 'doctor --json' prints it, without the facts"));
        items.add(item(san, "facts.json", json(factsJson), factsCount,
                "every fact the probes observed, which the findings were reasoned from"));
        if (sessionsJson != null) {
            items.add(item(san, "sessions.json", json(sessionsJson), sessionsCount,
                    "the session records, sanitized (asked for with --include-data)"));
        }

        List<Archive.Entry> entries = new ArrayList<>();
        for (Item it : items) {
            entries.add(new Archive.Entry(it.name, it.data));
        }
        byte[] manifest = manifest(san, items, known, now, target == null ? "preview" : format.id(), options.includeData());
        entries.add(new Archive.Entry("manifest.json", manifest));
        entries.addAll(unsanitized);

        finalScan(entries, san);

        if (options.preview()) {
            ctx.out().println(new String(manifest, StandardCharsets.UTF_8));
            ctx.out().println();
            ctx.out().println(new String(items.get(0).data, StandardCharsets.UTF_8));
            ctx.out().flush();
            return null;
        }
        byte[] archive;
        try {
            archive = Archive.build(format, entries, now);
        } catch (IOException e) {
            throw new MinskyException(ExitCode.INTERNAL, "cannot build the bundle archive: " + e.getMessage(), null, e);
        }
        Archive.writeAtomically(target, archive);
        log.info("bundle", "wrote " + format.id() + " bundle " + target + " (" + entries.size() + " files, "
                + archive.length + " bytes)");
        return target;
    }

    private record Item(String name, byte[] data, String why, int redacted, int pseudonymized) {}

    /** The rendered or serialized text gets one more sanitizer pass (a user template may print anything). */
    private static Item item(Sanitizer san, String name, String text, Sanitizer.Counter base, String why) {
        Sanitizer.Counter c = new Sanitizer.Counter();
        c.add(base);
        String clean = san.text(text, c);
        return new Item(name, clean.getBytes(StandardCharsets.UTF_8), why, c.redacted(), c.pseudonymized());
    }

    private static String json(JsonNode node) {
        try {
            return JSON.writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

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

    private static ObjectNode meta(DoctorEnv env, DoctorReport report, Settings settings, Options options, Instant now) {
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

    private static ObjectNode config(ConfigService config) {
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

    private static ArrayNode environment(AppContext ctx) {
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

    private static ObjectNode logs(MinskyLog log, Sanitizer san, Sanitizer.Counter count) {
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

    private static ArrayNode contents(boolean includeData) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (String[] e : new String[][] {{"report.md", "this report in Markdown"}, {"report.html", "this report as a web page"},
                {"findings.json", "the doctor's findings and probe runs"}, {"facts.json", "the observed facts"},
                {"manifest.json", "every file, why it is here, how many values were redacted"}}) {
            a.addObject().put("name", e[0]).put("why", e[1]);
        }
        if (includeData) {
            a.addObject().put("name", "sessions.json").put("why", "the session records, sanitized");
        }
        return a;
    }

    private static byte[] manifest(Sanitizer san, List<Item> items, KnownSecrets known, Instant now, String format,
                                   boolean includeData) {
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("bundleFormat", 1);
        m.put("minskyVersion", BuildVersion.version());
        m.put("createdAt", now.toString());
        m.put("archive", format);
        ArrayNode files = m.putArray("files");
        for (Item it : items) {
            ObjectNode f = files.addObject();
            f.put("name", it.name);
            f.put("bytes", it.data.length);
            f.put("sha256", sha256(it.data));
            f.put("why", it.why);
            f.put("redacted", it.redacted);
            f.put("pseudonymized", it.pseudonymized);
        }
        files.addObject().put("name", "manifest.json").put("why", "this list");
        ObjectNode s = m.putObject("sanitizer");
        ArrayNode layers = s.putArray("layers");
        layers.add("by key name: values of anything named like a password, secret, token, key, credential or auth");
        layers.add("by exact value: every secret known at run time, plain, URL-encoded, JSON-escaped, HTML-escaped and base64");
        layers.add("by pattern: URL user-info, password pairs, Authorization and bearer headers, GitHub, AWS, Slack and JWT tokens, PEM blocks");
        layers.add("pseudonyms: user, home directory and host names replaced by keyed pseudonyms; the key and the mapping stay on the reporter's machine");
        layers.add("final scan: every entry and entry name checked again for every known secret and pattern before anything was written");
        ArrayNode sources = s.putArray("knownSecretSources");
        known.secrets().stream().map(KnownSecrets.Secret::label).distinct().forEach(sources::add);
        s.put("knownSecrets", known.secrets().size());
        s.put("pseudonymKeyStable", san.pseudonyms().keyStable());
        m.put("includesSessionRecords", includeData);
        Sanitizer.Counter c = new Sanitizer.Counter();
        return (san.text(json(m), c)).getBytes(StandardCharsets.UTF_8);
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Refuses the bundle when any entry or entry name still holds a secret or a real name. */
    static void finalScan(List<Archive.Entry> entries, Sanitizer san) {
        for (Archive.Entry e : entries) {
            String content = new String(e.data(), StandardCharsets.UTF_8);
            for (String[] part : new String[][] {{"the name of an entry", e.name()}, {"entry " + safeName(e.name(), san), content}}) {
                List<SecretScanner.Hit> hits = new ArrayList<>();
                hits.addAll(SecretScanner.scanKnown(part[1], san.known()));
                hits.addAll(SecretScanner.scanPatterns(part[1]));
                hits.addAll(san.pseudonyms().scan(part[1]));
                if (!hits.isEmpty()) {
                    SecretScanner.Hit h = hits.get(0);
                    long line = part[1].substring(0, h.start()).chars().filter(ch -> ch == '\n').count() + 1;
                    throw new MinskyException(ExitCode.INTERNAL,
                            "the bundle was not written: the final scan found " + SecretScanner.describe(h.kind())
                                    + " in " + part[0] + " (line " + line + "), which the sanitizer should have removed",
                            "nothing was written; this is a bug in minsky's sanitizer: report it (without the bundle), "
                                    + "and describe the problem by hand meanwhile");
                }
            }
        }
    }

    private static String safeName(String name, Sanitizer san) {
        return san.text(name, new Sanitizer.Counter());
    }

    /** For tests and docs: the generated default file name at a given time. */
    static String defaultFileName(Instant now) {
        return "minsky-bundle-" + dev.minsky.model.Timestamps.fileStamp(now) + ".zip";
    }
}
