package dev.minsky.cli;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.model.SessionJson;
import dev.minsky.model.SessionRecord;
import dev.minsky.session.Durations;
import dev.minsky.session.SessionService;
import dev.minsky.store.SessionQuery;
import dev.minsky.store.SessionStore;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code minsky session start|list|get|end|delete|clean}. */
@Command(name = "session", description = "Start, list, end and remove sessions.")
public final class SessionCommand extends BaseCommand implements CommandGroup {
    /** The subcommands in the order help lists them (not in the annotation: see {@link CommandGroup}). */
    private static final Map<String, Class<?>> SUBCOMMANDS = CommandGroup.inOrder(
            Map.entry("start", Start.class),
            Map.entry("list", ListSessions.class),
            Map.entry("get", Get.class),
            Map.entry("end", End.class),
            Map.entry("delete", Delete.class),
            Map.entry("clean", Clean.class));

    @Override
    public Map<String, Class<?>> subcommands() {
        return SUBCOMMANDS;
    }

    @Override
    protected int execute() {
        spec.commandLine().usage(out());
        return ExitCode.OK;
    }

    abstract static class StoreCommand extends BaseCommand {
        /** Runs with the store open and closes it after. */
        protected int withStore(boolean write, java.util.function.Function<SessionService, Integer> body) {
            return withStore(write, true, body);
        }

        protected int withStore(boolean write, boolean writes, java.util.function.Function<SessionService, Integer> body) {
            if (!writes) {
                try (SessionStore store = root().openStore(false)) {
                    return body.apply(new SessionService(root().settings(), store, ctx().clock()));
                }
            }
            // a command that writes (start, end, delete, clean): not while a migration copies and switches the
            // store, and to the backend configured once it is done (the config is read again under the lock).
            // The lock files are made by the first write of a state directory; before making them, make sure the
            // store can be read at all, so that a command refused for a broken store leaves the directory as it was.
            java.nio.file.Path stateDir = root().settings().stateDir();
            if (!java.nio.file.Files.exists(stateDir.resolve(dev.minsky.util.StoreSwitchLock.FILE))) {
                try (SessionStore store = root().openStore(write)) {
                    store.count();
                }
            }
            try (dev.minsky.util.FileLocks.Held noSwitch = dev.minsky.util.StoreSwitchLock.forWrite(stateDir)) {
                root().reloadConfig();
                try (SessionStore store = root().openStore(write)) {
                    return body.apply(new SessionService(root().settings(), store, ctx().clock()));
                }
            }
        }
    }

    @Command(name = "start", description = "Record a new session and create its workspace.")
    static final class Start extends StoreCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--task", paramLabel = "ID", description = "Task id, e.g. md#123.")
        String task;

        @Option(names = "--repo", paramLabel = "URL|PATH", description = "Repository (default: the current directory).")
        String repo;

        @Option(names = "--branch", paramLabel = "B", description = "Branch (default: the session name).")
        String branch;

        @Option(names = "--json", description = "Print the new record as JSON.")
        boolean json;

        @Override
        protected int execute() {
            return withStore(true, svc -> {
                SessionRecord r = svc.start(name, task, repo, branch, ctx().cwd());
                root().log().info("sessiondb", "started session " + name);
                if (json) {
                    printJson(r.toJson());
                } else {
                    out().println("Started session " + name + " in " + r.repoPath());
                }
                return ExitCode.OK;
            });
        }
    }

    @Command(name = "list", description = "List sessions, oldest first.")
    static final class ListSessions extends StoreCommand {
        @Option(names = "--detailed", description = "Show repository, workspace and PR details.")
        boolean detailed;

        @Option(names = "--limit", paramLabel = "N", description = "At most N sessions (default: all of them).")
        Integer limit;

        @Option(names = "--offset", paramLabel = "N", defaultValue = "0", description = "Skip the first N.")
        int offset;

        @Option(names = "--task", paramLabel = "ID", description = "Only sessions of this task.")
        String task;

        @Option(names = "--json", description = "Print a JSON array of records (the export format).")
        boolean json;

        @Override
        protected int execute() {
            if ((limit != null && limit < 0) || offset < 0) {
                throw MinskyException.badInput("--limit and --offset must be 0 or more", "e.g. --limit 50 --offset 0");
            }
            SessionQuery query = new SessionQuery(task, limit, offset);
            try (SessionStore store = root().openStore(false)) {
                // Printed as read, so that `session list | head` ends when head has what it wants
                if (json) {
                    SessionJson.writeTo(out(), sink -> store.each(query, sink));
                    out().println();
                    return ExitCode.OK;
                }
                long[] shown = {0};
                store.each(query, r -> {
                    if (shown[0]++ == 0) {
                        out().printf("%-28s %-12s %-24s %-8s %s%n", "SESSION", "TASK", "BRANCH", "STATUS", "CREATED");
                    }
                    out().printf("%-28s %-12s %-24s %-8s %s%n", r.session(), nz(r.taskId()), nz(r.branch()),
                            r.ended() ? "ended" : "active", r.createdAt());
                    if (detailed) {
                        out().println("    repo:      " + r.repoName() + "  " + dev.minsky.util.Secrets.mask(r.repoUrl()));
                        out().println("    workspace: " + nz(r.repoPath()));
                        if (r.text("prBranch") != null) {
                            out().println("    pr branch: " + r.text("prBranch") + (r.field("prApproved") != null ? "  approved: " + r.text("prApproved") : ""));
                        }
                    }
                });
                if (shown[0] == 0) {
                    out().println("No sessions.");
                }
                return ExitCode.OK;
            }
        }
    }

    static String nz(String s) {
        return s == null ? "-" : s;
    }

    @Command(name = "get", description = "Show one session.")
    static final class Get extends StoreCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--json", description = "Print the record as JSON.")
        boolean json;

        @Override
        protected int execute() {
            return withStore(false, false, svc -> {
                SessionRecord r = svc.get(name);
                if (json) {
                    printJson(r.toJson());
                } else {
                    var it = r.toJson().fields();
                    while (it.hasNext()) {
                        var e = it.next();
                        String v = e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString();
                        out().printf("%-12s %s%n", e.getKey() + ":", "repoUrl".equals(e.getKey()) ? dev.minsky.util.Secrets.mask(v) : v);
                    }
                }
                return ExitCode.OK;
            });
        }
    }

    @Command(name = "end", description = "Mark a session ended (the record is kept for history).")
    static final class End extends StoreCommand {
        @ArgGroup(multiplicity = "1")
        Target target;

        static final class Target {
            @Parameters(paramLabel = "NAME")
            String name;

            @Option(names = "--all", description = "End every active session.")
            boolean all;
        }

        @Override
        protected int execute() {
            return withStore(false, svc -> {
                if (target.all) {
                    int n = svc.endAll();
                    root().log().info("sessiondb", "ended " + n + " sessions");
                    out().println("Ended " + n + " session" + (n == 1 ? "" : "s") + ".");
                } else {
                    svc.end(target.name);
                    root().log().info("sessiondb", "ended session " + target.name);
                    out().println("Ended session " + target.name + ".");
                }
                return ExitCode.OK;
            });
        }
    }

    @Command(name = "delete", description = {"Remove a session record.",
            "Its workspace is moved to <state>/removed-workspaces/<UTC time>/ (nothing in it is deleted)."})
    static final class Delete extends StoreCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        protected int execute() {
            return withStore(false, svc -> {
                SessionService.WorkspacesMoved ws = svc.delete(name);
                root().log().info("sessiondb", "deleted session " + name);
                String where = ws.describe();
                out().println("Deleted session " + name + "." + (where.isEmpty() ? "" : " " + Character.toUpperCase(where.charAt(0))
                        + where.substring(1) + "."));
                return ExitCode.OK;
            });
        }
    }

    @Command(name = "clean", description = {"Remove sessions older than a given age, after a verified backup.",
            "Their workspaces are moved to <state>/removed-workspaces/<UTC time>/ (nothing in them is deleted)."})
    static final class Clean extends StoreCommand {
        @Option(names = "--older-than", required = true, paramLabel = "AGE", description = "e.g. 30d, 12h, 2w.")
        String olderThan;

        @Option(names = "--dry-run", description = "Only list what would be removed.")
        boolean dryRun;

        @Option(names = "--json", description = "Print the removed (or, with --dry-run, removable) records as JSON.")
        boolean json;

        @Override
        protected int execute() {
            java.time.Duration age = Durations.parse(olderThan);
            return withStore(false, svc -> {
                List<SessionRecord> victims;
                String backup = null;
                String moved = "";
                if (dryRun) {
                    victims = svc.cleanCandidates(age);
                } else {
                    SessionService.CleanResult r = svc.clean(age);
                    victims = r.removed();
                    backup = r.backup() == null ? null : r.backup().file().toString();
                    moved = r.workspaces().describe();
                    root().log().info("sessiondb", "clean --older-than " + olderThan + " removed " + victims.size()
                            + (backup != null ? " (backup " + backup + ")" : ""));
                }
                if (json) {
                    SessionJson.writeTo(out(), victims);
                    out().println();
                } else {
                    for (SessionRecord v : victims) {
                        out().println((dryRun ? "would remove " : "removed ") + v.session() + " (created " + v.createdAt() + ")");
                    }
                    out().println((dryRun ? "Would remove " : "Removed ") + victims.size() + " session" + (victims.size() == 1 ? "" : "s")
                            + (backup != null ? "; backup: " + backup : "") + (moved.isEmpty() ? "" : "; " + moved) + ".");
                }
                return ExitCode.OK;
            });
        }
    }
}
