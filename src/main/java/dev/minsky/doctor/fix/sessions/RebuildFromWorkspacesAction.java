package dev.minsky.doctor.fix.sessions;

import dev.minsky.config.Settings;
import dev.minsky.doctor.fix.ActionPlan;
import dev.minsky.doctor.fix.BuiltinAction;
import dev.minsky.doctor.fix.FixContext;
import dev.minsky.doctor.fix.Paths2;
import dev.minsky.doctor.fix.StoreState;
import dev.minsky.model.SessionRecord;
import dev.minsky.model.Timestamps;
import dev.minsky.session.SessionService;
import dev.minsky.store.SessionQuery;
import dev.minsky.store.SessionStore;
import dev.minsky.store.Stores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code sessions.rebuild-from-workspaces}: adds a record for every workspace directory under
 * {@code <state>/sessions/} that has none, from what the directory itself tells: its name, its git
 * remote, branch and HEAD commit when it is a clone, its creation time. Existing (salvaged, restored)
 * records are never replaced. Rebuilt records carry {@code rebuiltFrom: "workspace"}.
 */
public final class RebuildFromWorkspacesAction extends BuiltinAction {
    public RebuildFromWorkspacesAction() {
        super("sessions.rebuild-from-workspaces");
    }

    @Override
    public ActionPlan plan(FixContext ctx) {
        Settings s = ctx.settings();
        Path dir = s.workspacesDir();
        if (!Files.isDirectory(dir)) {
            return ActionPlan.notApplicable("there is no workspace directory " + dir);
        }
        String names = ctx.text("workspaces.orphaned.names");
        long n = ctx.number("workspaces.orphaned", -1);
        ActionPlan.Builder b = ActionPlan.builder()
                .change("add a record for each workspace under " + dir + " that has none"
                        + (names != null ? " (" + (n >= 0 ? n + ": " : "") + names + ")" : "")
                        + ": session = directory name, repoPath = the directory, createdAt = its creation time, repoUrl/repoName/branch/headCommit"
                        + " from its own .git files; what they do not tell stays empty (never guessed); existing records are kept as they are")
                .changesRecords();
        List<Path> files = StoreState.files(s);
        if (!files.isEmpty()) {
            b.files(files);
        }
        return b.build();
    }

    @Override
    public Applied apply(FixContext ctx, ActionPlan plan) {
        Settings s = ctx.settings();
        try (SessionStore store = Stores.open(s, true)) {
            Set<String> have = new HashSet<>();
            store.list(SessionQuery.ALL).forEach(r -> have.add(r.session()));
            List<SessionRecord> added = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            try (Stream<Path> dirs = Files.list(s.workspacesDir())) {
                for (Path d : dirs.filter(Files::isDirectory).sorted().toList()) {
                    String name = d.getFileName().toString();
                    if (have.contains(name)) {
                        continue;
                    }
                    try {
                        SessionService.checkName(name);
                    } catch (RuntimeException e) {
                        skipped.add(name);
                        continue;
                    }
                    added.add(record(d, name));
                }
            } catch (IOException e) {
                throw new dev.minsky.MinskyException(dev.minsky.ExitCode.INCOMPLETE, "cannot list " + s.workspacesDir() + ": " + e.getMessage(),
                        "check its permissions");
            }
            store.upsertAll(added);
            // "rebuilt:" names them: these records hold only what their workspace told, not the lost originals
            return new Applied("added " + added.size() + " record(s) rebuilt from their workspaces; rebuilt: "
                    + String.join(", ", added.stream().map(SessionRecord::session).toList())
                    + (skipped.isEmpty() ? "" : "; skipped directories that are not valid session names: " + String.join(", ", skipped)),
                    have.size() + added.size());
        }
    }

    /**
     * The record a workspace directory tells, from its own files only: the remote URL from
     * {@code .git/config} ({@code [remote "origin"] url}), the branch from {@code .git/HEAD}, the HEAD
     * commit from the ref it names. What it does not tell stays empty ({@code repoName},
     * {@code repoUrl}: an empty string; {@code taskId}, {@code branch}: absent), never guessed from
     * the directory's name. {@code repoName} comes only from the remote URL.
     */
    static SessionRecord record(Path dir, String name) throws IOException {
        Path git = dir.resolve(".git");
        String url = Files.isRegularFile(git.resolve("config")) ? originUrl(Files.readAllLines(git.resolve("config"), StandardCharsets.UTF_8)) : null;
        String branch = null;
        String commit = null;
        if (Files.isRegularFile(git.resolve("HEAD"))) {
            String head = Files.readString(git.resolve("HEAD"), StandardCharsets.UTF_8).trim();
            if (head.startsWith("ref: ")) {
                String ref = head.substring("ref: ".length()).trim();
                if (ref.startsWith("refs/heads/")) {
                    branch = ref.substring("refs/heads/".length());
                }
                commit = resolveRef(git, ref);
            } else if (head.matches("[0-9a-f]{40}([0-9a-f]{24})?")) {
                commit = head; // detached HEAD: no branch
            }
        }
        String repoName = url == null ? "" : repoNameOf(url);
        BasicFileAttributes attrs = Files.readAttributes(dir, BasicFileAttributes.class);
        var created = attrs.creationTime().toMillis() > 0 ? attrs.creationTime() : attrs.lastModifiedTime();
        SessionRecord r = SessionRecord.create(name, repoName, url == null ? "" : url, created.toInstant())
                .with("repoPath", dir.toString())
                .with(SessionRecord.REBUILT_FROM, "workspace");
        if (branch != null) {
            r = r.with("branch", branch);
        }
        if (commit != null) {
            r = r.with("headCommit", commit);
        }
        if (url != null) {
            r = r.with("backendType", url.contains("github.com") ? "github" : "remote");
        }
        return r;
    }

    /** The {@code url} of {@code [remote "origin"]} in a git config file, or null. */
    static String originUrl(List<String> lines) {
        boolean inOrigin = false;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.startsWith("[")) {
                inOrigin = line.replaceAll("\\s+", " ").equals("[remote \"origin\"]");
                continue;
            }
            if (inOrigin) {
                int eq = line.indexOf('=');
                if (eq > 0 && line.substring(0, eq).strip().equalsIgnoreCase("url")) {
                    String v = line.substring(eq + 1).strip();
                    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                        v = v.substring(1, v.length() - 1);
                    }
                    return v.isEmpty() ? null : v;
                }
            }
        }
        return null;
    }

    /** The last path segment of a remote URL without {@code .git}: {@code git@host:o/minsky.git} gives {@code minsky}. */
    static String repoNameOf(String url) {
        String n = url.replaceAll("[/\\\\]+$", "").replaceAll("\\.git$", "");
        return n.substring(Math.max(n.lastIndexOf('/'), n.lastIndexOf(':')) + 1);
    }

    /** The commit a ref points at, from its loose file or {@code packed-refs}; null when neither has it (a branch with no commit yet). */
    static String resolveRef(Path git, String ref) throws IOException {
        Path loose = git.resolve(ref);
        if (loose.normalize().startsWith(git) && Files.isRegularFile(loose)) {
            String v = Files.readString(loose, StandardCharsets.UTF_8).trim();
            return v.matches("[0-9a-f]{40}([0-9a-f]{24})?") ? v : null;
        }
        Path packed = git.resolve("packed-refs");
        if (Files.isRegularFile(packed)) {
            for (String line : Files.readAllLines(packed, StandardCharsets.UTF_8)) {
                String[] parts = line.strip().split(" ");
                if (parts.length == 2 && parts[1].equals(ref) && parts[0].matches("[0-9a-f]{40}([0-9a-f]{24})?")) {
                    return parts[0];
                }
            }
        }
        return null;
    }

    static String mode(Path p) {
        return Paths2.octal(p);
    }
}
