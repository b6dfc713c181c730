package dev.minsky;

import java.nio.file.Path;
import java.util.Map;

/** Where minsky keeps its state and config, following the XDG base directory spec. */
public record MinskyPaths(Path home, Path stateDir, Path configDir) {

    // Written out: a record's generated equals/hashCode bootstrap through ObjectMethods, which spins
    // method-handle classes on first use (about 10 ms of every start, issue 12); every run compares
    // its paths with the plugin cache's (Stores, Plugins).
    @Override
    public boolean equals(Object o) {
        return o instanceof MinskyPaths p && home.equals(p.home) && stateDir.equals(p.stateDir) && configDir.equals(p.configDir);
    }

    @Override
    public int hashCode() {
        return (home.hashCode() * 31 + stateDir.hashCode()) * 31 + configDir.hashCode();
    }

    public static MinskyPaths from(Map<String, String> env) {
        String homeVar = env.get("HOME");
        Path home = Path.of(homeVar == null || homeVar.isEmpty() ? System.getProperty("user.home") : homeVar);
        Path state = xdg(env, "XDG_STATE_HOME", home.resolve(".local/state")).resolve("minsky");
        Path config = xdg(env, "XDG_CONFIG_HOME", home.resolve(".config")).resolve("minsky");
        return new MinskyPaths(home, state, config);
    }

    private static Path xdg(Map<String, String> env, String name, Path fallback) {
        String v = env.get(name);
        // The XDG spec says relative values are invalid and must be ignored.
        if (v == null || v.isEmpty() || !Path.of(v).isAbsolute()) {
            return fallback;
        }
        return Path.of(v);
    }

    public Path userConfigFile() {
        return configDir.resolve("config.yaml");
    }

    public Path backupsDir(Path baseDir) {
        return baseDir.resolve("backups");
    }

    public Path logsDir() {
        return stateDir.resolve("logs");
    }

    public Path userKnowledgeBase() {
        return configDir.resolve("knowledge-base");
    }

    public Path userTemplates() {
        return configDir.resolve("templates");
    }

    /** Expands a leading {@code ~/} against this home. */
    public Path expand(String p) {
        if (p.equals("~")) {
            return home;
        }
        if (p.startsWith("~/")) {
            return home.resolve(p.substring(2));
        }
        return Path.of(p);
    }
}
