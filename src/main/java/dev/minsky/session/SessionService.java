package dev.minsky.session;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.backup.Backups;
import dev.minsky.config.Settings;
import dev.minsky.model.SessionRecord;
import dev.minsky.model.Timestamps;
import dev.minsky.store.SessionQuery;
import dev.minsky.store.SessionStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/** What the {@code session} commands do, independent of the backend. */
public final class SessionService {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._#@+-]{0,199}");

    private final Settings settings;
    private final SessionStore store;
    private final Clock clock;

    public SessionService(Settings settings, SessionStore store, Clock clock) {
        this.settings = settings;
        this.store = store;
        this.clock = clock;
    }

    public static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches() || name.contains("..")) {
            throw MinskyException.badInput("invalid session name '" + name + "'",
                    "use letters, digits and . _ # @ + - (no slashes), starting with a letter or digit");
        }
    }

    /** The workspace directory of a session. */
    public Path workspace(String name) {
        return settings.workspacesDir().resolve(name);
    }

    public SessionRecord start(String name, String taskId, String repo, String branch, Path cwd) {
        checkName(name);
        String repoUrl = repo != null ? repo : cwd.toAbsolutePath().toString();
        String repoName = repoName(repoUrl);
        SessionRecord r = SessionRecord.create(name, repoName, repoUrl, clock.instant())
                .with("branch", branch != null ? branch : name)
                .with("repoPath", workspace(name).toString())
                .with("backendType", backendType(repoUrl));
        if (taskId != null) {
            r = r.with("taskId", taskId);
        }
        if (store.get(name).isPresent()) {
            throw MinskyException.badInput("session '" + name + "' already exists",
                    "choose another name, or 'minsky session get " + name + "' to see it");
        }
        try {
            dev.minsky.util.PrivateFiles.createDirectories(workspace(name));
        } catch (IOException e) {
            throw new MinskyException(ExitCode.INCOMPLETE, "cannot create the workspace " + workspace(name) + ": " + e.getMessage(),
                    "nothing was recorded; check that " + settings.workspacesDir() + " is writable");
        }
        store.insert(r);
        return r;
    }

    static String repoName(String repoUrl) {
        String s = repoUrl.replaceAll("[/\\\\]+$", "");
        if (s.endsWith(".git")) {
            s = s.substring(0, s.length() - 4);
        }
        int cut = Math.max(s.lastIndexOf('/'), s.lastIndexOf(':'));
        String name = cut >= 0 ? s.substring(cut + 1) : s;
        return name.isEmpty() ? "repo" : name;
    }

    static String backendType(String repoUrl) {
        if (repoUrl.contains("github.com")) {
            return "github";
        }
        if (repoUrl.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") || repoUrl.matches("^[^/]+@[^:]+:.*")) {
            return "remote";
        }
        return "local";
    }

    public SessionRecord get(String name) {
        return store.get(name).orElseThrow(() -> MinskyException.badInput("no session named '" + name + "'",
                "'minsky session list' shows the sessions"));
    }

    public SessionRecord end(String name) {
        SessionRecord r = get(name);
        if (r.ended()) {
            return r;
        }
        SessionRecord ended = r.with(SessionRecord.ENDED_AT, Timestamps.iso(clock.instant()));
        store.update(ended);
        return ended;
    }

    /** Ends every open session; returns how many were ended. */
    public int endAll() {
        List<SessionRecord> open = store.list(SessionQuery.ALL).stream().filter(r -> !r.ended()).toList();
        String now = Timestamps.iso(clock.instant());
        store.upsertAll(open.stream().map(r -> r.with(SessionRecord.ENDED_AT, now)).toList());
        return open.size();
    }

    /**
     * Removes the record, then moves its workspace aside (see {@link #moveWorkspacesAside}).
     *
     * @return where the workspace went, or null when it had none under the state directory
     */
    public WorkspacesMoved delete(String name) {
        SessionRecord r = get(name);
        store.delete(name);
        return moveWorkspacesAside(List.of(r));
    }

    /** Sessions that {@code clean --older-than} would remove: created before the cut-off. */
    public List<SessionRecord> cleanCandidates(Duration olderThan) {
        Instant cut = clock.instant().minus(olderThan);
        return store.list(SessionQuery.ALL).stream()
                .filter(r -> r.createdInstant() != null && r.createdInstant().isBefore(cut))
                .toList();
    }

    /**
     * The result of a clean: what was removed, the backup taken first (null when nothing was
     * removed) and where their workspaces went.
     */
    public record CleanResult(List<SessionRecord> removed, Backups.Backup backup, WorkspacesMoved workspaces) {}

    /**
     * Workspaces moved out of {@code <state>/sessions/} after their records were removed.
     *
     * @param dir the folder they went to, or null when none was moved
     * @param moved how many were moved
     * @param left the workspaces that could not be moved, with the reason (they stay where they were)
     */
    public record WorkspacesMoved(Path dir, int moved, List<String> left) {
        static final WorkspacesMoved NONE = new WorkspacesMoved(null, 0, List.of());

        /** One clause for the user, empty when there is nothing to say. */
        public String describe() {
            String s = moved == 0 ? "" : (moved == 1 ? "its workspace was" : moved + " workspaces were") + " moved to " + dir
                    + " (delete that folder once you no longer need it)";
            if (!left.isEmpty()) {
                s += (s.isEmpty() ? "" : "; ") + "left in place: " + String.join(", ", left);
            }
            return s;
        }
    }

    /** Where the workspaces of removed sessions are kept: {@code <state>/removed-workspaces/}. */
    public static Path removedWorkspacesRoot(Settings settings) {
        return settings.stateDir().resolve("removed-workspaces");
    }

    public CleanResult clean(Duration olderThan) {
        return clean(olderThan, null);
    }

    /** As {@link #clean(Duration)}, moving the workspaces into {@code workspacesDest} (null: a new folder of the default root). */
    public CleanResult clean(Duration olderThan, Path workspacesDest) {
        List<SessionRecord> victims = cleanCandidates(olderThan);
        if (victims.isEmpty()) {
            return new CleanResult(victims, null, WorkspacesMoved.NONE);
        }
        Backups.Backup b = Backups.create(settings, store, clock);
        store.deleteAll(victims.stream().map(SessionRecord::session).toList());
        return new CleanResult(victims, b, moveWorkspacesAside(victims, workspacesDest));
    }

    /**
     * Moves the workspaces {@code <state>/sessions/<name>} of sessions whose records are gone into
     * {@code <state>/removed-workspaces/<UTC time>/<name>}: nothing in them is lost, and a workspace
     * without a record is not left where the doctor would take it for an orphan to rebuild. Only
     * workspaces under the state directory are moved; a rename within one directory tree, so no
     * copy. A workspace that cannot be moved stays where it was and is reported.
     */
    public WorkspacesMoved moveWorkspacesAside(List<SessionRecord> removed) {
        return moveWorkspacesAside(removed, null);
    }

    private WorkspacesMoved moveWorkspacesAside(List<SessionRecord> removed, Path into) {
        Path root = settings.workspacesDir().toAbsolutePath().normalize();
        Path dest = into != null ? into : removedWorkspacesRoot(settings).resolve(Timestamps.fileStampMillis(clock.instant()));
        int moved = 0;
        List<String> left = new java.util.ArrayList<>();
        for (SessionRecord r : removed) {
            Path ws = root.resolve(r.session()).normalize();
            if (!ws.getParent().equals(root) || !Files.isDirectory(ws, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try {
                dev.minsky.util.PrivateFiles.createDirectories(dest);
                Files.move(ws, dest.resolve(r.session()), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                moved++;
            } catch (IOException e) {
                left.add(ws + " (" + e.getMessage() + ")");
            }
        }
        return new WorkspacesMoved(moved == 0 ? null : dest, moved, left);
    }

    /**
     * Puts back workspaces that {@link #clean(Duration, Path)} moved into {@code from} (for an undo):
     * each goes back to {@code <state>/sessions/<name>} unless something is there already.
     *
     * @return the names that could not go back, with the reason
     */
    public static List<String> restoreWorkspaces(Settings settings, Path from) throws IOException {
        List<String> left = new java.util.ArrayList<>();
        if (!Files.isDirectory(from)) {
            return left;
        }
        Path root = settings.workspacesDir();
        try (java.util.stream.Stream<Path> s = Files.list(from)) {
            for (Path ws : s.toList()) {
                Path back = root.resolve(ws.getFileName().toString());
                if (Files.exists(back, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    left.add(ws + " (" + back + " exists)");
                    continue;
                }
                dev.minsky.util.PrivateFiles.createDirectories(root);
                Files.move(ws, back, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        }
        if (left.isEmpty()) {
            Files.deleteIfExists(from);
        }
        return left;
    }
}
