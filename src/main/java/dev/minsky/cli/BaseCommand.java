package dev.minsky.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.minsky.AppContext;
import dev.minsky.ExitCode;
import dev.minsky.model.SessionJson;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every subcommand shares: the run's context, and printing. */
@Command(mixinStandardHelpOptions = true)
public abstract class BaseCommand implements Callable<Integer> {
    @Spec
    protected CommandSpec spec;

    protected MinskyCommand root() {
        return (MinskyCommand) spec.root().userObject();
    }

    protected AppContext ctx() {
        return root().ctx();
    }

    protected PrintStream out() {
        return ctx().out();
    }

    protected PrintStream err() {
        return ctx().err();
    }

    /** Prints a value as pretty JSON on standard output. */
    protected void printJson(Object value) {
        if (value instanceof com.fasterxml.jackson.databind.JsonNode node) {
            out().println(dev.minsky.model.JsonTrees.pretty(node)); // no ObjectMapper for a record (issue 12)
            return;
        }
        try {
            out().println(SessionJson.mapper().writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private dev.minsky.progress.ProgressBar bar;
    private boolean progressAsked;

    /**
     * The progress indicator of this run: a bar on stderr when stderr is a terminal, the command
     * prints no JSON and {@code --quiet} was not given; {@link dev.minsky.store.Progress#NONE} otherwise.
     */
    protected dev.minsky.store.Progress progress() {
        if (!progressAsked) {
            progressAsked = true;
            if (!quiet() && !jsonOutput() && progressWanted() && dev.minsky.progress.Terminal.stderr(ctx())) {
                bar = dev.minsky.progress.ProgressBar.started(err(), dev.minsky.progress.Terminal.columns(ctx()))
                        .withDelay(dev.minsky.progress.Terminal.delayMillis(ctx()));
            }
        }
        return bar != null ? bar : dev.minsky.store.Progress.NONE;
    }

    /** Erases the progress bar (before the result is printed); nothing more is drawn. */
    protected void progressDone() {
        if (bar != null) {
            bar.close();
        }
    }

    /** Prints a progress line on stderr (not with --quiet), clear of the bar. */
    protected void progressLine(String line) {
        if (quiet()) {
            return;
        }
        if (bar != null) {
            bar.println(line);
        } else {
            err().println(line);
        }
    }

    /** False where a bar would get in the way of this command's own output. */
    protected boolean progressWanted() {
        return true;
    }

    protected boolean quiet() {
        return root().quiet();
    }

    /** True when this command was asked for JSON ({@code --json}): no progress then. */
    protected boolean jsonOutput() {
        picocli.CommandLine.Model.OptionSpec o = spec.findOption("--json");
        return o != null && Boolean.TRUE.equals(o.getValue());
    }

    @Override
    public Integer call() throws Exception {
        try {
            return callLogged();
        } finally {
            progressDone();
        }
    }

    private Integer callLogged() throws Exception {
        root().checkLogLevel();
        dev.minsky.log.MinskyLog log = root().log();
        if (!log.debugEnabled()) {
            return execute();
        }
        java.nio.file.Path state = ctx().paths().stateDir();
        // into a state directory that is there already: a read-only command creates nothing
        dev.minsky.log.SqlTrace.sink(sql -> {
            if (java.nio.file.Files.isDirectory(state)) {
                log.debug("sessiondb", "sql: " + sql);
            }
        });
        try {
            return execute();
        } finally {
            dev.minsky.log.SqlTrace.sink(null);
        }
    }

    /** Does the work and returns the exit code. */
    protected abstract int execute() throws Exception;

    protected static int ok() {
        return ExitCode.OK;
    }
}
