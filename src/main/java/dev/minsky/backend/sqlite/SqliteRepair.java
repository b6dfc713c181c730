package dev.minsky.backend.sqlite;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.model.SessionRecord;
import dev.minsky.model.Timestamps;
import dev.minsky.store.Progress;
import dev.minsky.store.RepairReport;
import dev.minsky.store.jdbc.JdbcRecords;
import dev.minsky.util.AtomicFiles;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Rebuilds a damaged database into a new file from everything that can still be read, checks the
 * new file, swaps it in atomically and keeps the original (with its -wal and -shm) beside it as
 * {@code sessions.db.corrupt-<UTC time>}. The original is only ever read through a scratch copy,
 * so its -wal (which may hold committed work) is neither checkpointed nor deleted: it is renamed
 * together with the file it belongs to.
 *
 * <p>Reading goes through the {@code sqlite3} program's {@code .recover} when the installed build
 * can do it (it needs the {@code sqlite_dbpage} table, which Debian 12's 3.40 build lacks: this is
 * detected, not assumed), otherwise row by row through the driver, in rowid ranges that are split
 * until the unreadable rows are isolated and skipped.
 */
final class SqliteRepair {
    private static final int CHUNK = 512;

    private final Path db;
    private final int busyMillis;
    private final Clock clock;
    private final Progress progress;

    SqliteRepair(Path db, int busyMillis, Clock clock) {
        this(db, busyMillis, clock, Progress.NONE);
    }

    /**
     * @param progress hears each step: the integrity check (one call, no count), the scratch copy
     *     (bytes), {@code sqlite3 .recover} (the bytes of SQL it writes, with no total: the program
     *     cannot say how much there will be; then the bytes of it loaded back, against its size), the
     *     rows read (against their number, or the rowids walked against their range in the row
     *     salvage), the sessions written into the new file (against their total)
     */
    SqliteRepair(Path db, int busyMillis, Clock clock, Progress progress) {
        this.db = db;
        this.busyMillis = busyMillis;
        this.clock = clock;
        this.progress = progress;
    }

    /** What was read from a damaged database. */
    record Recovered(List<SessionRecord> records, int unreadable, String method) {}

    RepairReport run() {
        if (!Files.isRegularFile(db)) {
            throw MinskyException.badInput("no SQLite store at " + db + " to repair",
                    "check sessiondb.dbPath ('minsky config get sessiondb.dbPath'); 'minsky sessiondb init' creates a new store");
        }
        SqliteFiles.checkHeader(db);
        progress.phase("repair: integrity_check");
        long intact = intactCount();
        if (intact >= 0) {
            return new RepairReport(false, intact, intact, null, "none: the database passed integrity_check");
        }
        String stamp = Timestamps.fileStamp(clock.instant());
        Path dir = db.getParent();
        String name = db.getFileName().toString();
        Path work = dir.resolve(name + ".repair-src-" + stamp);
        Path fresh = dir.resolve(name + ".repair-new-" + stamp);
        Path kept = dir.resolve(name + ".corrupt-" + stamp);
        List<Path> scratch = List.of(work, SqliteFiles.wal(work), SqliteFiles.shm(work), fresh, SqliteFiles.wal(fresh),
                SqliteFiles.shm(fresh), dir.resolve(name + ".repair-sql-" + stamp));
        try {
            String before = fingerprint();
            long bytes = Files.size(db) + (Files.exists(SqliteFiles.wal(db)) ? Files.size(SqliteFiles.wal(db)) : 0);
            progress.phase("repair: copying (bytes)", bytes);
            copy(db, work);
            progress.advance(Files.size(db));
            if (Files.exists(SqliteFiles.wal(db))) {
                copy(SqliteFiles.wal(db), SqliteFiles.wal(work));
                progress.advance(Files.size(SqliteFiles.wal(db)));
            }
            long countBefore = countOf(work);
            Recovered rec = null;
            if (Sqlite3Recover.supported()) {
                try {
                    rec = Sqlite3Recover.recover(work, dir.resolve(name + ".repair-sql-" + stamp), busyMillis, progress);
                } catch (IOException | SQLException e) {
                    rec = null; // fall back to the row salvage below
                }
            }
            if (rec == null || rec.records().isEmpty()) {
                rec = salvage(work);
            }
            if (rec.records().isEmpty()) {
                throw new MinskyException(ExitCode.INCOMPLETE,
                        "no session could be read from the damaged database " + db + "; nothing was changed",
                        "restore the newest backup: 'minsky sessiondb restore --backup FILE --to sqlite' ('minsky doctor' finds it)");
            }
            progress.phase("repair: writing sessions", rec.records().size());
            long after = build(fresh, rec.records());
            if (!Objects.equals(before, fingerprint())) {
                throw new MinskyException(ExitCode.INCOMPLETE,
                        "the database " + db + " changed while it was being repaired; nothing was swapped",
                        "stop other minsky processes ('minsky doctor' shows them) and run the repair again");
            }
            progress.phase("repair: swapping in");
            swap(fresh, kept);
            return new RepairReport(true, countBefore, after, kept,
                    rec.method() + (rec.unreadable() > 0 ? " (" + rec.unreadable() + " unreadable rows skipped)" : ""));
        } catch (IOException e) {
            throw new MinskyException(ExitCode.INCOMPLETE, "could not repair " + db + ": " + e.getMessage() + "; the original is unchanged",
                    "check free space and permissions in " + dir, e);
        } catch (SQLException e) {
            throw SqliteErrors.map(e, fresh, "writing the repaired copy of", busyMillis);
        } finally {
            for (Path p : scratch) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // leftover scratch files are named for what they are
                }
            }
        }
    }

    /** The session count when the database is intact and current, -1 when it needs repair. */
    private long intactCount() {
        // Never checkpoints a -wal into a damaged file, and leaves none behind (see openForReading).
        try (Connection c = SqliteFiles.openForReading(db, busyMillis); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
                if (!rs.next() || !"ok".equals(rs.getString(1)) || rs.next()) {
                    return -1;
                }
            }
            if (!SqliteSchema.read(c).table()) {
                return -1;
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM sessions")) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            if (SqliteErrors.isCorruption(e)) {
                return -1;
            }
            throw SqliteErrors.map(e, db, "checking", busyMillis);
        }
    }

    /** Size and modification time of the file and its -wal, to notice a writer during the repair. */
    private String fingerprint() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Path p : List.of(db, SqliteFiles.wal(db))) {
            if (Files.exists(p)) {
                sb.append(p.getFileName()).append(':').append(Files.size(p)).append(':')
                        .append(Files.getLastModifiedTime(p).toMillis()).append(';');
            }
        }
        return sb.toString();
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
    }

    private long countOf(Path file) {
        try (Connection c = SqliteFiles.open(file, false, busyMillis); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM sessions")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    /** Reads every row that can be read, by rowid ranges split down to single rows around damage. */
    Recovered salvage(Path file) throws SQLException {
        Map<String, SessionRecord> byName = new LinkedHashMap<>();
        int[] bad = {0};
        try (Connection c = SqliteFiles.open(file, false, busyMillis)) {
            try {
                if (!SqliteSchema.read(c).table()) {
                    return new Recovered(List.of(), 0, "row salvage");
                }
            } catch (SQLException e) {
                // The schema page itself is damaged: there is no table to read rows from.
                return new Recovered(List.of(), 0, "row salvage");
            }
            long lo = bound(c, "min", 1);
            long hi = bound(c, "max", Long.MIN_VALUE);
            progress.phase("repair: row salvage (rowids)", hi != Long.MIN_VALUE ? hi - lo + 1 : -1);
            if (hi != Long.MIN_VALUE) {
                for (long a = lo; a <= hi; a += CHUNK) {
                    long b = Math.min(hi, a + CHUNK - 1);
                    range(c, a, b, byName, bad);
                    progress.advance(b - a + 1);
                }
            } else {
                // max(rowid) is unreadable: walk upwards until a long run of rowids yields nothing.
                long lastFound = lo;
                for (long a = lo; a - lastFound < 64L * CHUNK && a < 50_000_000L; a += CHUNK) {
                    int n = byName.size();
                    range(c, a, a + CHUNK - 1, byName, bad);
                    progress.advance(CHUNK);
                    if (byName.size() > n) {
                        lastFound = a;
                    }
                }
            }
        }
        return new Recovered(new ArrayList<>(byName.values()), bad[0], "row salvage");
    }

    private static long bound(Connection c, String fn, long fallback) {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT " + fn + "(rowid) FROM sessions")) {
            if (rs.next()) {
                long v = rs.getLong(1);
                return rs.wasNull() ? fallback : v;
            }
        } catch (SQLException e) {
            // damaged: the caller walks instead
        }
        return fallback;
    }

    private void range(Connection c, long a, long b, Map<String, SessionRecord> out, int[] bad) {
        List<SessionRecord> got = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM sessions WHERE rowid BETWEEN ? AND ?")) {
            ps.setLong(1, a);
            ps.setLong(2, b);
            try (ResultSet rs = ps.executeQuery()) {
                JdbcRecords.Columns cols = SqliteRows.FORMAT.columns(rs.getMetaData());
                while (rs.next()) {
                    got.add(JdbcRecords.decode(rs, cols, SqliteRows.FORMAT));
                }
            }
        } catch (SQLException | RuntimeException e) {
            if (a == b) {
                bad[0]++;
                return;
            }
            long mid = a + (b - a) / 2;
            range(c, a, mid, out, bad);
            range(c, mid + 1, b, out, bad);
            return;
        }
        for (SessionRecord r : got) {
            try {
                JdbcRecords.checkWritable(r);
                out.put(r.session(), r);
            } catch (MinskyException e) {
                bad[0]++;
            }
        }
    }

    /** Writes the records into a new file with the current schema and checks it; returns its count. */
    private long build(Path fresh, List<SessionRecord> records) throws SQLException, IOException {
        SqliteStoreProvider.create(fresh, busyMillis);
        try (Connection c = SqliteFiles.open(fresh, false, busyMillis)) {
            SqliteFiles.exec(c, "BEGIN IMMEDIATE");
            JdbcRecords.upsertBatched(c, SqliteSchema.COLUMNS, SqliteRows.FORMAT, records, progress);
            SqliteFiles.exec(c, "COMMIT");
            progress.phase("repair: checking the new file");
            SqliteFiles.exec(c, "PRAGMA wal_checkpoint(TRUNCATE)");
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
                if (!rs.next() || !"ok".equals(rs.getString(1))) {
                    throw new MinskyException(ExitCode.INCOMPLETE, "the repaired copy failed integrity_check; nothing was swapped",
                            "restore the newest backup instead ('minsky doctor' finds it)");
                }
            }
            long n;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM sessions")) {
                rs.next();
                n = rs.getLong(1);
            }
            if (n != records.size()) {
                throw new MinskyException(ExitCode.INCOMPLETE, "the repaired copy holds " + n + " sessions, expected "
                        + records.size() + "; nothing was swapped", "restore the newest backup instead");
            }
            return n;
        }
    }

    /**
     * Keeps the original under {@code kept} (a hard link, so the file never disappears from its
     * name), moves its -wal and -shm beside it, and renames the new file over the old name.
     */
    private void swap(Path fresh, Path kept) throws IOException {
        Path wal = SqliteFiles.wal(fresh);
        if (Files.exists(wal) && Files.size(wal) == 0) {
            Files.delete(wal); // our own empty WAL: holds nothing
        }
        Files.deleteIfExists(SqliteFiles.shm(fresh));
        if (Files.exists(wal)) {
            throw new IOException("the repaired copy still has a -wal file after a checkpoint");
        }
        try {
            Files.createLink(kept, db);
        } catch (UnsupportedOperationException | IOException e) {
            AtomicFiles.copyDurably(db, kept);
        }
        if (Files.exists(SqliteFiles.wal(db))) {
            Files.move(SqliteFiles.wal(db), Path.of(kept + "-wal"), StandardCopyOption.ATOMIC_MOVE);
        }
        if (Files.exists(SqliteFiles.shm(db))) {
            Files.move(SqliteFiles.shm(db), Path.of(kept + "-shm"), StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(fresh, db, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        AtomicFiles.fsyncDirectory(db.getParent());
    }

    /** The sqlite3 program's {@code .recover}, when the installed build supports it. */
    static final class Sqlite3Recover {
        private static Boolean supported;

        private Sqlite3Recover() {}

        static Path program() {
            for (String d : Objects.requireNonNullElse(System.getenv("PATH"), "/usr/bin:/bin").split(File.pathSeparator)) {
                Path p = Path.of(d.isEmpty() ? "." : d, "sqlite3");
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
            return null;
        }

        /** Runs {@code .recover} on an empty in-memory database: builds without sqlite_dbpage fail it. */
        static synchronized boolean supported() {
            if (supported == null) {
                Path prog = program();
                if (prog == null) {
                    supported = false;
                } else {
                    try {
                        ProcessBuilder pb = new ProcessBuilder(prog.toString(), ":memory:", ".recover").redirectErrorStream(true);
                        Process p = pb.start();
                        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                        supported = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && out.contains("COMMIT");
                    } catch (IOException e) {
                        supported = false;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        supported = false;
                    }
                }
            }
            return supported;
        }

        /** {@code sqlite3 src .recover | sqlite3 tmp.db}, then reads the sessions table of tmp.db. */
        static Recovered recover(Path src, Path sqlFile, int busyMillis) throws IOException, SQLException {
            return recover(src, sqlFile, busyMillis, Progress.NONE);
        }

        /**
         * {@link #recover(Path, Path, int)}, on {@code progress}: the bytes of SQL {@code .recover}
         * has written so far (the program tells nothing else, so there is no total), the bytes of it
         * fed to the second sqlite3 (against the file's size), the rows read back (against their count).
         */
        static Recovered recover(Path src, Path sqlFile, int busyMillis, Progress progress) throws IOException, SQLException {
            Path prog = program();
            Path tmpDb = Path.of(sqlFile + ".db");
            try {
                progress.phase("repair: .recover dump (bytes)");
                run(new ProcessBuilder(prog.toString(), src.toString(), ".recover").redirectOutput(sqlFile.toFile()), sqlFile, progress);
                long sqlBytes = Files.size(sqlFile);
                if (sqlBytes > 0) {
                    progress.total(sqlBytes); // the last frame shows the whole size reached
                    progress.advance(0);
                }
                progress.phase("repair: loading the dump (bytes)", sqlBytes);
                load(new ProcessBuilder(prog.toString(), tmpDb.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD), sqlFile, progress);
                Map<String, SessionRecord> byName = new LinkedHashMap<>();
                int bad = 0;
                try (Connection c = SqliteFiles.open(tmpDb, false, busyMillis)) {
                    if (SqliteSchema.read(c).table()) {
                        long rows = -1;
                        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM sessions")) {
                            if (rs.next()) {
                                rows = rs.getLong(1);
                            }
                        } catch (SQLException e) {
                            rows = -1; // counted as they come instead
                        }
                        progress.phase("repair: reading rows", rows);
                        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM sessions")) {
                            JdbcRecords.Columns cols = SqliteRows.FORMAT.columns(rs.getMetaData());
                            while (rs.next()) {
                                progress.advance(1);
                                SessionRecord r = JdbcRecords.decode(rs, cols, SqliteRows.FORMAT);
                                try {
                                    JdbcRecords.checkWritable(r);
                                    byName.put(r.session(), r);
                                } catch (MinskyException e) {
                                    bad++;
                                }
                            }
                        }
                    }
                }
                return new Recovered(new ArrayList<>(byName.values()), bad, "sqlite3 .recover");
            } finally {
                Files.deleteIfExists(tmpDb);
                Files.deleteIfExists(SqliteFiles.wal(tmpDb));
                Files.deleteIfExists(SqliteFiles.shm(tmpDb));
            }
        }

        /** Runs the program; while it runs, the growth of {@code output} is counted on {@code progress}. */
        private static void run(ProcessBuilder pb, Path output, Progress progress) throws IOException {
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            Process p = pb.start();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            long seen = 0;
            try {
                while (!p.waitFor(100, TimeUnit.MILLISECONDS)) {
                    seen = grown(output, seen, progress);
                    if (System.nanoTime() - deadline > 0) {
                        p.destroyForcibly();
                        throw new IOException("sqlite3 did not finish within 5 minutes");
                    }
                }
                grown(output, seen, progress);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
                throw new IOException("interrupted", e);
            }
            // .recover exits non-zero on some damage yet writes what it could: the rows are checked after.
        }

        private static long grown(Path file, long seen, Progress progress) {
            try {
                long now = Files.size(file);
                if (now > seen) {
                    progress.advance(now - seen);
                    return now;
                }
            } catch (IOException e) {
                // not there yet
            }
            return seen;
        }

        /** Runs the program with {@code input} fed to its standard input by us, each chunk counted on {@code progress}. */
        private static void load(ProcessBuilder pb, Path input, Progress progress) throws IOException {
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            Process p = pb.start();
            try (java.io.InputStream in = Files.newInputStream(input); java.io.OutputStream out = p.getOutputStream()) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    out.write(buf, 0, n);
                    progress.advance(n);
                }
            } catch (IOException e) {
                // the program stopped reading (it exited): what it loaded is checked after, as before
            }
            try {
                if (!p.waitFor(5, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw new IOException("sqlite3 did not finish within 5 minutes");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
                throw new IOException("interrupted", e);
            }
        }
    }
}
