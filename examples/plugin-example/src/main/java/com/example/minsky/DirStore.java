package com.example.minsky;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.model.SessionRecord;
import dev.minsky.store.SessionQuery;
import dev.minsky.store.SessionStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A directory of {@code <url-encoded session>.json} files. Every file is written to a temporary
 * name and renamed into place; {@link #replaceAll} builds a whole new directory and swaps it in,
 * so a reader sees the old records or the new ones, never a mixture.
 */
final class DirStore implements SessionStore {
    static final String SCHEMA_FILE = "schema";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Comparator<SessionRecord> ORDER = Comparator
            .comparing((SessionRecord r) -> r.createdInstant() == null ? Instant.MAX : r.createdInstant())
            .thenComparing(SessionRecord::session);

    private final Path dir;

    DirStore(Path dir) {
        this.dir = dir;
    }

    void create() {
        try {
            Files.createDirectories(dir);
            Path schema = dir.resolve(SCHEMA_FILE);
            if (!Files.exists(schema)) {
                write(schema, Integer.toString(DirStoreProvider.SCHEMA));
            }
        } catch (IOException e) {
            throw unavailable(e);
        }
    }

    @Override
    public String backend() {
        return DirStoreProvider.ID;
    }

    @Override
    public String location() {
        return dir.toString();
    }

    @Override
    public int schemaVersion() {
        try {
            Path schema = dir.resolve(SCHEMA_FILE);
            return Files.exists(schema) ? Integer.parseInt(Files.readString(schema).strip()) : 0;
        } catch (IOException | NumberFormatException e) {
            throw new MinskyException(ExitCode.BAD_INPUT, "cannot read the schema version in " + dir, "restore a backup");
        }
    }

    @Override
    public long count() {
        return files().size();
    }

    @Override
    public List<SessionRecord> list(SessionQuery q) {
        List<SessionRecord> all = new ArrayList<>(readAll());
        all.removeIf(r -> q.taskId() != null && !q.taskId().equals(r.taskId()));
        all.sort(ORDER);
        int from = Math.min(q.offset(), all.size());
        int to = q.limit() == null ? all.size() : Math.min(all.size(), from + q.limit());
        return List.copyOf(all.subList(from, to));
    }

    @Override
    public Optional<SessionRecord> get(String session) {
        Path f = file(session);
        return Files.exists(f) ? Optional.of(read(f)) : Optional.empty();
    }

    @Override
    public void insert(SessionRecord record) {
        check(record);
        if (Files.exists(file(record.session()))) {
            throw MinskyException.badInput("session '" + record.session() + "' already exists", "choose another name");
        }
        create();
        put(dir, record);
    }

    @Override
    public void update(SessionRecord record) {
        check(record);
        if (!Files.exists(file(record.session()))) {
            throw MinskyException.badInput("no session '" + record.session() + "'", "list them with: minsky session list");
        }
        put(dir, record);
    }

    @Override
    public boolean delete(String session) {
        try {
            return Files.deleteIfExists(file(session));
        } catch (IOException e) {
            throw unavailable(e);
        }
    }

    @Override
    public int deleteAll(Collection<String> sessions) {
        int n = 0;
        for (String s : new HashSet<>(sessions)) {
            n += delete(s) ? 1 : 0;
        }
        return n;
    }

    @Override
    public void upsertAll(Collection<SessionRecord> records) {
        records.forEach(this::check);
        create();
        records.forEach(r -> put(dir, r));
    }

    @Override
    public void replaceAll(Collection<SessionRecord> records) {
        records.forEach(this::check);
        Path fresh = dir.resolveSibling(dir.getFileName() + ".new");
        Path old = dir.resolveSibling(dir.getFileName() + ".old");
        try {
            removeTree(fresh);
            new DirStore(fresh).create();
            records.forEach(r -> put(fresh, r));
            removeTree(old);
            if (Files.exists(dir)) {
                Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(fresh, dir, StandardCopyOption.ATOMIC_MOVE);
            removeTree(old);
        } catch (IOException e) {
            throw unavailable(e);
        }
    }

    /** Reads every file; each one that cannot be read is a problem. Returns how many could be read. */
    long verify(List<String> problems) {
        long n = 0;
        for (Path f : files()) {
            try {
                SessionRecord r = read(f);
                String why = r.validate();
                if (why != null) {
                    problems.add(f.getFileName() + ": " + why);
                }
                n++;
            } catch (MinskyException e) {
                problems.add(e.getMessage());
            }
        }
        return n;
    }

    @Override
    public void close() {
        // nothing is held open between calls
    }

    private void check(SessionRecord r) {
        String why = r.validate();
        if (why != null) {
            throw MinskyException.badInput("invalid session record '" + r.session() + "': " + why, "fix the record and try again");
        }
    }

    private Path file(String session) {
        return dir.resolve(URLEncoder.encode(session, StandardCharsets.UTF_8) + ".json");
    }

    private List<Path> files() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw unavailable(e);
        }
    }

    private List<SessionRecord> readAll() {
        List<SessionRecord> out = new ArrayList<>();
        for (Path f : files()) {
            out.add(read(f));
        }
        return out;
    }

    private static SessionRecord read(Path f) {
        try {
            return SessionRecord.of((ObjectNode) JSON.readTree(f.toFile()));
        } catch (IOException | ClassCastException e) {
            throw new MinskyException(ExitCode.BAD_INPUT, "cannot read " + f + ": " + e.getMessage(), "restore a backup");
        }
    }

    private static void put(Path dir, SessionRecord r) {
        try {
            Path f = dir.resolve(URLEncoder.encode(r.session(), StandardCharsets.UTF_8) + ".json");
            write(f, JSON.writeValueAsString(r.toJson()));
        } catch (IOException e) {
            throw unavailable(e);
        }
    }

    private static void write(Path f, String text) throws IOException {
        Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static void removeTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        } catch (IOException e) {
            throw unavailable(e);
        }
    }

    private static MinskyException unavailable(IOException e) {
        return new MinskyException(ExitCode.INCOMPLETE, "the dirstore could not be written or read: " + e.getMessage(),
                "check the permissions of minsky's state directory", e);
    }
}
