package dev.minsky.backend.json;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.model.SessionJson;
import dev.minsky.model.SessionRecord;
import dev.minsky.store.SessionCensus;
import dev.minsky.store.SessionQuery;
import dev.minsky.store.SessionStore;
import dev.minsky.util.AtomicFiles;
import dev.minsky.util.FileLocks;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The JSON file store: {@code session-db.json}, an array of records. Readers need no lock because
 * every write replaces the file atomically; writers take an exclusive lock on
 * {@code session-db.json.lock} so that concurrent read-modify-write cycles never lose an update.
 * A file that does not parse is never overwritten: the error is reported and nothing is written.
 */
public final class JsonSessionStore implements SessionStore {
    static final int SCHEMA_VERSION = 1;
    /**
     * Generous: writers queue in the kernel's lock and each holds it for one read-modify-rename, so
     * a long wait means many writers on a busy disk, not a stuck one (the wait says whom it is for).
     */
    private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(120);
    static final Comparator<SessionRecord> ORDER = Comparator
            .comparing((SessionRecord r) -> r.createdAt() == null ? "" : r.createdAt())
            .thenComparing(SessionRecord::session);

    private final Path file;

    /**
     * The last whole read, keyed by the file's identity: every write replaces the file by a rename
     * (a new inode), so a snapshot whose inode, size and mtime still match is the file's content.
     * It lets a reader that asks several questions (the doctor's {@code store.sessions}: list, get,
     * census, workspaces) parse the file once. A read-modify-write never uses it.
     */
    private record Snapshot(Object inode, long size, java.nio.file.attribute.FileTime mtime, List<SessionRecord> records) {}

    private Snapshot snapshot;
    /** Whole passes over the file (parses and streaming scans), for the test that keeps them to one. */
    private int passes;

    public JsonSessionStore(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    static Path lockFile(Path file) {
        return file.resolveSibling(file.getFileName() + ".lock");
    }

    @Override
    public String backend() {
        return "json";
    }

    @Override
    public String location() {
        return file.toString();
    }

    @Override
    public int schemaVersion() {
        return SCHEMA_VERSION;
    }

    /** Reads the whole store (from the snapshot when the file is unchanged); a missing file is an empty store. */
    List<SessionRecord> readAll() {
        Snapshot s = current();
        if (s != null) {
            return new ArrayList<>(s.records());
        }
        return readAll(true);
    }

    int passes() {
        return passes;
    }

    /** The snapshot if the file is still the one it was read from, else null. */
    private Snapshot current() {
        Snapshot s = snapshot;
        if (s == null) {
            return null;
        }
        java.nio.file.attribute.BasicFileAttributes a = attributes();
        if (a == null || a.fileKey() == null || !a.fileKey().equals(s.inode()) || a.size() != s.size()
                || !a.lastModifiedTime().equals(s.mtime())) {
            snapshot = null;
            return null;
        }
        return s;
    }

    private java.nio.file.attribute.BasicFileAttributes attributes() {
        try {
            return Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
        } catch (IOException e) {
            return null;
        }
    }

    /** Reads the whole store from the file; {@code keep}: remember it as the snapshot. */
    private List<SessionRecord> readAll(boolean keep) {
        if (Files.isDirectory(file)) {
            throw new MinskyException(ExitCode.INCOMPLETE, "the JSON store path " + file + " is a directory",
                    "move the directory aside or point sessiondb.baseDir elsewhere; 'minsky doctor' explains");
        }
        byte[] data;
        // taken before the bytes: a file replaced in between is keyed by the old inode and read again next time
        java.nio.file.attribute.BasicFileAttributes before = keep ? attributes() : null;
        try {
            // a FIFO or a device in the store's place is refused before it is opened (issue 13)
            dev.minsky.util.SafeFiles.requireRegular(file, Long.MAX_VALUE, "JSON store");
            passes++;
            data = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new ArrayList<>();
        } catch (AccessDeniedException e) {
            throw new MinskyException(ExitCode.INCOMPLETE, "permission denied reading the JSON store " + file + " (EACCES)",
                    "run 'minsky doctor --fix' or make the file readable: chmod u+rw " + file);
        } catch (IOException e) {
            throw new MinskyException(ExitCode.INCOMPLETE, "cannot read the JSON store " + file + ": " + e.getMessage(),
                    "run 'minsky doctor' to find out why");
        }
        try {
            List<SessionRecord> records = SessionJson.parse(data);
            if (before != null && before.fileKey() != null && before.isRegularFile()) {
                snapshot = new Snapshot(before.fileKey(), before.size(), before.lastModifiedTime(), List.copyOf(records));
            }
            return new ArrayList<>(records);
        } catch (SessionJson.FormatException e) {
            throw new dev.minsky.StoreUnreadable(
                    "the JSON store " + file + " does not parse" + e.where() + ": " + e.getMessage() + " (SyntaxError)",
                    "nothing was changed; run 'minsky doctor' to see whether it was truncated, and 'minsky doctor --fix' to salvage it", null);
        }
    }

    /** Three fields of one record, as the streaming scan reads them. */
    private record Head(String session, String createdAt, String repoPath) {}

    /**
     * Reads only {@code session}, {@code createdAt} and {@code repoPath} of each record with a
     * streaming parser, building no records: the doctor's census of a big store. Null when the
     * file is not a plain, valid store (missing, not parsing, an element that is no object or has
     * no name): the caller then reads it the usual way, which says what is wrong.
     */
    private boolean scan(java.util.function.Consumer<Head> each) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        passes++;
        try (com.fasterxml.jackson.core.JsonParser p = SessionJson.mapper().getFactory().createParser(file.toFile())) {
            com.fasterxml.jackson.core.JsonToken t = p.nextToken();
            if (t == com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                boolean found = false;
                while ((t = p.nextToken()) == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    t = p.nextToken();
                    if (!found && "sessions".equals(name) && t == com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
                        found = true;
                        if (!elements(p, each)) {
                            return false;
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                if (!found) {
                    return false;
                }
            } else if (t != com.fasterxml.jackson.core.JsonToken.START_ARRAY || !elements(p, each)) {
                return false;
            }
            return p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean elements(com.fasterxml.jackson.core.JsonParser p, java.util.function.Consumer<Head> each) throws IOException {
        com.fasterxml.jackson.core.JsonToken t;
        while ((t = p.nextToken()) != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
            if (t != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                return false;
            }
            String session = null;
            String created = null;
            String repoPath = null;
            while ((t = p.nextToken()) == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String name = p.currentName();
                t = p.nextToken();
                if (t == com.fasterxml.jackson.core.JsonToken.VALUE_STRING && ("session".equals(name) || "createdAt".equals(name)
                        || "repoPath".equals(name))) {
                    switch (name) {
                        case "session" -> session = p.getText();
                        case "createdAt" -> created = p.getText();
                        default -> repoPath = p.getText();
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (session == null) {
                return false;
            }
            each.accept(new Head(session, created, repoPath));
        }
        return true;
    }

    /** One streaming pass over the three fields it needs (see {@link #scan}). */
    @Override
    public SessionCensus census(List<java.time.Instant> cutoffs) {
        if (current() != null) {
            return SessionStore.super.census(cutoffs); // already in memory: no second pass over the file
        }
        long[] n = {0};
        long[] older = new long[cutoffs.size()];
        java.time.Instant[] oldest = {null};
        boolean ok = scan(h -> {
            n[0]++;
            java.time.Instant c = h.createdAt() == null ? null : dev.minsky.model.Timestamps.parse(h.createdAt());
            if (c == null) {
                return;
            }
            for (int i = 0; i < older.length; i++) {
                if (!c.isAfter(cutoffs.get(i))) {
                    older[i]++;
                }
            }
            if (oldest[0] == null || c.isBefore(oldest[0])) {
                oldest[0] = c;
            }
        });
        if (!ok) {
            return SessionStore.super.census(cutoffs);
        }
        List<Long> counts = new ArrayList<>();
        for (long o : older) {
            counts.add(o);
        }
        return new SessionCensus(n[0], counts, oldest[0]);
    }

    @Override
    public void forEachRepoPath(java.util.function.BiConsumer<String, String> each) {
        // names and paths only; collected first so that a file that turns out not to be a valid
        // store calls nothing before the usual reading says what is wrong
        if (current() != null) {
            SessionStore.super.forEachRepoPath(each);
            return;
        }
        List<String[]> pairs = new ArrayList<>();
        if (!scan(h -> pairs.add(new String[] {h.session(), h.repoPath()}))) {
            SessionStore.super.forEachRepoPath(each);
            return;
        }
        for (String[] pair : pairs) {
            each.accept(pair[0], pair[1]);
        }
    }

    private void write(List<SessionRecord> records) {
        try {
            AtomicFiles.write(file, SessionJson.write(records), "rw-------");
        } catch (AccessDeniedException e) {
            throw new MinskyException(ExitCode.INCOMPLETE, "permission denied writing the JSON store " + file + " (EACCES)",
                    "make the directory writable: chmod u+rwx " + file.getParent());
        } catch (IOException e) {
            throw new MinskyException(ExitCode.INCOMPLETE, "cannot write the JSON store " + file + ": " + e.getMessage(),
                    "nothing was changed; run 'minsky doctor' to find out why", e);
        }
    }

    /** Read-modify-write under the cross-process lock. */
    private <T> T mutate(java.util.function.Function<Map<String, SessionRecord>, T> change) {
        try (FileLocks.Held lock = FileLocks.acquire(lockFile(file), LOCK_TIMEOUT)) {
            Map<String, SessionRecord> byName = new LinkedHashMap<>();
            snapshot = null;
            for (SessionRecord r : readAll(false)) {
                byName.put(r.session(), r);
            }
            sweepLeftovers(byName.keySet());
            T result = change.apply(byName);
            write(new ArrayList<>(byName.values()));
            return result;
        }
    }

    private static final java.util.regex.Pattern SESSION_NAME =
            java.util.regex.Pattern.compile("\"session\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    /**
     * Removes, under the lock, the temp files of writers that died before their rename. Such a file
     * is the store as that writer read it plus the one change it never finished, and never
     * acknowledged to its user: at most one session the store lacks. A file that names more than
     * one session the store lacks may be the only copy of them (an import cut short, a store file
     * lost beside it) and is kept for the doctor, which reports it; with no store file, or an
     * empty one (a store made anew beside the remains of the old), nothing is removed.
     */
    private void sweepLeftovers(java.util.Set<String> inStore) {
        if (inStore.isEmpty() || !Files.isRegularFile(file)) {
            return;
        }
        try {
            for (Path tmp : AtomicFiles.leftovers(file)) {
                if (Files.size(tmp) > 256L * 1024 * 1024) {
                    continue; // not read whole here: the doctor looks at it
                }
                String text = Files.readString(tmp, java.nio.charset.StandardCharsets.UTF_8);
                java.util.regex.Matcher m = SESSION_NAME.matcher(text);
                java.util.Set<String> lacking = new HashSet<>();
                while (m.find() && lacking.size() <= 1) {
                    String name = SessionJson.mapper().readValue("\"" + m.group(1) + "\"", String.class);
                    if (!inStore.contains(name)) {
                        lacking.add(name);
                    }
                }
                if (lacking.size() <= 1) {
                    Files.deleteIfExists(tmp);
                }
            }
        } catch (IOException | RuntimeException e) {
            // a leftover that cannot be read or removed stays for the doctor; the write goes on
        }
    }

    /** A record the reader would reject must never be written: the whole file would stop parsing. */
    private static void checkValid(Collection<SessionRecord> records) {
        for (SessionRecord r : records) {
            String problem = r.validate();
            if (problem != null) {
                throw MinskyException.badInput("record " + (r.session() != null ? "'" + r.session() + "' " : "")
                        + "is not a valid session: " + problem, "every session needs session, repoName, repoUrl and an ISO-8601 createdAt");
            }
        }
    }

    /** Creates an empty store when none exists. */
    void create() {
        mutate(m -> null);
    }

    @Override
    public long count() {
        return readAll().size();
    }

    @Override
    public List<SessionRecord> list(SessionQuery q) {
        List<SessionRecord> all = readAll();
        all.sort(ORDER);
        var stream = all.stream();
        if (q.taskId() != null) {
            stream = stream.filter(r -> q.taskId().equals(r.taskId()));
        }
        stream = stream.skip(q.offset());
        if (q.limit() != null) {
            stream = stream.limit(q.limit());
        }
        return stream.toList();
    }

    @Override
    public Optional<SessionRecord> get(String session) {
        return readAll().stream().filter(r -> session.equals(r.session())).findFirst();
    }

    @Override
    public void insert(SessionRecord record) {
        checkValid(List.of(record));
        mutate(m -> {
            if (m.containsKey(record.session())) {
                throw MinskyException.badInput("session '" + record.session() + "' already exists",
                        "choose another name, or 'minsky session get " + record.session() + "' to see it");
            }
            m.put(record.session(), record);
            return null;
        });
    }

    @Override
    public void update(SessionRecord record) {
        checkValid(List.of(record));
        mutate(m -> {
            if (!m.containsKey(record.session())) {
                throw MinskyException.badInput("no session named '" + record.session() + "'", "'minsky session list' shows the sessions");
            }
            m.put(record.session(), record);
            return null;
        });
    }

    @Override
    public boolean delete(String session) {
        return mutate(m -> m.remove(session) != null);
    }

    @Override
    public int deleteAll(Collection<String> sessions) {
        Set<String> names = new HashSet<>(sessions);
        return mutate(m -> {
            int before = m.size();
            m.keySet().removeIf(names::contains);
            return before - m.size();
        });
    }

    @Override
    public void upsertAll(Collection<SessionRecord> records) {
        upsertAll(records, dev.minsky.store.Progress.NONE);
    }

    @Override
    public void upsertAll(Collection<SessionRecord> records, dev.minsky.store.Progress progress) {
        checkValid(records);
        mutate(m -> {
            records.forEach(r -> m.put(r.session(), r));
            return null;
        });
        progress.advance(records.size()); // one file written at once: counted when it is in place
    }

    @Override
    public void replaceAll(Collection<SessionRecord> records) {
        replaceAll(records, dev.minsky.store.Progress.NONE);
    }

    @Override
    public void replaceAll(Collection<SessionRecord> records, dev.minsky.store.Progress progress) {
        checkValid(records);
        mutate(m -> {
            m.clear();
            records.forEach(r -> m.put(r.session(), r));
            return null;
        });
        progress.advance(records.size());
    }

    /** Applies a change to each record under one lock (used by bulk updates). */
    void updateEach(UnaryOperator<SessionRecord> f) {
        mutate(m -> {
            m.replaceAll((k, v) -> f.apply(v));
            return null;
        });
    }

    @Override
    public void close() {
        // nothing held between calls
    }
}
