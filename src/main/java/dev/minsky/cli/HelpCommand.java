package dev.minsky.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.Parameters;

/**
 * {@code minsky help [COMMAND...]}: the help of the command the words name, however deep
 * ({@code minsky help session list}); picocli's own help command reads only the first word.
 */
@Command(name = "help", helpCommand = true, description = "Show the help of a command, e.g. 'minsky help session list'.")
public final class HelpCommand implements CommandLine.IHelpCommandInitializable2, Runnable {
    @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean helpRequested;

    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command, as its words (e.g. session list).")
    List<String> words;

    private CommandLine self;
    private PrintWriter out;
    private ColorScheme colors;

    @Override
    public void init(CommandLine helpCommandLine, ColorScheme colorScheme, PrintWriter out, PrintWriter err) {
        this.self = helpCommandLine;
        this.colors = colorScheme;
        this.out = out;
    }

    @Override
    public void run() {
        CommandLine target = self.getParent();
        StringBuilder walked = new StringBuilder(target.getCommandName());
        for (String w : words == null ? List.<String>of() : words) {
            CommandLine next = target.getSubcommands().get(w);
            if (next == null) {
                throw new CommandLine.ParameterException(self, "unknown command '" + walked + " " + w + "'"
                        + Suggest.didYouMean(w, target.getSubcommands().keySet()));
            }
            target = next;
            walked.append(' ').append(w);
        }
        target.usage(out, colors == null ? CommandLine.Help.defaultColorScheme(Ansi.AUTO) : colors);
    }
}
