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
        try {
            out().println(SessionJson.MAPPER.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Integer call() throws Exception {
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
