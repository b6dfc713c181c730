package dev.minsky.cli;

import dev.minsky.AppContext;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Writes one AsciiDoc man page per command ({@code minsky-session-list.adoc}, ...) with picocli's
 * {@code ManPageGenerator}, from the command tree as the CLI builds it (examples and defaults
 * included). Run at build time (exec-maven-plugin, package phase) with picocli-codegen on the
 * plugin's class path; the generator is found by name so that the shipped jar does not need it.
 */
public final class ManPages {
    private ManPages() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "target/generated-docs");
        int code = write(out);
        if (code != 0) {
            throw new IllegalStateException("ManPageGenerator exited " + code);
        }
    }

    /** Writes the pages into {@code dir}; returns the generator's exit code. */
    public static int write(Path dir) throws Exception {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true);
        AppContext ctx = new AppContext(Map.of(), Path.of("").toAbsolutePath(), quiet, quiet, System.in, false, Clock.systemUTC());
        CommandSpec spec = MinskyCommand.commandLine(ctx).getCommandSpec();
        Class<?> gen = Class.forName("picocli.codegen.docgen.manpage.ManPageGenerator");
        java.nio.file.Files.createDirectories(dir);
        Object r = gen.getMethod("generateManPage", File.class, File.class, boolean[].class, boolean.class, CommandSpec[].class)
                .invoke(null, dir.toFile(), null, new boolean[0], true, new CommandSpec[] {spec});
        return (Integer) r;
    }
}
