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
            Files.createDirectories(workspace(name));
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

    public void delete(String name) {
        get(name);
        store.delete(name);
    }

    /** Sessions that {@code clean --older-than} would remove: created before the cut-off. */
    public List<SessionRecord> cleanCandidates(Duration olderThan) {
        Instant cut = clock.instant().minus(olderThan);
        return store.list(SessionQuery.ALL).stream()
                .filter(r -> r.createdInstant() != null && r.createdInstant().isBefore(cut))
                .toList();
    }

    /** The result of a clean: what was removed and the backup taken first (null when nothing was removed). */
    public record CleanResult(List<SessionRecord> removed, Backups.Backup backup) {}

    public CleanResult clean(Duration olderThan) {
        List<SessionRecord> victims = cleanCandidates(olderThan);
        if (victims.isEmpty()) {
            return new CleanResult(victims, null);
        }
        Backups.Backup b = Backups.create(settings, store, clock);
        store.deleteAll(victims.stream().map(SessionRecord::session).toList());
        return new CleanResult(victims, b);
    }
}
