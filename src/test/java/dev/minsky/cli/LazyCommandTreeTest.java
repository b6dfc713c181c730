package dev.minsky.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
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

/**
 * A run builds only the top-level command it names and, under a command group, only the subcommand it
 * names; each is the same as in the whole tree (issue 12).
 */
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
        assertEquals(all, top("--help", "session"), "the root's help lists every command");
        assertEquals(all, top("-qh", "session"));
        assertEquals(all, top("--bogus", "session", "list"), "an unknown option's did-you-mean sees every option");
    }

    private List<String> under(String group, String... args) {
        CommandLine cl = MinskyCommand.commandLine(ctx(), args).getSubcommands().get(group);
        assertEquals(group, cl.getCommandName());
        return new ArrayList<>(cl.getSubcommands().keySet());
    }

    @Test
    void only_the_named_subcommand_of_a_group_is_built() {
        List<String> all = List.of("start", "list", "get", "end", "delete", "clean");
        assertEquals(all, under("session", "session"));
        assertEquals(List.of("get"), under("session", "session", "get", "task-042", "--json"));
        assertEquals(List.of("get"), under("session", "--backend", "sqlite", "session", "--db-path", "/tmp/x.db", "-q", "get", "x"));
        assertEquals(List.of("get"), under("session", "session", "--backend=sqlite", "--stacktrace", "get", "x"));
        assertEquals(List.of("list"), under("session", "session", "list", "--help"));
        assertEquals(List.of("verify"), under("sessiondb", "sessiondb", "verify", "--repair"));
        assertEquals(List.of("migrate"), under("sessiondb", "sessiondb", "migrate", "to", "sqlite"));
        assertEquals(List.of("set"), under("config", "config", "set", "sessiondb.backend", "json"));
        assertEquals(List.of("show"), under("kb", "kb", "show", "store.split-brain"));
        // what needs the whole group gets it
        assertEquals(all, under("session", "session", "--help"));
        assertEquals(all, under("session", "session", "-h", "get"), "the group's help lists every subcommand");
        assertEquals(all, under("session", "session", "help"));
        assertEquals(all, under("session", "session", "gte", "x"));
        assertEquals(all, under("session", "session", "--backend", "get"));
        assertEquals(all, under("session", "session", "--", "get"));
        assertEquals(all, under("session", "session", "--bogus", "get"));
    }

    @Test
    void every_root_option_may_come_before_a_command_built_alone() {
        CommandLine whole = MinskyCommand.commandLine(ctx());
        int seen = 0;
        for (OptionSpec o : whole.getCommandSpec().options()) {
            if (o.scopeType() != CommandLine.ScopeType.INHERIT) {
                continue;
            }
            for (String name : o.names()) {
                List<String> opt = o.arity().max > 0 ? List.of(name, "v") : List.of(name);
                List<String> before = new ArrayList<>(opt);
                before.addAll(List.of("session", "get", "x"));
                assertEquals(List.of("get"), under("session", before.toArray(String[]::new)), before.toString());
                List<String> between = new ArrayList<>(List.of("session"));
                between.addAll(opt);
                between.addAll(List.of("get", "x"));
                assertEquals(List.of("get"), under("session", between.toArray(String[]::new)), between.toString());
                if (o.arity().max > 0) {
                    assertEquals(List.of("get"), under("session", name + "=v", "session", name + "=v", "get", "x"), name);
                }
                seen++;
            }
        }
        assertTrue(seen >= 7, "root options seen: " + seen);
    }

    /**
     * The launchers (./minsky, the installed bin/minsky) choose a class-data archive by the command's
     * name, skipping root options and their values as {@link MinskyCommand#commandAt} does: the shell
     * scripts cannot call it, so their list of options that take a value is kept equal to the CLI's.
     */
    @Test
    void the_launchers_skip_the_values_of_the_same_root_options_as_the_cli() throws Exception {
        java.util.Set<String> cli = new java.util.TreeSet<>();
        for (OptionSpec o : MinskyCommand.commandLine(ctx()).getCommandSpec().options()) {
            if (o.scopeType() == CommandLine.ScopeType.INHERIT && o.arity().max > 0) {
                cli.addAll(java.util.Arrays.asList(o.names()));
            }
        }
        assertTrue(cli.contains("--backend"), cli.toString());
        java.util.regex.Pattern skip = java.util.regex.Pattern.compile("^\\s*([-\\w|]+)\\) skip=1 ;;$", java.util.regex.Pattern.MULTILINE);
        for (String launcher : List.of("minsky", "dist/minsky.sh")) {
            java.util.regex.Matcher m = skip.matcher(java.nio.file.Files.readString(java.nio.file.Path.of(launcher)));
            assertTrue(m.find(), launcher + " has no case line of root options that take a value");
            assertEquals(cli, new java.util.TreeSet<>(java.util.Arrays.asList(m.group(1).split("\\|"))), launcher);
            assertFalse(m.find(), launcher + ": one such line only");
        }
    }

    @Test
    void a_command_built_alone_is_the_command_of_the_whole_tree() {
        CommandLine whole = MinskyCommand.commandLine(ctx());
        for (String name : whole.getSubcommands().keySet()) {
            CommandLine alone = MinskyCommand.commandLine(ctx(), name, "--json").getSubcommands().get(name);
            assertEquals(describe(whole.getSubcommands().get(name)), describe(alone), name);
        }
    }

    @Test
    void a_subcommand_built_alone_is_the_subcommand_of_the_whole_tree() {
        CommandLine whole = MinskyCommand.commandLine(ctx());
        int groups = 0;
        for (var top : whole.getSubcommands().entrySet()) {
            Map<String, CommandLine> subs = top.getValue().getSubcommands();
            if (top.getKey().equals("help") || top.getKey().equals("completion") || subs.isEmpty()) {
                continue;
            }
            groups++;
            for (var sub : subs.entrySet()) {
                String path = top.getKey() + " " + sub.getKey();
                assertEquals(sub.getKey(), sub.getValue().getCommandName(), path + ": its map's name is its annotation's");
                CommandLine group = MinskyCommand.commandLine(ctx(), top.getKey(), sub.getKey(), "--json").getSubcommands().get(top.getKey());
                assertEquals(List.of(sub.getKey()), new ArrayList<>(group.getSubcommands().keySet()), path);
                CommandLine alone = group.getSubcommands().get(sub.getKey());
                assertEquals(describe(sub.getValue()), describe(alone), path);
                assertSame(group, alone.getParent(), path);
                assertTrue(alone.getCommandSpec().root().userObject() instanceof MinskyCommand, path);
            }
        }
        assertEquals(4, groups, "session, sessiondb, config and kb");
    }

    @Test
    void a_mistyped_subcommand_still_gets_its_suggestion_and_exit_2() {
        Cli cli = new Cli(home);
        String[][] cases = {{"session", "gt", "get"}, {"sessiondb", "verfy", "verify"}, {"sessiondb", "healthchek", "healthcheck"},
                {"config", "lst", "list"}, {"kb", "shw", "show"}};
        for (String[] c : cases) {
            Cli.Result r = cli.run(c[0], c[1], "x");
            assertEquals(2, r.code(), r.toString());
            assertEquals("error: Unmatched arguments from index 1: '" + c[1] + "', 'x'; did you mean '" + c[2] + "'?\n"
                    + "  hint: see 'minsky " + c[0] + " --help'\n", r.err());
        }
        // an option mistyped under a subcommand built alone
        Cli.Result opt = cli.run("session", "get", "x", "--jsn");
        assertEquals(2, opt.code(), opt.toString());
        assertEquals("error: Unknown option: '--jsn'; did you mean '--json'?\n  hint: see 'minsky session get --help'\n", opt.err());
    }

    @Test
    void the_command_name_of_a_subcommand_built_alone_is_its_whole_path() {
        String[] args = {"--backend=sqlite", "session", "-q", "get", "x", "--json"};
        try {
            dev.minsky.CommandName.set(MinskyCommand.commandLine(ctx()), args);
            String whole = dev.minsky.CommandName.current();
            dev.minsky.CommandName.set(MinskyCommand.commandLine(ctx(), args), args);
            assertEquals("minsky session get", dev.minsky.CommandName.current());
            assertEquals(whole, dev.minsky.CommandName.current());
        } finally {
            dev.minsky.CommandName.clear();
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
