package dev.minsky;

import dev.minsky.cli.MinskyCommand;
import dev.minsky.log.MinskyLog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/** Entry point. {@link #run} is what tests call in-process. */
public final class Main {
    static {
        // Drools and the drivers log through SLF4J; keep their chatter out of the user's terminal.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        // a backend that quiets its driver's logger does so itself (SqliteStoreProvider)
    }

    private Main() {}

    public static void main(String[] args) {
        // Threads of the JVM and of the drivers die too when descriptors or memory run out; the main
        // thread reports that in words, so theirs are not printed as traces on top of it.
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            if (!(e instanceof OutOfMemoryError) && !ResourceExhaustion.tooManyOpenFiles(e) && !(e instanceof VirtualMachineError)) {
                System.err.println("error: internal error in thread " + thread.getName() + ": " + e);
            }
        });
        AppContext ctx;
        try {
            ResourceExhaustion.remember();
            ctx = AppContext.system();
            dev.minsky.util.FileLocks.describeSelf("minsky " + String.join(" ", args));
        } catch (Throwable t) {
            // before anything else: a process started with almost no descriptors fails here
            System.exit(early(t));
            return;
        }
        if (args.length > 0 && args[0].equals("doctor")) {
            try {
                dev.minsky.doctor.run.Doctor.startEarly(ctx, args);
            } catch (RuntimeException e) {
                // only a head start: the doctor builds what it needs itself and reports any error then
            }
        }
        int code = run(ctx, args);
        String training = System.getenv("MINSKY_CDS_TRAINING");
        if ("1".equals(training) || "cli".equals(training)) {
            preloadForArchive(ctx, "1".equals(training));
        }
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    /**
     * For the launcher's class-data archive training run only: loads (without initialising) the
     * PostgreSQL driver's classes, which a run against a throwaway SQLite store never touches, so
     * that PostgreSQL commands start from the archive too, and the classes of every command (a
     * run builds only the command it names). {@code MINSKY_CDS_TRAINING=1} trains the doctor's archive
     * and also runs Drools and the playbook parser once; {@code cli} trains the archive of every other
     * command, which needs neither (a smaller archive maps faster: see docs/performance.md).
     */
    private static void preloadForArchive(AppContext ctx, boolean withEngine) {
        // a run builds only the command it names: load every command's classes once
        try {
            commandLine(ctx);
        } catch (RuntimeException | LinkageError e) {
            // only a faster start is lost
        }
        // a healthy training store needs neither Drools nor the playbook parser (issue 12): run both once
        try {
            if (withEngine) {
                dev.minsky.doctor.engine.Engine.trainForArchive();
            }
        } catch (RuntimeException | LinkageError e) {
            // only a faster start is lost
        }
        java.security.CodeSource src = Main.class.getProtectionDomain().getCodeSource();
        if (src == null) {
            return;
        }
        // the drivers' classes a first connection loads (StoreProvider.archiveClassPrefixes())
        List<String> prefixes = new java.util.ArrayList<>();
        for (dev.minsky.store.StoreProvider p : dev.minsky.store.Stores.builtIns()) {
            try {
                prefixes.addAll(p.archiveClassPrefixes());
            } catch (RuntimeException | LinkageError e) {
                // only a faster start is lost
            }
        }
        if (prefixes.isEmpty()) {
            return;
        }
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(new java.io.File(src.getLocation().toURI()))) {
            ClassLoader cl = Main.class.getClassLoader();
            jar.stream().map(java.util.jar.JarEntry::getName)
                    .filter(n -> prefixes.stream().anyMatch(n::startsWith) && n.endsWith(".class")
                            && !n.contains("-"))
                    .forEach(n -> {
                        try {
                            Class.forName(n.substring(0, n.length() - 6).replace('/', '.'), false, cl);
                        } catch (ClassNotFoundException | LinkageError e) {
                            // optional parts of the driver (OSGi, JNA): not needed at run time either
                        }
                    });
        } catch (java.io.IOException | java.net.URISyntaxException | RuntimeException e) {
            // only a faster start is lost
        }
    }

    /** A failure before the context exists: only standard error is there to say it. */
    private static int early(Throwable t) {
        if (t instanceof OutOfMemoryError || ResourceExhaustion.tooManyOpenFiles(t) || ResourceExhaustion.diskFull(t)) {
            List<String> lines = t instanceof OutOfMemoryError ? List.of("error: minsky ran out of memory before it could start",
                    "  hint: give Java more memory, e.g. MINSKY_JAVA_OPTS=-Xmx2g ./minsky ...")
                    : ResourceExhaustion.tooManyOpenFiles(t) ? ResourceExhaustion.tooManyOpenFilesMessage()
                    : ResourceExhaustion.diskFullMessage();
            lines.forEach(System.err::println);
            return ExitCode.INCOMPLETE;
        }
        System.err.println("error: internal error: " + t);
        System.err.println("  hint: this is a bug in minsky; report it with 'minsky doctor --bundle'");
        return ExitCode.INTERNAL;
    }

    public static int run(AppContext ctx, String... args) {
        try {
            return runCommand(ctx, args);
        } catch (OutOfMemoryError e) {
            return outOfMemory(ctx);
        } catch (Throwable t) {
            // building the command line loads and initialises classes from the jar: with no descriptor
            // left that fails as an Error or a TypeNotPresentException, outside picocli's handler
            if (ResourceExhaustion.tooManyOpenFiles(t)) {
                ResourceExhaustion.tooManyOpenFilesMessage().forEach(ctx.err()::println);
                return ExitCode.INCOMPLETE;
            }
            if (ResourceExhaustion.diskFull(t)) {
                ResourceExhaustion.diskFullMessage().forEach(ctx.err()::println);
                return ExitCode.INCOMPLETE;
            }
            ctx.err().println("error: internal error: " + t);
            ctx.err().println("  hint: this is a bug in minsky; run again with --stacktrace and report it with 'minsky doctor --bundle'");
            if (java.util.Arrays.asList(args).contains("--stacktrace")) {
                ctx.err().println(stackTrace(t));
            }
            return ExitCode.INTERNAL;
        }
    }

    /** The whole command tree for {@code ctx}, its help set up (examples, defaults, width). */
    public static CommandLine commandLine(AppContext ctx) {
        return MinskyCommand.commandLine(ctx);
    }

    private static int runCommand(AppContext given, String... args) {
        // the process's own environment goes with the process's own streams, whose charset then counts too
        AppContext ctx = dev.minsky.util.Glyphs.asciiOnly(given.env(), given.env() == System.getenv())
                ? new AppContext(given.env(), given.cwd(), dev.minsky.util.Glyphs.asciiStream(given.out()),
                        dev.minsky.util.Glyphs.asciiStream(given.err()), given.in(), given.interactive(), given.clock())
                : given;
        CommandLine cl = MinskyCommand.commandLine(ctx, args);
        MinskyCommand root = cl.getCommand();
        cl.setOut(new PrintWriter(ctx.out(), true));
        cl.setErr(new PrintWriter(ctx.err(), true));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> handle(ctx, root, ex));
        cl.setParameterExceptionHandler((ex, args2) -> {
            CommandLine c = ex.getCommandLine();
            ctx.err().println("error: " + ex.getMessage() + dev.minsky.cli.HelpSetup.suggestion(ex));
            ctx.err().println("  hint: see '" + c.getCommandSpec().qualifiedName() + " --help'");
            return ExitCode.BAD_INPUT;
        });
        CommandName.set(cl, args); // e.g. PostgreSQL's application_name "minsky <command>"
        int code;
        try {
            code = cl.execute(args);
            ctx.out().flush();
        } catch (StdoutClosed e) {
            // the reader has all it wanted (`minsky session list | head -1`): stop at once, as git does
            return ExitCode.OK;
        } catch (OutOfMemoryError e) {
            // picocli hands only Exceptions to the handler: without this an Error is a raw JVM trace
            code = outOfMemory(ctx);
        } catch (StackOverflowError e) {
            ctx.err().println("error: internal error: the stack overflowed");
            ctx.err().println("  hint: this is a bug in minsky; report it with 'minsky doctor --bundle'");
            code = ExitCode.INTERNAL;
        } catch (LinkageError e) {
            // a class that could not be loaded or initialised while the command ran (descriptors gone)
            if (!ResourceExhaustion.tooManyOpenFiles(e)) {
                throw e;
            }
            ResourceExhaustion.tooManyOpenFilesMessage().forEach(ctx.err()::println);
            code = ExitCode.INCOMPLETE;
        }
        return code;
    }

    static int handle(AppContext ctx, MinskyCommand root, Exception ex) {
        MinskyLog log = root.log();
        boolean trace = root.stacktrace() || log.debugEnabled();
        for (Throwable c = ex; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof OutOfMemoryError) {
                // a worker thread's OOM arrives wrapped (CompletionException, ExecutionException)
                return outOfMemory(ctx);
            }
        }
        boolean emfile = ResourceExhaustion.tooManyOpenFiles(ex);
        if (emfile || ResourceExhaustion.diskFull(ex, ctx.paths().stateDir())) {
            // whatever the code that met it thought it was, running out of descriptors or disk is "could not complete"
            (emfile ? ResourceExhaustion.tooManyOpenFilesMessage() : ResourceExhaustion.diskFullMessage()).forEach(ctx.err()::println);
            if (ex.getMessage() != null) {
                ctx.err().println("  caused by: " + log.scrub(ex.getMessage()));
            }
            try {
                log.error("cli", (emfile ? "out of open files: " : "disk full: ") + ex);
            } catch (RuntimeException | Error e) {
                // the log needs a descriptor or a byte of disk too
            }
            if (trace) {
                ctx.err().println(log.scrub(stackTrace(ex)));
            }
            return ExitCode.INCOMPLETE;
        }
        if (ex instanceof MinskyException me) {
            ctx.err().println("error: " + log.scrub(me.getMessage()));
            for (Throwable c = me.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
                if (c.getMessage() != null && !me.getMessage().contains(c.getMessage())) {
                    ctx.err().println("  caused by: " + log.scrub(c.getMessage()));
                }
            }
            if (me.hint() != null) {
                ctx.err().println("  hint: " + log.scrub(me.hint()));
            }
            log.error("cli", me.getMessage());
            if (trace) {
                ctx.err().println(log.scrub(stackTrace(me)));
            }
            return me.exitCode();
        }
        ctx.err().println("error: internal error: " + log.scrub(String.valueOf(ex)));
        ctx.err().println("  hint: this is a bug in minsky; run again with --stacktrace and report it with 'minsky doctor --bundle'");
        log.error("cli", "internal error: " + stackTrace(ex));
        if (trace) {
            ctx.err().println(log.scrub(stackTrace(ex)));
        }
        return ExitCode.INTERNAL;
    }

    static int outOfMemory(AppContext ctx) {
        long maxMb = Runtime.getRuntime().maxMemory() / (1024 * 1024);
        ctx.err().println("error: minsky ran out of memory (the Java heap is limited to " + maxMb + " MB); the command did not finish");
        ctx.err().println("  hint: writes are atomic, so the store is as it was before the last write; give Java more memory, "
                + "e.g. MINSKY_JAVA_OPTS=-Xmx2g ./minsky ...");
        return ExitCode.INCOMPLETE;
    }

    private static String stackTrace(Throwable t) {
        StringWriter sw = new StringWriter();
        t.printStackTrace(new PrintWriter(sw));
        return sw.toString();
    }
}
