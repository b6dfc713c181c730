package dev.minsky.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minsky.ExitCode;
import dev.minsky.config.ConfigKey;
import dev.minsky.config.ConfigService;
import dev.minsky.config.Settings;
import dev.minsky.model.SessionJson;
import dev.minsky.util.Secrets;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code minsky config get|set|unset|list}. */
@Command(name = "config", description = "Read and change minsky's configuration.")
public final class ConfigCommand extends BaseCommand implements CommandGroup {
    /** The subcommands in the order help lists them (not in the annotation: see {@link CommandGroup}). */
    private static final Map<String, Class<?>> SUBCOMMANDS = CommandGroup.inOrder(
            Map.entry("get", Get.class),
            Map.entry("set", Set.class),
            Map.entry("unset", Unset.class),
            Map.entry("list", ListKeys.class));

    @Override
    public Map<String, Class<?>> subcommands() {
        return SUBCOMMANDS;
    }

    @Override
    protected int execute() {
        spec.commandLine().usage(out());
        return ExitCode.OK;
    }

    /** The effective value of a key, with derived defaults for paths. */
    static String effective(ConfigService cfg, ConfigKey key) {
        Settings s = cfg.settingsLenient();
        return switch (key) {
            case BASE_DIR -> s.baseDir().toString();
            case DB_PATH -> s.sqlitePath().toString();
            default -> cfg.get(key).map(ConfigService.Value::value).orElse(null);
        };
    }

    static String source(ConfigService cfg, ConfigKey key) {
        return cfg.get(key).map(ConfigService.Value::source).orElse("default");
    }

    static String shown(ConfigKey key, String value) {
        return key.secret() ? Secrets.mask(value) : value;
    }

    @Command(name = "get", description = "Print the effective value of KEY (passwords masked).")
    static final class Get extends BaseCommand {
        @Parameters(paramLabel = "KEY", description = "e.g. sessiondb.backend")
        String key;

        @Option(names = "--json", description = "Print key, value and source as JSON.")
        boolean json;

        @Override
        protected int execute() {
            ConfigKey k = ConfigKey.of(key);
            ConfigService cfg = root().config();
            String v = shown(k, effective(cfg, k));
            if (json) {
                ObjectNode n = SessionJson.mapper().createObjectNode();
                n.put("key", k.key());
                n.put("value", v);
                n.put("source", source(cfg, k));
                printJson(n);
            } else if (v != null) {
                out().println(v);
            } else {
                err().println(k.key() + " is not set");
                return ExitCode.FINDINGS;
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "set", description = "Set KEY to VALUE in the user config file.")
    static final class Set extends BaseCommand {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Parameters(index = "1", paramLabel = "VALUE", arity = "0..1",
                description = "The value (with --move-password it may be left out: the stored connection string is used)")
        String value;

        @Option(names = "--move-password", description = "sessiondb.connectionString only: write its password to "
                + "~/.pgpass (or PGPASSFILE), mode 0600, and store the string without it.")
        boolean movePassword;

        @Override
        protected int execute() {
            ConfigKey k = ConfigKey.of(key);
            ConfigService cfg = root().config();
            if (movePassword && k != ConfigKey.CONNECTION_STRING) {
                throw dev.minsky.MinskyException.badInput("--move-password is for sessiondb.connectionString only",
                        "minsky config set sessiondb.connectionString --move-password");
            }
            if (value == null) {
                if (!movePassword) {
                    throw dev.minsky.MinskyException.badInput("config set " + k.key() + " needs a VALUE",
                            "minsky config set " + k.key() + " VALUE");
                }
                value = cfg.userFileValue(k);
                if (value == null) {
                    throw dev.minsky.MinskyException.badInput("sessiondb.connectionString is not set in " + cfg.userFile(),
                            "give the connection string: minsky config set sessiondb.connectionString URL --move-password");
                }
            }
            dev.minsky.store.StoreSecrets secrets = dev.minsky.store.Stores.secretsIn(k.key());
            boolean hasPassword = secrets != null && secrets.hasSecret(value);
            if (movePassword && hasPassword) {
                k.validate(value);
                java.nio.file.Path passFile = secrets.secretFile(ctx()::env, ctx().paths().home());
                String line = secrets.moveSecret(passFile, value);
                value = secrets.withoutSecret(value);
                root().log().info("config", "moved the password of sessiondb.connectionString to " + passFile);
                out().println("password moved to " + passFile + " (mode 0600): " + line);
                hasPassword = false;
            } else if (movePassword) {
                out().println("sessiondb.connectionString holds no password: nothing to move");
            }
            cfg.set(k, value);
            root().log().info("config", "set " + k.key() + " = " + shown(k, value));
            out().println(k.key() + " = " + shown(k, k.validate(value)) + "  (in " + cfg.userFile() + ")");
            if (hasPassword) {
                err().println("warning: the password is now stored in plain text in " + cfg.userFile() + ".");
                err().println("  Keep it out of the config: 'minsky config set sessiondb.connectionString --move-password'"
                        + " moves it to " + secrets.secretFile(ctx()::env, ctx().paths().home())
                        + " (mode 0600), or leave it out of the string and export PGPASSWORD. See docs/sessiondb.md.");
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "unset", description = "Remove KEY from the user config file.")
    static final class Unset extends BaseCommand {
        @Parameters(paramLabel = "KEY")
        String key;

        @Override
        protected int execute() {
            ConfigKey k = ConfigKey.of(key);
            boolean removed = root().config().unset(k);
            out().println(removed ? "removed " + k.key() : k.key() + " was not set in " + root().config().userFile());
            return ExitCode.OK;
        }
    }

    @Command(name = "list", description = "List effective configuration, optionally only keys starting with PREFIX.")
    static final class ListKeys extends BaseCommand {
        @Parameters(arity = "0..1", paramLabel = "PREFIX")
        String prefix;

        @Option(names = "--json", description = "Print as a JSON object of key to {value, source}.")
        boolean json;

        @Override
        protected int execute() {
            ConfigService cfg = root().config();
            ObjectNode all = SessionJson.mapper().createObjectNode();
            for (ConfigKey k : ConfigKey.values()) {
                if (prefix != null && !k.key().startsWith(prefix)) {
                    continue;
                }
                String v = shown(k, effective(cfg, k));
                if (json) {
                    ObjectNode e = all.putObject(k.key());
                    e.put("value", v);
                    e.put("source", source(cfg, k));
                } else {
                    out().printf("%-28s %-40s (%s)%n", k.key(), v == null ? "(not set)" : v, source(cfg, k));
                }
            }
            for (ConfigService.Problem p : cfg.problems()) {
                err().println("warning: " + p.source() + ": " + p.message());
            }
            if (json) {
                printJson(all);
            }
            return ExitCode.OK;
        }
    }
}
