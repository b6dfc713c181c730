package dev.minsky.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.Main;
import dev.minsky.testutil.Cli;
import dev.minsky.testutil.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Help, man pages, completion scripts and suggestions, over the whole command tree. */
class HelpAndCompletionTest {
    @TempDir
    Path home;

    private Cli cli() {
        return new Cli(home);
    }

    /** Every command of the tree, as its words after "minsky". */
    private List<List<String>> commands() {
        CommandSpec root = Main.commandLine(cli().context(System.out, System.err, "")).getCommandSpec();
        List<List<String>> out = new ArrayList<>();
        walk(root, new ArrayList<>(), out);
        return out;
    }

    private static void walk(CommandSpec spec, List<String> path, List<List<String>> out) {
        out.add(List.copyOf(path));
        spec.subcommands().forEach((name, sub) -> {
            if (name.equals(sub.getCommandName())) {
                List<String> p = new ArrayList<>(path);
                p.add(name);
                walk(sub.getCommandSpec(), p, out);
            }
        });
    }

    private CommandSpec spec(List<String> path) {
        CommandLine cl = Main.commandLine(cli().context(System.out, System.err, ""));
        for (String w : path) {
            cl = cl.getSubcommands().get(w);
        }
        return cl.getCommandSpec();
    }

    @TestFactory
    Stream<DynamicTest> every_commands_help_has_examples_and_shows_its_defaults() {
        return commands().stream().map(path -> DynamicTest.dynamicTest("minsky " + String.join(" ", path) + " --help", () -> {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            Cli.Result r = cli().run(args.toArray(String[]::new));
            assertEquals(0, r.code(), r.toString());
            assertTrue(r.out().contains("Example"), "examples in the help of " + path + ":\n" + r.out());
            for (OptionSpec o : spec(path).options()) {
                if (o.defaultValue() != null && !o.hidden() && o.arity().max > 0 && !o.typeInfo().isBoolean()) {
                    assertTrue(r.out().contains("Default: " + o.defaultValue()) || r.out().contains("(default " + o.defaultValue() + ")"),
                            o.longestName() + " shows its default " + o.defaultValue() + " in:\n" + r.out());
                }
            }
        }));
    }

    @Test
    void the_defaults_users_asked_about_are_shown() {
        String list = cli().run("session", "list", "--help").out();
        assertTrue(list.contains("Default: 0"), list);
        assertTrue(list.contains("default: all"), list);
        String doctor = cli().run("doctor", "--help").out();
        assertTrue(doctor.contains("minsky-bundle-<UTC time>.zip"), doctor);
        assertTrue(doctor.contains("default 10s"), doctor);
    }

    @Test
    void a_description_stays_on_one_line_where_the_width_allows() {
        String help = cli().run("session", "list", "--help").out();
        assertTrue(help.lines().anyMatch(l -> l.contains("--backend=BACKEND") && l.contains("Use this backend for this run (json, sqlite, postgres).")),
                help);
    }

    @Test
    void help_of_a_nested_command_is_that_commands_help() {
        Cli.Result r = cli().run("help", "session", "list");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("Usage: minsky session list"), r.out());
        assertTrue(r.out().contains("--limit"), r.out());
        Cli.Result bad = cli().run("help", "session", "lst");
        assertEquals(2, bad.code(), bad.toString());
        assertTrue(bad.err().contains("did you mean 'list'"), bad.err());
    }

    @Test
    void a_mistyped_command_or_option_gets_a_suggestion_and_exit_2() {
        Cli.Result cmd = cli().run("sesion", "list");
        assertEquals(2, cmd.code(), cmd.toString());
        assertTrue(cmd.err().contains("did you mean 'session'"), cmd.err());
        Cli.Result sub = cli().run("sessiondb", "verfy");
        assertEquals(2, sub.code(), sub.toString());
        assertTrue(sub.err().contains("did you mean 'verify'"), sub.err());
        Cli.Result opt = cli().run("session", "list", "--limt", "3");
        assertEquals(2, opt.code(), opt.toString());
        assertTrue(opt.err().contains("did you mean '--limit'"), opt.err());
        Cli.Result far = cli().run("session", "list", "--zzzzzzzz");
        assertEquals(2, far.code(), far.toString());
        assertTrue(!far.err().contains("did you mean"), "no suggestion for a word close to nothing: " + far.err());
    }

    private String script(String shell) {
        Cli.Result r = cli().run("completion", shell);
        assertEquals(0, r.code(), r.toString());
        return r.out();
    }

    @Test
    void completion_scripts_name_every_subcommand_and_option() {
        for (String shell : List.of("bash", "zsh", "fish")) {
            String s = script(shell);
            for (List<String> path : commands()) {
                if (!path.isEmpty()) {
                    assertTrue(s.contains(path.get(path.size() - 1)), shell + " script names " + path);
                }
                for (OptionSpec o : spec(path).options()) {
                    if (!o.hidden()) {
                        String n = o.longestName();
                        assertTrue(s.contains(shell.equals("fish") ? "-l " + n.substring(2) : n), shell + " script names " + n + " of " + path);
                    }
                }
            }
        }
        assertTrue(script("zsh").contains("bashcompinit"), "zsh runs the bash script through bashcompinit");
        Cli.Result bad = cli().run("completion", "tcsh");
        assertEquals(2, bad.code(), bad.toString());
    }

    @Test
    void bash_loads_the_script_and_completes_subcommands_and_options() throws Exception {
        Path file = home.resolve("minsky.bash");
        Files.writeString(file, script("bash"));
        Processes.Output complete = Processes.run(new ProcessBuilder("bash", "-c", "source " + file + "; complete -p minsky"), Duration.ofSeconds(120));
        assertEquals(0, complete.code(), complete.err());
        assertTrue(complete.out().contains("-F _complete_minsky minsky"), complete.out());
        Processes.Output words = Processes.run(new ProcessBuilder("bash", "-c", "source " + file
                + " 2>/dev/null; COMP_WORDS=(minsky session li); COMP_CWORD=2; COMP_LINE='minsky session li'; _complete_minsky 2>/dev/null;"
                + " echo \"${COMPREPLY[@]}\"; COMP_WORDS=(minsky session list --li); COMP_CWORD=3; COMP_LINE='minsky session list --li';"
                + " _complete_minsky 2>/dev/null; echo \"${COMPREPLY[@]}\""), Duration.ofSeconds(120));
        List<String> lines = words.out().lines().toList();
        assertEquals("list", lines.get(0).trim(), words.toString());
        assertTrue(lines.get(1).contains("--limit"), words.toString());
    }

    @Test
    void bash_sources_the_script_straight_from_the_command() throws Exception {
        ProcessBuilder minsky = dev.minsky.testutil.JavaProcess.minsky(java.util.Map.of("HOME", home.toString()), "completion", "bash");
        String cmd = minsky.command().stream().map(a -> "'" + a.replace("'", "'\\''") + "'").collect(java.util.stream.Collectors.joining(" "));
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "minsky() { :; }; source <(" + cmd + "); complete -p minsky");
        pb.environment().put("HOME", home.toString());
        Processes.Output o = Processes.run(pb, Duration.ofSeconds(300));
        assertEquals(0, o.code(), o.toString());
        assertTrue(o.out().contains("complete -o default -F _complete_minsky minsky"), o.toString());
    }

    @Test
    void man_pages_are_written_for_every_command_with_their_options() throws Exception {
        Path dir = home.resolve("docs");
        assertEquals(0, ManPages.write(dir));
        Path page = dir.resolve("minsky-session-list.adoc");
        assertTrue(Files.isRegularFile(page), "page for session list in " + dir);
        String text = Files.readString(page);
        for (String o : List.of("--limit", "--offset", "--task", "--detailed", "--json")) {
            assertTrue(text.contains("*" + o + "*"), o + " in\n" + text);
        }
        assertTrue(text.contains("minsky session list --limit 20 --offset 40"), "examples in the page");
        for (List<String> path : commands()) {
            String name = "minsky" + (path.isEmpty() ? "" : "-" + String.join("-", path)) + ".adoc";
            assertTrue(Files.isRegularFile(dir.resolve(name)), name);
        }
    }
}
