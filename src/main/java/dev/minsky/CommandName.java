package dev.minsky;

/**
 * The command this process runs, as {@code minsky session start} (the subcommand path, never its
 * arguments, which may hold secrets): what a store names its connections with (PostgreSQL's
 * {@code application_name}). Set by {@link Main} once the command line is parsed; here, below
 * every package, so that Main need not know which store uses it.
 */
public final class CommandName {
    private static volatile String current;

    private CommandName() {}

    /** The command's name, or null before a command line was given. */
    public static String current() {
        return current;
    }

    public static void set(picocli.CommandLine cl, String... args) {
        StringBuilder name = new StringBuilder("minsky");
        picocli.CommandLine at = cl;
        for (String a : args) {
            picocli.CommandLine sub = at.getSubcommands().get(a);
            if (sub == null) {
                if (a.startsWith("-")) {
                    continue;
                }
                break;
            }
            name.append(' ').append(a);
            at = sub;
        }
        // the server keeps 63 bytes; ours are ASCII command names
        current = name.length() > 63 ? name.substring(0, 63) : name.toString();
    }

    /** Forgets the name (a test that runs several commands in one process). */
    public static void clear() {
        current = null;
    }
}
