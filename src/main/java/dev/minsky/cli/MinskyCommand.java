package dev.minsky.cli;

import dev.minsky.AppContext;
import dev.minsky.config.ConfigKey;
import dev.minsky.config.ConfigService;
import dev.minsky.config.Settings;
import dev.minsky.log.MinskyLog;
import dev.minsky.store.SessionStore;
import dev.minsky.store.Stores;
import java.util.EnumMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The root command; also the per-run context every subcommand reaches through its spec. */
@Command(name = "minsky", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Keeps Minsky's session records in a store (a file or a database server) and diagnoses and repairs them.")
public final class MinskyCommand implements Runnable {
    /**
     * The top-level commands in the order help lists them. Not in the annotation: picocli builds
     * every command it names by reflection when the root is built (about a third of a {@code
     * --version}), so {@link #commandLine(AppContext, String...)} adds only the one a run names.
     */
    private static final Map<String, Class<?>> TOP = CommandGroup.inOrder(
            Map.entry("session", SessionCommand.class),
            Map.entry("sessiondb", SessionDbCommand.class),
            Map.entry("config", ConfigCommand.class),
            Map.entry("logs", LogsCommand.class),
            Map.entry("doctor", DoctorCommand.class),
            Map.entry("kb", KbCommand.class),
            Map.entry("help", HelpCommand.class),
            Map.entry("completion", CompletionCommand.class));

    /** Root options that take a value (the word after them is not a command's name). */
    private static final java.util.Set<String> VALUE_OPTIONS = java.util.Set.of("--backend", "--base-dir", "--db-path", "--log-level");

    /** Root options that take no value, but for help and version (which must see every command). */
    private static final java.util.Set<String> FLAG_OPTIONS = java.util.Set.of("--stacktrace", "-q", "--quiet");

    /** The whole command tree of minsky with its help set up: what completion, man pages and help describe. */
    public static picocli.CommandLine commandLine(AppContext ctx) {
        picocli.CommandLine cl = new picocli.CommandLine(new MinskyCommand(ctx));
        TOP.forEach((name, type) -> cl.addSubcommand(name, command(type, null)));
        HelpSetup.apply(cl);
        return cl;
    }

    /**
     * The tree a run of {@code args} needs: when they name a top-level command (after root options)
     * that is not {@code help} or {@code completion}, the root with only that command; under a
     * {@link CommandGroup} likewise only the subcommand the next word names (after root options),
     * and all of them when none does. For a plain {@code --version} the root alone; otherwise (no
     * command, a mistyped one for the did-you-mean, {@code --help} or another option before the
     * command, {@code help}, {@code completion}) the whole tree.
     */
    public static picocli.CommandLine commandLine(AppContext ctx, String... args) {
        int at = commandAt(args, 0);
        String word = at < 0 ? null : args[at];
        boolean versionOnly = at < 0 && args.length > 0 && java.util.Arrays.stream(args).allMatch(a -> a.equals("-V") || a.equals("--version"));
        if (!versionOnly && (word == null || !TOP.containsKey(word) || word.equals("help") || word.equals("completion"))) {
            return commandLine(ctx);
        }
        picocli.CommandLine cl = new picocli.CommandLine(new MinskyCommand(ctx));
        if (word != null) {
            int sub = commandAt(args, at + 1);
            cl.addSubcommand(word, command(TOP.get(word), sub < 0 ? null : args[sub]));
        }
        HelpSetup.apply(cl);
        return cl;
    }

    /**
     * A top-level command; a {@link CommandGroup} with only the subcommand {@code only} under it when
     * it has one of that name, else with all of them, in the same order as always.
     */
    private static picocli.CommandLine command(Class<?> type, String only) {
        picocli.CommandLine cl = new picocli.CommandLine(type);
        if (cl.getCommand() instanceof CommandGroup group) {
            Map<String, Class<?>> subs = group.subcommands();
            if (only != null && subs.containsKey(only)) {
                cl.addSubcommand(only, subs.get(only));
            } else {
                subs.forEach(cl::addSubcommand);
            }
        }
        return cl;
    }

    /**
     * The index of the first word of {@code args} from {@code from} on that is neither a root option
     * (which every command inherits) nor its value; -1 when there is none, or when {@code --} or
     * another option (help, version, a mistyped one) comes first: that one needs the whole tree.
     */
    static int commandAt(String[] args, int from) {
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("-")) {
                return i;
            }
            if (VALUE_OPTIONS.contains(a)) {
                i++;
            } else if (!FLAG_OPTIONS.contains(a) && (a.indexOf('=') < 0 || !VALUE_OPTIONS.contains(a.substring(0, a.indexOf('='))))) {
                return -1;
            }
        }
        return -1;
    }

    private final AppContext ctx;
    private MinskyLog log;
    private ConfigService config;

    @Option(names = "--backend", scope = ScopeType.INHERIT, paramLabel = "BACKEND", completionCandidates = BackendIds.class,
            description = "Use this backend for this run (${COMPLETION-CANDIDATES}).")
    String backend;

    @Option(names = "--base-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Use this sessiondb.baseDir for this run.")
    String baseDir;

    @Option(names = "--db-path", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Use this store database file (sessiondb.dbPath) for this run.")
    String dbPath;

    @Option(names = "--stacktrace", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean stacktrace;

    @Option(names = "--log-level", scope = ScopeType.INHERIT, paramLabel = "LEVEL",
            description = "Level of <state>/logs/minsky.log for this run: debug, info (the default), warn or error; "
                    + "overrides MINSKY_LOG_LEVEL.")
    String logLevel;

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
            description = "No progress bar and no progress lines on stderr (results, warnings, errors and the "
                    + "lock-wait message still print). Progress is only ever drawn when stderr is a terminal and not with --json.")
    boolean quiet;

    public boolean quiet() {
        return quiet;
    }

    /** Refuses a log level that names no level, from the flag or the environment (exit 2). */
    void checkLogLevel() {
        String flag = logLevel;
        String v = flag != null ? flag : ctx.env("MINSKY_LOG_LEVEL");
        if (v != null && MinskyLog.parse(v).isEmpty()) {
            throw dev.minsky.MinskyException.badInput("unknown log level '" + v + "'" + (flag != null ? "" : " in MINSKY_LOG_LEVEL"),
                    "use one of debug, info, warn, error");
        }
    }

    public MinskyCommand(AppContext ctx) {
        this.ctx = ctx;
    }

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(ctx.out());
    }

    public AppContext ctx() {
        return ctx;
    }

    public boolean stacktrace() {
        return stacktrace;
    }

    public MinskyLog log() {
        if (log == null) {
            log = MinskyLog.forContext(ctx, logLevel);
        }
        return log;
    }

    /** The layered config with this run's flags on top. */
    public ConfigService config() {
        if (config == null) {
            Map<ConfigKey, String> flags = new EnumMap<>(ConfigKey.class);
            flags.put(ConfigKey.BACKEND, backend);
            flags.put(ConfigKey.BASE_DIR, baseDir);
            flags.put(ConfigKey.DB_PATH, dbPath);
            config = ConfigService.load(ctx, flags);
            config.get(ConfigKey.CONNECTION_STRING).ifPresent(v -> registerSecretsOf(v.value()));
            // a backend's secrets in the environment (StoreSecrets.secretEnvironment(): PGPASSWORD), however short
            for (dev.minsky.store.StoreProvider p : Stores.providers()) {
                try {
                    dev.minsky.store.StoreSecrets sec = p.secrets();
                    for (String name : sec == null ? java.util.List.<String>of() : sec.secretEnvironment()) {
                        String v = ctx.env(name);
                        if (v != null) {
                            log().addSecret(v);
                        }
                    }
                } catch (RuntimeException | LinkageError e) {
                    // a plugin backend that cannot answer names no secret
                }
            }
        }
        return config;
    }

    private void registerSecretsOf(String connectionString) {
        dev.minsky.util.ConnectionSecrets.values(connectionString).forEach(log()::addSecret);
    }

    /** Forgets the loaded config: the next {@link #config()} reads the files again (another process may have switched the backend). */
    public void reloadConfig() {
        config = null;
    }

    /** Settings for commands that need a usable config (throws BAD_INPUT otherwise). */
    public Settings settings() {
        return config().settings();
    }

    /** Opens the configured store; {@code create} makes a missing one. */
    public SessionStore openStore(boolean create) {
        Settings s = settings();
        log().debug("sessiondb", "opening " + s.backend() + " store " + Stores.provider(s).location(s));
        return Stores.open(s, create);
    }
}
