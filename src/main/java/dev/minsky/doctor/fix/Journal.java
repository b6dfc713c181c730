package dev.minsky.doctor.fix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.model.SessionJson;
import dev.minsky.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The record of one {@code doctor --fix} run under {@code <state>/doctor/journal/<id>/}:
 * {@code journal.json} says what each step changed and how it ended (this class: the document, its
 * steps and its state), and {@code step-N/} holds a verified copy of every file as it was before
 * that step ({@link FileSnapshots}: the copies and putting them back). Rollback and {@code --undo} put those
 * copies back. Nothing is written until the first step is about to change something, so a run
 * that changes nothing (or {@code --dry-run}) leaves no trace.
 */
public final class Journal {
    static final String FILE = "journal.json";

    private final Path dir;
    private final ObjectNode doc;

    private Journal(Path dir, ObjectNode doc) {
        this.dir = dir;
        this.doc = doc;
    }

    public static Path root(Path stateDir) {
        return stateDir.resolve("doctor").resolve("journal");
    }

    /**
     * Serializes fixes and undos between processes: two of them interleaving their steps could
     * restore each other's files. Taken only when something is about to change.
     */
    public static dev.minsky.util.FileLocks.Held lock(Path stateDir) {
        try {
            return dev.minsky.util.FileLocks.acquire(root(stateDir).resolveSibling("fix.lock"), java.time.Duration.ofSeconds(5));
        } catch (MinskyException e) {
            if (!String.valueOf(e.getMessage()).contains("could not obtain the lock")) {
                throw e;
            }
            throw new MinskyException(ExitCode.INCOMPLETE, "another 'minsky doctor --fix' or '--undo' is running (" + e.getMessage() + ")",
                    "nothing was changed; wait for it to finish and run this again", e);
        }
    }

    /** Creates a new journal directory; throws INCOMPLETE when it cannot be written (nothing was changed yet). */
    public static Journal create(Path stateDir, Clock clock) {
        Path root = root(stateDir);
        String base = dev.minsky.model.Timestamps.fileStampMillis(clock.instant());
        Path dir = root.resolve(base);
        for (int i = 1; Files.exists(dir); i++) {
            dir = root.resolve(base + "-" + i);
        }
        ObjectNode doc = SessionJson.mapper().createObjectNode();
        doc.put("id", dir.getFileName().toString());
        doc.put("createdAt", clock.instant().toString());
        doc.put("state", JournalState.OPEN.json());
        doc.putArray("steps");
        Journal j = new Journal(dir, doc);
        List<Path> made = Paths2.missingDirs(dir);
        try {
            dev.minsky.util.PrivateFiles.createDirectories(dir);
            j.save();
        } catch (IOException e) {
            // a full disk may allow the directories but not the file: leave no empty journal behind
            java.util.Collections.reverse(made);
            for (Path d : made) {
                try {
                    Files.deleteIfExists(d);
                } catch (IOException ignored) {
                    // not empty or not removable: harmless
                }
            }
            throw new MinskyException(ExitCode.INCOMPLETE, "cannot write the fix journal in " + root + ": " + e.getMessage(),
                    "nothing was changed; the state directory must be writable for 'minsky doctor --fix' to keep its undo record", e);
        }
        return j;
    }

    /** The journal with this id, or the newest one that still has changes to undo when id is null. */
    public static Journal load(Path stateDir, String id) {
        Path root = root(stateDir);
        if (id != null) {
            if (!id.matches("[0-9A-Za-z.:_-]+")) {
                throw MinskyException.badInput("invalid fix id '" + id + "'", "'minsky doctor --undo' without an id undoes the newest fix");
            }
            Path dir = root.resolve(id);
            if (!Files.isRegularFile(dir.resolve(FILE))) {
                throw MinskyException.badInput("no recorded fix with id '" + id + "' in " + root,
                        "the ids are the directory names in " + root);
            }
            return read(dir);
        }
        List<Journal> all = new ArrayList<>();
        if (Files.isDirectory(root)) {
            try (Stream<Path> s = Files.list(root)) {
                for (Path d : s.filter(p -> Files.isRegularFile(p.resolve(FILE))).toList()) {
                    all.add(read(d));
                }
            } catch (IOException e) {
                throw new MinskyException(ExitCode.INCOMPLETE, "cannot read the fix journal " + root + ": " + e.getMessage(),
                        "check the permissions of " + root);
            }
        }
        all.sort(java.util.Comparator.comparing(Journal::created).thenComparing(Journal::id).reversed());
        return all.stream().filter(Journal::undoable).findFirst().orElseThrow(() -> MinskyException.badInput(
                "there is no fix to undo in " + root, "'minsky doctor --fix' records each fix it applies there"));
    }

    private static Journal read(Path dir) {
        try {
            return new Journal(dir, (ObjectNode) SessionJson.mapper().readTree(dir.resolve(FILE).toFile()));
        } catch (IOException | ClassCastException e) {
            throw new MinskyException(ExitCode.INCOMPLETE, "cannot read the fix journal " + dir.resolve(FILE) + ": " + e.getMessage(),
                    "the copies of the files before the fix are in " + dir + "; restore them by hand");
        }
    }

    private java.time.Instant created() {
        try {
            return java.time.Instant.parse(doc.path("createdAt").asText());
        } catch (java.time.format.DateTimeParseException e) {
            return java.time.Instant.EPOCH;
        }
    }

    /** Removes a journal that has no step yet. */
    void discard() {
        try {
            Files.deleteIfExists(dir.resolve(FILE));
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // an empty journal is harmless
        }
    }

    public String id() {
        return doc.path("id").asText();
    }

    public Path dir() {
        return dir;
    }

    public String state() {
        return doc.path("state").asText();
    }

    /** The state as written, or null for one this minsky does not know. */
    public JournalState journalState() {
        return JournalState.of(state());
    }

    /** True when a step is still applied (not rolled back, not undone). */
    public boolean undoable() {
        return journalState() != JournalState.UNDONE && steps().stream().anyMatch(s -> s.outcome() == FixResult.APPLIED);
    }

    public List<Step> steps() {
        List<Step> out = new ArrayList<>();
        for (JsonNode n : doc.withArray("steps")) {
            out.add(new Step((ObjectNode) n));
        }
        return out;
    }

    void markUndone(Clock clock) {
        doc.put("state", JournalState.UNDONE.json());
        doc.put("undoneAt", clock.instant().toString());
        saveOrThrow();
    }

    private void save() throws IOException {
        AtomicFiles.write(dir.resolve(FILE), SessionJson.mapper().writeValueAsBytes(doc), "rw-------");
    }

    void saveOrThrow() {
        try {
            save();
        } catch (IOException e) {
            throw new MinskyException(ExitCode.INCOMPLETE, "cannot update the fix journal " + dir.resolve(FILE) + ": " + e.getMessage(),
                    "check free space and permissions of " + dir);
        }
    }

    /**
     * Records a step and copies every file the plan names, verifying each copy by checksum. Throws
     * INCOMPLETE when a copy cannot be made or verified: nothing has been changed then.
     */
    public Step begin(String action, String cause, String safety, ActionPlan plan) {
        ArrayNode steps = doc.withArray("steps");
        int n = steps.size() + 1;
        ObjectNode s = steps.addObject();
        s.put("n", n);
        s.put("action", action);
        s.put("cause", cause);
        s.put("safety", safety);
        s.put("result", FixResult.STARTED.json());
        ArrayNode changes = s.putArray("changes");
        plan.changes().forEach(changes::add);
        ObjectNode params = s.putObject("params");
        plan.params().forEach(params::put);
        s.put("changesRecords", plan.changesRecords());
        s.put("keepsSessions", plan.keepsSessions());
        Path stepDir = dir.resolve("step-" + n);
        try {
            dev.minsky.util.PrivateFiles.createDirectories(stepDir);
            ArrayNode files = s.putArray("files");
            int i = 0;
            for (Path p : plan.files()) {
                files.add(FileSnapshots.snapshot(dir, p, stepDir, i++));
            }
            ArrayNode modes = s.putArray("modes");
            for (Path p : plan.modes()) {
                modes.add(FileSnapshots.snapshot(dir, p, null, -1));
            }
            save();
        } catch (IOException e) {
            s.put("result", FixResult.FAILED.json());
            s.put("detail", "could not copy the files first: " + e.getMessage());
            try {
                save();
            } catch (IOException ignored) {
                // the journal directory itself is failing; the exception below says so
            }
            throw new MinskyException(ExitCode.INCOMPLETE, "cannot copy the files into the fix journal " + stepDir + ": " + e.getMessage(),
                    "nothing was changed; free space or fix permissions in " + dir.getParent(), e);
        }
        return new Step(s);
    }

    /** The SHA-256 of these bytes in hex, as the journal records each copy's ({@link FileSnapshots}). */
    static String sha256(byte[] data) {
        return FileSnapshots.sha256(data);
    }

    /** One action's record in the journal. */
    public final class Step {
        private final ObjectNode node;

        Step(ObjectNode node) {
            this.node = node;
        }

        public int n() {
            return node.path("n").asInt();
        }

        public String action() {
            return node.path("action").asText();
        }

        public String cause() {
            return node.path("cause").asText(null);
        }

        public String result() {
            return node.path("result").asText();
        }

        /** The result as written, or null for one this minsky does not know. */
        public FixResult outcome() {
            return FixResult.of(result());
        }

        public String backup() {
            return node.path("backup").asText(null);
        }

        /** True when at least one file existed and was copied. */
        public boolean copiedAny() {
            return FileSnapshots.copiedAny(node.withArray("files"));
        }

        /** Where this step's file copies are. */
        public Path copies() {
            return dir.resolve("step-" + n());
        }

        public List<String> sessionsAfter() {
            JsonNode a = node.get("sessionsAfter");
            if (a == null || !a.isArray()) {
                return null;
            }
            List<String> out = new ArrayList<>();
            a.forEach(x -> out.add(x.asText()));
            return out;
        }

        /** The plan as recorded (for undo). */
        public ActionPlan plan() {
            List<String> changes = new ArrayList<>();
            node.withArray("changes").forEach(c -> changes.add(c.asText()));
            List<Path> files = new ArrayList<>();
            node.withArray("files").forEach(f -> files.add(Path.of(f.path("path").asText())));
            List<Path> modes = new ArrayList<>();
            node.withArray("modes").forEach(f -> modes.add(Path.of(f.path("path").asText())));
            Map<String, String> params = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = node.with("params").fields();
            while (it.hasNext()) {
                var e = it.next();
                params.put(e.getKey(), e.getValue().asText());
            }
            return new ActionPlan(true, null, changes, files, modes, node.path("changesRecords").asBoolean(),
                    node.path("keepsSessions").asBoolean(true), params);
        }

        /** True when the store was read and held no record before this step. */
        public boolean recordsWereEmpty() {
            return node.path("recordsEmpty").asBoolean(false);
        }

        public void recordsEmpty() {
            node.put("recordsEmpty", true);
            saveOrThrow();
        }

        public void backup(String path) {
            node.put("backup", path);
            saveOrThrow();
        }

        public void finish(FixResult result, String detail, List<String> sessionsAfter) {
            node.put("result", result.json());
            node.put("detail", detail);
            if (sessionsAfter != null) {
                ArrayNode a = node.putArray("sessionsAfter");
                sessionsAfter.forEach(a::add);
            }
            saveOrThrow();
        }

        /**
         * Puts every recorded file back as it was before this step: content and mode, and removes
         * what did not exist (a directory only when empty). Returns the paths restored.
         */
        public List<String> restoreFiles() {
            return FileSnapshots.restore(dir, node.withArray("files"), node.withArray("modes"), copies(), dir.resolve(FILE));
        }
    }
}
