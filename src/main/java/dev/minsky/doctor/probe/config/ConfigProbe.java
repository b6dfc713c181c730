package dev.minsky.doctor.probe.config;

import dev.minsky.MinskyException;
import dev.minsky.config.ConfigKey;
import dev.minsky.config.ConfigService;
import dev.minsky.doctor.probe.Probe;
import dev.minsky.doctor.probe.ProbeContext;
import dev.minsky.store.Stores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Whether every config layer parsed and holds valid values, and what kind of problem the first one is. */
public final class ConfigProbe implements Probe {
    @Override
    public String id() {
        return "config";
    }

    @Override
    public Cost cost() {
        return Cost.CHEAP;
    }

    @Override
    public Set<String> produces() {
        return Set.of("config.backend", "config.valid", "config.error", "config.errorKind", "store.path", "store.neverCreated",
                "config.userFile", "store.alternativePath", "config.passwordFiles", "config.passwordFiles.exposed",
                "config.passwordFiles.exposedPaths");
    }

    @Override
    public void run(ProbeContext ctx) {
        ConfigService config = dev.minsky.doctor.probe.RunnerContext.env(ctx).config();
        String backend = ctx.backend();
        ctx.emit("config.backend", backend);
        List<ConfigService.Problem> problems = config.problems();
        String error = null;
        String kind = null;
        if (!problems.isEmpty()) {
            ConfigService.Problem p = problems.get(0);
            error = p.message() + " (" + p.source() + ")";
            kind = kindOf(p.message());
        } else {
            dev.minsky.store.StoreProvider.ConfigProblem p = backendProblem(ctx.settings());
            if (p != null) {
                error = p.message();
                kind = p.kind();
            }
        }
        ctx.emit("config.valid", error == null);
        if (error != null) {
            ctx.emit("config.error", dev.minsky.doctor.probe.RunnerContext.env(ctx).log().scrub(error));
            ctx.emit("config.errorKind", kind);
        }
        String path = storePath(ctx);
        ctx.emit("store.path", path);
        ctx.emit("config.userFile", config.userFile().toString());
        String alt = alternativePath(backend, "is-directory".equals(kind),
                ctx.settings() != null ? ctx.settings().stateDir() : dev.minsky.doctor.probe.RunnerContext.env(ctx).ctx().paths().stateDir(), path);
        if (alt != null) {
            ctx.emit("store.alternativePath", alt);
        }
        passwordFiles(ctx, config);
        if (error == null && neverCreated(config, ctx)) {
            ctx.emit("store.neverCreated", true);
        }
    }

    /** What the configured backend's provider finds wrong with the settings, or null (also when there is no such backend). */
    private static dev.minsky.store.StoreProvider.ConfigProblem backendProblem(dev.minsky.config.Settings s) {
        if (s == null) {
            return null;
        }
        try {
            return dev.minsky.store.Stores.provider(s).configProblem(s);
        } catch (MinskyException e) {
            return null;
        }
    }

    /** Config files that hold a backend's secret (a PostgreSQL password), and those of them that group or others may read. */
    private static void passwordFiles(ProbeContext ctx, ConfigService config) {
        List<Path> withPassword = dev.minsky.store.Stores.filesWithSecrets(config.files());
        if (withPassword.isEmpty()) {
            return;
        }
        ctx.emit("config.passwordFiles", String.join(", ", withPassword.stream().map(Path::toString).toList()));
        List<String> exposed = new java.util.ArrayList<>();
        for (Path f : withPassword) {
            try {
                java.util.Set<java.nio.file.attribute.PosixFilePermission> mode = Files.getPosixFilePermissions(f);
                if (mode.contains(java.nio.file.attribute.PosixFilePermission.GROUP_READ)
                        || mode.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)) {
                    exposed.add(f.toString());
                }
            } catch (IOException | UnsupportedOperationException e) {
                // no POSIX modes here: nothing to say
            }
        }
        ctx.emit("config.passwordFiles.exposed", (long) exposed.size());
        if (!exposed.isEmpty()) {
            ctx.emit("config.passwordFiles.exposedPaths", String.join(" ", exposed));
        }
    }

    /**
     * A file store at its default place (no baseDir or dbPath configured) whose state directory
     * does not exist or holds only minsky's log: no session was ever written here, and a missing store is how a new install looks,
     * not a fault (the first {@code minsky session start} creates it). A configured path with a
     * missing directory is a fault and is left to the backend's causes. Only emitted when true.
     */
    private static boolean neverCreated(ConfigService config, ProbeContext ctx) {
        if (ctx.settings() == null || !dev.minsky.store.Stores.isFileBackend(ctx.settings().backend())) {
            return false;
        }
        for (ConfigKey k : List.of(ConfigKey.BASE_DIR, ConfigKey.DB_PATH)) {
            if (config.get(k).filter(v -> !"default".equals(v.source())).isPresent()) {
                return false;
            }
        }
        Path state = ctx.settings().stateDir();
        if (!Files.exists(state, LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        // any command writes its log there (e.g. 'config set'): only that may be in it
        try (Stream<Path> entries = Files.list(state)) {
            return entries.allMatch(p -> p.getFileName().toString().equals("logs"));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A place for the store file that is not the configured one, so that advice to move
     * {@code sessiondb.dbPath} never points back at the broken path: the configured backend's
     * ({@link dev.minsky.store.StoreProvider#alternativeStoreFile}); when the configured path is a
     * directory, whatever the backend, the first backend's that has one. Null when there is none.
     */
    static String alternativePath(String backend, boolean isDirectory, Path stateDir, String configured) {
        Path current;
        try {
            current = configured == null ? null : Path.of(configured);
        } catch (java.nio.file.InvalidPathException e) {
            current = null;
        }
        List<dev.minsky.store.StoreProvider> asked = new java.util.ArrayList<>();
        for (dev.minsky.store.StoreProvider p : dev.minsky.store.Stores.providers()) {
            if (p.id().equals(backend)) {
                asked.add(0, p);
            } else if (isDirectory) {
                asked.add(p);
            }
        }
        for (dev.minsky.store.StoreProvider p : asked) {
            try {
                Path alt = p.alternativeStoreFile(stateDir, current);
                if (alt != null) {
                    return alt.toString();
                }
            } catch (RuntimeException | LinkageError e) {
                // a plugin backend that cannot answer offers no place
            }
        }
        return null;
    }

    private static String storePath(ProbeContext ctx) {
        try {
            return Stores.provider(ctx.settings()).location(ctx.settings());
        } catch (RuntimeException e) {
            // an unknown backend or an unparsable connection string: config.error says which
            return null;
        }
    }

    /**
     * ConfigService reports problems as text for people; the kind is recognised from that text,
     * and ConfigProbeTest pins every wording so a change to ConfigService cannot go unnoticed.
     */
    static String kindOf(String message) {
        String m = message == null ? "" : message;
        if (m.contains("is a directory")) {
            return "is-directory";
        }
        if (m.contains("does not parse") || m.contains("is not a mapping")) {
            return "parse";
        }
        if (m.startsWith("cannot read config file")) {
            return "unreadable";
        }
        if (m.contains("unknown config key")) {
            return "unknown-key";
        }
        if (m.contains("for sessiondb.backend")) {
            return "unknown-backend";
        }
        return "bad-value";
    }
}
