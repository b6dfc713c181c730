package dev.minsky.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.AppContext;
import dev.minsky.testutil.Cli;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** A run builds only the top-level command it names, and that command is the same as in the whole tree (issue 12). */
class LazyCommandTreeTest {
    @TempDir
    Path home;

    private AppContext ctx() {
        return new Cli(home).context(System.out, System.err, "");
    }

    private List<String> top(String... args) {
        return new ArrayList<>(MinskyCommand.commandLine(ctx(), args).getSubcommands().keySet());
    }

    @Test
    void only_the_named_command_is_built() {
        List<String> all = top();
        assertEquals(List.of("session", "sessiondb", "config", "logs", "doctor", "kb", "help", "completion"), all);
        assertEquals(List.of("session"), top("session", "list", "--limit", "50", "--json"));
        assertEquals(List.of("session"), top("session", "get", "x"));
        assertEquals(List.of("doctor"), top("doctor", "--json"));
        assertEquals(List.of("doctor"), top("--backend", "sqlite", "--stacktrace", "doctor"));
        assertEquals(List.of("sessiondb"), top("-q", "--log-level", "debug", "--db-path", "/tmp/x.db", "sessiondb", "verify"));
        assertEquals(List.of("config"), top("--backend=json", "config", "list"));
        assertEquals(List.of(), top("--version"));
        assertEquals(List.of(), top("-V"));
        // what needs the whole tree gets it
        assertEquals(all, top("--help"));
        assertEquals(all, top("--version", "--help"));
        assertEquals(all, top("help", "session", "list"));
        assertEquals(all, top("completion", "bash"));
        assertEquals(all, top("sesion", "list"));
        assertEquals(all, top("--backend", "session"));
        assertEquals(all, top("--", "session"));
    }

    @Test
    void a_command_built_alone_is_the_command_of_the_whole_tree() {
        CommandLine whole = MinskyCommand.commandLine(ctx());
        for (String name : whole.getSubcommands().keySet()) {
            CommandLine alone = MinskyCommand.commandLine(ctx(), name, "--json").getSubcommands().get(name);
            assertEquals(describe(whole.getSubcommands().get(name)), describe(alone), name);
        }
    }

    /** Every command under {@code cl}: its options (inherited ones too), positionals and full help text. */
    private static Map<String, String> describe(CommandLine cl) {
        Map<String, String> out = new TreeMap<>();
        walk(cl, out);
        assertTrue(out.size() >= 1);
        return out;
    }

    private static void walk(CommandLine cl, Map<String, String> out) {
        StringBuilder sb = new StringBuilder();
        for (OptionSpec o : cl.getCommandSpec().options()) {
            sb.append(String.join(",", o.names())).append(o.inherited() ? " (inherited)" : "").append('\n');
        }
        sb.append(cl.getCommandSpec().positionalParameters().size()).append(" positionals\n");
        sb.append(cl.getUsageMessage(CommandLine.Help.Ansi.OFF));
        out.put(cl.getCommandSpec().qualifiedName(), sb.toString());
        cl.getSubcommands().forEach((n, sub) -> {
            if (n.equals(sub.getCommandName())) {
                walk(sub, out);
            }
        });
    }
}
