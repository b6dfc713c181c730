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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code sessions.rebuild-from-workspaces}: adds a record for every workspace directory under
 * {@code <state>/sessions/} that has none, from what the directory itself tells: its name, its git
 * remote and branch when it is a clone, its creation time. Existing records are not touched.
 */
public final class RebuildFromWorkspacesAction extends BuiltinAction {
    private static final Pattern REMOTE = Pattern.compile("\\[remote \"origin\"\\][^\\[]*?url\\s*=\\s*(\\S+)", Pattern.DOTALL);

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
                        + ": session = directory name, repoPath = the directory, repoUrl/branch from its git clone, createdAt = its creation time")
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
            return new Applied("added " + added.size() + " record(s): " + String.join(", ", added.stream().map(SessionRecord::session).toList())
                    + (skipped.isEmpty() ? "" : "; skipped directories that are not valid session names: " + String.join(", ", skipped)),
                    have.size() + added.size());
        }
    }

    static SessionRecord record(Path dir, String name) throws IOException {
        String url = null;
        String branch = null;
        Path git = dir.resolve(".git");
        if (Files.isRegularFile(git.resolve("config"))) {
            Matcher m = REMOTE.matcher(Files.readString(git.resolve("config"), StandardCharsets.UTF_8));
            if (m.find()) {
                url = m.group(1);
            }
        }
        if (Files.isRegularFile(git.resolve("HEAD"))) {
            String head = Files.readString(git.resolve("HEAD"), StandardCharsets.UTF_8).trim();
            if (head.startsWith("ref: refs/heads/")) {
                branch = head.substring("ref: refs/heads/".length());
            }
        }
        String repoUrl = url != null ? url : dir.toString();
        String repoName = repoUrl.replaceAll("[/\\\\]+$", "").replaceAll("\\.git$", "");
        repoName = repoName.substring(Math.max(repoName.lastIndexOf('/'), repoName.lastIndexOf(':')) + 1);
        BasicFileAttributes attrs = Files.readAttributes(dir, BasicFileAttributes.class);
        var created = attrs.creationTime().toMillis() > 0 ? attrs.creationTime() : attrs.lastModifiedTime();
        SessionRecord r = SessionRecord.create(name, repoName.isEmpty() ? "repo" : repoName, repoUrl, created.toInstant())
                .with("createdAt", Timestamps.iso(created.toInstant()))
                .with("repoPath", dir.toString())
                .with("branch", branch != null ? branch : name)
                .with("backendType", url == null ? "local" : url.contains("github.com") ? "github" : "remote");
        return r;
    }

    static String mode(Path p) {
        return Paths2.octal(p);
    }
}
