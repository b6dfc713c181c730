package dev.minsky.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * What every command's help shares, applied once to the whole tree: examples in the footer,
 * defaults shown, and a width that keeps a description on as few lines as the terminal allows.
 * Kept in one place (not in 30 annotations) so that a command added later gets it too; a command
 * that writes its own {@code footer} keeps it.
 */
public final class HelpSetup {
    /**
     * Examples by qualified command name ("minsky session list"). {@code {default}} stands for the
     * default backend and {@code {server}} for the first one on a database server (a backend without
     * a store file), as the providers say ({@link #backendsIn}).
     */
    static final Map<String, List<String>> EXAMPLES = new LinkedHashMap<>();

    static {
        ex("minsky", "minsky session list", "minsky doctor", "minsky help session list",
                "source <(minsky completion bash)");
        ex("minsky session", "minsky session start fix-login --task md#123", "minsky session list --limit 20");
        ex("minsky session start", "minsky session start fix-login --task md#123",
                "minsky session start spike --repo https://github.com/acme/app.git --branch spike/cache");
        ex("minsky session list", "minsky session list", "minsky session list --limit 20 --offset 40",
                "minsky session list --task md#123 --detailed", "minsky session list --json > sessions.json");
        ex("minsky session get", "minsky session get fix-login", "minsky session get fix-login --json");
        ex("minsky session end", "minsky session end fix-login", "minsky session end --all");
        ex("minsky session delete", "minsky session delete fix-login");
        ex("minsky session clean", "minsky session clean --older-than 30d --dry-run", "minsky session clean --older-than 2w");
        ex("minsky sessiondb", "minsky sessiondb verify", "minsky sessiondb export -o sessions.json");
        ex("minsky sessiondb init", "minsky sessiondb init", "minsky --backend {default} sessiondb init --json");
        ex("minsky sessiondb migrate", "minsky sessiondb migrate status", "minsky sessiondb migrate to {default} --dry-run");
        ex("minsky sessiondb migrate status", "minsky sessiondb migrate status", "minsky sessiondb migrate status --json");
        ex("minsky sessiondb migrate to", "minsky sessiondb migrate to {default} --dry-run",
                "minsky sessiondb migrate to {server} --verify");
        ex("minsky sessiondb test-connection", "minsky sessiondb test-connection",
                "minsky --backend {server} sessiondb test-connection --json");
        ex("minsky sessiondb verify", "minsky sessiondb verify", "minsky sessiondb verify --repair");
        ex("minsky sessiondb repair", "minsky sessiondb repair", "minsky sessiondb repair --auto-recover");
        ex("minsky sessiondb restore", "minsky sessiondb restore --backup ~/.local/state/minsky/backups/sessions-2024.json",
                "minsky sessiondb restore --backup backup.json --to {default}");
        ex("minsky sessiondb export", "minsky sessiondb export -o sessions.json", "minsky sessiondb export --all | jq length");
        ex("minsky sessiondb import", "minsky sessiondb import --file sessions.json",
                "minsky sessiondb import --file sessions.json --replace");
        ex("minsky sessiondb reset", "minsky sessiondb reset --force");
        ex("minsky sessiondb recover", "minsky sessiondb recover", "minsky sessiondb recover --auto");
        ex("minsky sessiondb healthcheck", "minsky sessiondb healthcheck", "minsky sessiondb healthcheck --json");
        ex("minsky config", "minsky config list sessiondb", "minsky config set sessiondb.backend {default}");
        ex("minsky config get", "minsky config get sessiondb.backend", "minsky config get sessiondb.connectionString --json");
        ex("minsky config set", "minsky config set sessiondb.backend {default}");
        ex("minsky config unset", "minsky config unset sessiondb.dbPath");
        ex("minsky config list", "minsky config list", "minsky config list sessiondb --json");
        ex("minsky logs", "minsky logs", "minsky logs --component doctor --tail 200", "MINSKY_LOG_LEVEL=debug minsky doctor; minsky logs -n 100");
        ex("minsky doctor", "minsky doctor", "minsky doctor -v", "minsky doctor --fix --dry-run", "minsky doctor --fix --yes",
                "minsky doctor --json | jq '.findings[].causeId'", "minsky doctor --bundle");
        ex("minsky help", "minsky help session list");
        ex("minsky completion", "source <(minsky completion bash)", "minsky completion zsh > ~/.zfunc/_minsky",
                "minsky completion fish > ~/.config/fish/completions/minsky.fish");
    }

    private HelpSetup() {}

    private static void ex(String command, String... lines) {
        EXAMPLES.put(command, List.of(lines));
    }

    /** Applies examples, defaults and width to {@code cl} and every command under it. */
    public static void apply(CommandLine cl) {
        cl.setUsageHelpAutoWidth(true);
        cl.setUsageHelpWidth(100);
        cl.setUsageHelpLongOptionsMaxWidth(34);
        decorate(cl);
    }

    private static void decorate(CommandLine cl) {
        CommandSpec spec = cl.getCommandSpec();
        spec.usageMessage().showDefaultValues(true);
        String[] footer = spec.usageMessage().footer();
        if (footer == null || footer.length == 0) {
            List<String> lines = new ArrayList<>();
            for (String e : backendsIn(examples(spec))) {
                // picocli treats % as a format character in help sections
                lines.add("  " + e.replace("%", "%%"));
            }
            spec.usageMessage().footerHeading("%nExamples:%n");
            spec.usageMessage().footer(lines.toArray(String[]::new));
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (sub.getParent() == cl) {
                decorate(sub);
            }
        }
    }

    /** The examples with the backend placeholders filled in from the loaded providers. */
    static List<String> backendsIn(List<String> examples) {
        if (examples.stream().noneMatch(e -> e.contains("{default}") || e.contains("{server}"))) {
            return examples;
        }
        String def = dev.minsky.store.Stores.defaultId();
        String server = def;
        for (dev.minsky.store.StoreProvider p : dev.minsky.store.Stores.providers()) {
            try {
                if (p.storeFileName() == null) {
                    server = p.id();
                    break;
                }
            } catch (RuntimeException | LinkageError e) {
                // a plugin backend that cannot answer is not the example
            }
        }
        String srv = server;
        return examples.stream().map(e -> e.replace("{default}", def).replace("{server}", srv)).toList();
    }

    /** "; did you mean 'x'?" for a mistyped command or option, or nothing. */
    public static String suggestion(CommandLine.ParameterException ex) {
        if (!(ex instanceof CommandLine.UnmatchedArgumentException u) || u.getUnmatched().isEmpty()) {
            return "";
        }
        String word = u.getUnmatched().get(0);
        CommandSpec spec = ex.getCommandLine().getCommandSpec();
        List<String> names = new ArrayList<>();
        if (word.startsWith("-")) {
            spec.options().stream().filter(o -> !o.hidden()).forEach(o -> names.addAll(List.of(o.names())));
        } else {
            names.addAll(spec.subcommands().keySet());
        }
        return Suggest.didYouMean(word, names);
    }

    /** The examples of a command: the ones written for it, else its plainest call. */
    static List<String> examples(CommandSpec spec) {
        List<String> known = EXAMPLES.get(spec.qualifiedName());
        if (known != null) {
            return known;
        }
        StringBuilder sb = new StringBuilder(spec.qualifiedName());
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (p.arity().min > 0) {
                sb.append(' ').append(p.paramLabel());
            }
        }
        for (OptionSpec o : spec.options()) {
            if (o.required()) {
                sb.append(' ').append(o.longestName()).append(o.arity().max > 0 ? " " + o.paramLabel() : "");
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add(sb.toString());
        if (!spec.subcommands().isEmpty()) {
            spec.subcommands().keySet().stream().filter(n -> !n.equals("help")).findFirst()
                    .ifPresent(n -> lines.add(spec.qualifiedName() + " " + n + " --help"));
        }
        return lines;
    }
}
