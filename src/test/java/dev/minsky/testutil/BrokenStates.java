package dev.minsky.testutil;

import dev.minsky.AppContext;
import dev.minsky.config.ConfigService;
import dev.minsky.config.Settings;
import dev.minsky.model.SessionJson;
import dev.minsky.model.SessionRecord;
import dev.minsky.model.Timestamps;
import dev.minsky.store.SessionStore;
import dev.minsky.store.Stores;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The doctor's broken states, built for real in a throwaway home: real files, real SQLite
 * databases, real processes holding locks, real read-only and full filesystems, real PostgreSQL
 * servers. Every builder configures the home (its {@code ~/.config/minsky/config.yaml}) so that
 * {@code new Cli(home)} or a {@code minsky} child process with {@code HOME=home} sees the state, and
 * returns what it built. Close the result: it stops processes, unmounts filesystems and closes
 * connections it started (files are left for {@code @TempDir}).
 */
public final class BrokenStates {
    private BrokenStates() {}

    /** What a builder made. */
    public static final class Built implements AutoCloseable {
        private final String name;
        private final Path home;
        private final String backend;
        private final Path store;
        private final String connectionString;
        private final int sessions;
        private final List<AutoCloseable> cleanups = new ArrayList<>();
        private long holderPid = -1;

        Built(String name, Path home, String backend, Path store, String connectionString, int sessions) {
            this.name = name;
            this.home = home;
            this.backend = backend;
            this.store = store;
            this.connectionString = connectionString;
            this.sessions = sessions;
        }

        /** What was built, e.g. "stale-wal". */
        public String name() {
            return name;
        }

        public Path home() {
            return home;
        }

        public String backend() {
            return backend;
        }

        /** The configured store file (null for postgres). */
        public Path store() {
            return store;
        }

        /** The configured connection string for postgres (holds a password), else null. */
        public String connectionString() {
            return connectionString;
        }

        /** Sessions a healthy reading of the store should find (for salvage/recovery checks). */
        public int sessions() {
            return sessions;
        }

        /** The pid of the process holding the database, or -1. */
        public long holderPid() {
            return holderPid;
        }

        /** The environment to run minsky with: HOME only; everything else is in the home's config. */
        public Map<String, String> env() {
            return Map.of("HOME", home.toString(), "PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        }

        public Path stateDir() {
            return home.resolve(".local/state/minsky");
        }

        Built onClose(AutoCloseable c) {
            cleanups.add(0, c);
            return this;
        }

        @Override
        public void close() {
            for (AutoCloseable c : cleanups) {
                try {
                    c.close();
                } catch (Exception e) {
                    // best effort: the next cleanup must still run (an unmount above all)
                }
            }
            cleanups.clear();
        }

        @Override
        public String toString() {
            return name + " (" + backend + ", " + (store != null ? store : "postgres") + ")";
        }
    }

    // ---------------------------------------------------------------- helpers

    public static Path stateDir(Path home) {
        return home.resolve(".local/state/minsky");
    }

    /**
     * Writes the home's user config: {@code sessiondb.<key>: value} lines, private (0600) as
     * {@code minsky config set} writes it: a config that others can read with a password in it is
     * a finding of its own ({@code config.exposed-password}).
     */
    public static void config(Path home, Map<String, String> sessiondb) throws IOException {
        Path f = home.resolve(".config/minsky/config.yaml");
        Files.createDirectories(f.getParent());
        StringBuilder sb = new StringBuilder("sessiondb:\n");
        sessiondb.forEach((k, v) -> sb.append("  ").append(k).append(": \"").append(v.replace("\"", "\\\"")).append("\"\n"));
        Files.writeString(f, sb.toString());
        Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }

    public static Settings settings(Path home) {
        AppContext ctx = new AppContext(Map.of("HOME", home.toString()), home, System.out, System.err,
                System.in, false, Clock.systemUTC());
        return ConfigService.load(ctx).settingsLenient();
    }

    /** {@code n} valid sessions created {@code ageDays} ago, each with its workspace under the state dir. */
    public static List<SessionRecord> sessions(Path home, int n, int ageDays) throws IOException {
        List<SessionRecord> out = new ArrayList<>();
        Instant created = Instant.now().minus(Duration.ofDays(ageDays));
        for (int i = 0; i < n; i++) {
            String name = "task-" + ageDays + "d-" + i;
            Path ws = stateDir(home).resolve("sessions").resolve(name);
            Files.createDirectories(ws);
            out.add(SessionRecord.create(name, "minsky", "https://example.com/minsky.git", created.plusSeconds(i))
                    .with("taskId", "md#" + (100 + i)).with("branch", name).with("repoPath", ws.toString()));
        }
        return out;
    }

    /** Writes records into the configured store through the real backend. */
    public static void fill(Path home, List<SessionRecord> records) {
        try (SessionStore s = Stores.open(settings(home), true)) {
            s.upsertAll(records);
        }
    }

    private static Built healthy(String name, Path home, String backend, int n) throws IOException {
        config(home, Map.of("backend", backend));
        List<SessionRecord> records = sessions(home, n, 1);
        fill(home, records);
        Settings s = settings(home);
        return new Built(name, home, backend, backend.equals("json") ? s.jsonPath() : s.sqlitePath(), null, n);
    }

    // ---------------------------------------------------------------- healthy

    /** A healthy JSON store with {@code n} young sessions and their workspaces. */
    public static Built healthyJson(Path home, int n) throws IOException {
        return healthy("healthy-json", home, "json", n);
    }

    /** A healthy SQLite store (WAL, indexes, current schema), closed cleanly: no -wal/-shm left. */
    public static Built healthySqlite(Path home, int n) throws IOException {
        return healthy("healthy-sqlite", home, "sqlite", n);
    }

    /** A healthy PostgreSQL store on the given server, in a fresh role and database. */
    public static Built healthyPostgres(Path home, PostgresServer pg, int n) throws IOException {
        String url = pg.newDatabase("doctor");
        config(home, Map.of("backend", "postgres", "connectionString", url));
        if (Stores.providers().stream().anyMatch(p -> p.id().equals("postgres"))) {
            fill(home, sessions(home, n, 1));
        } else {
            // until the PostgreSQL store is on this branch: its table and indexes, made by hand
            java.net.URI u = java.net.URI.create(url);
            String[] ui = u.getUserInfo().split(":", 2);
            try (Connection c = java.sql.DriverManager.getConnection(pg.jdbcUrl(u.getPath().substring(1)), ui[0], ui[1]);
                 Statement st = c.createStatement()) {
                st.execute("CREATE TABLE sessions (session text PRIMARY KEY, repo_name text NOT NULL, repo_url text,"
                        + " created_at timestamptz NOT NULL, task_id text, branch text, repo_path text)");
                st.execute("CREATE INDEX idx_sessions_task_id ON sessions (task_id)");
                st.execute("CREATE INDEX idx_sessions_created_at ON sessions (created_at)");
                for (int i = 0; i < n; i++) {
                    st.execute("INSERT INTO sessions VALUES ('s" + i + "', 'minsky', 'u', now(), 'md#" + i + "', 'b', null)");
                }
            } catch (SQLException e) {
                throw new IOException(e);
            }
        }
        return new Built("healthy-postgres", home, "postgres", null, url, n);
    }

    // ---------------------------------------------------------------- any file backend

    /** The store existed with sessions, then its file was deleted; its directory remains. */
    public static Built deletedStore(Path home, String backend) throws IOException {
        Built b = healthy("deleted-store", home, backend, 3);
        Files.delete(b.store());
        return new Built("deleted-store", home, backend, b.store(), null, 0);
    }

    /** A directory where the store's file belongs. */
    public static Built directoryAtStorePath(Path home, String backend) throws IOException {
        config(home, Map.of("backend", backend));
        Settings s = settings(home);
        Path p = backend.equals("json") ? s.jsonPath() : s.sqlitePath();
        Files.createDirectories(p.resolve("not-a-store"));
        return new Built("directory-at-store-path", home, backend, p, null, 0);
    }

    /**
     * A store the user {@code nobody} cannot read: the home belongs to nobody, the store file has
     * mode 0000 and belongs to nobody ({@code userOwnsIt}: chmod can fix it) or to root with mode
     * 0600 (it cannot). Look at it as nobody: {@link #runProbesAs}. The home must be reachable by
     * nobody (see {@link #nobodyReachableDir}).
     */
    public static Built permissionDenied(Path home, String backend, boolean userOwnsIt) throws IOException, InterruptedException {
        Built b = healthy("permission-denied", home, backend, 3);
        run("chown", "-R", "nobody:nogroup", home.toString());
        if (userOwnsIt) {
            run("chmod", "0000", b.store().toString());
        } else {
            run("chown", "root:root", b.store().toString());
            run("chmod", "0600", b.store().toString());
        }
        return b.onClose(() -> run("chown", "-R", "root:root", home.toString()));
    }

    /** A fresh directory under /tmp that every user may traverse, for homes used as nobody. Delete it yourself. */
    public static Path nobodyReachableDir() throws IOException {
        Path d = Files.createTempDirectory(Path.of("/tmp"), "minsky-nobody-");
        d.toFile().setReadable(true, false);
        d.toFile().setExecutable(true, false);
        return d;
    }

    /**
     * The store's directory on its own tmpfs, with a healthy store, remounted read-only. Close the
     * result to unmount.
     */
    public static Built readOnlyMount(Path home, String backend) throws IOException, InterruptedException {
        Path state = stateDir(home);
        Files.createDirectories(state);
        run("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", state.toString());
        try {
            Built b = healthy("read-only-mount", home, backend, 3);
            run("mount", "-o", "remount,ro", state.toString());
            return b.onClose(() -> unmount(state));
        } catch (IOException | RuntimeException e) {
            unmount(state);
            throw e;
        }
    }

    /** The store's directory on a small tmpfs, with a healthy store, and the rest of it filled up. Close to unmount. */
    public static Built fullDisk(Path home, String backend) throws IOException, InterruptedException {
        Path state = stateDir(home);
        Files.createDirectories(state);
        run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", state.toString());
        try {
            Built b = healthy("disk-full", home, backend, 3);
            Path filler = state.resolve("filler.bin");
            byte[] block = new byte[4096];
            try (var out = Files.newOutputStream(filler)) {
                while (true) {
                    out.write(block);
                }
            } catch (IOException full) {
                // ENOSPC: exactly what we wanted
            }
            return b.onClose(() -> unmount(state));
        } catch (IOException | RuntimeException e) {
            unmount(state);
            throw e;
        }
    }

    /**
     * Runs {@code build} with the state directory on its own tmpfs, then remounts it read-only:
     * any broken state on a read-only filesystem (e.g. a stale WAL nobody can checkpoint). Close
     * the result to unmount.
     */
    public static Built onReadOnlyMount(Path home, Builder build) throws Exception {
        Path state = stateDir(home);
        Files.createDirectories(state);
        run("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", state.toString());
        try {
            Built b = build.build(home);
            run("mount", "-o", "remount,ro", state.toString());
            return b.onClose(() -> unmount(state));
        } catch (Exception e) {
            unmount(state);
            throw e;
        }
    }

    /** A builder of a broken state in a home. */
    @FunctionalInterface
    public interface Builder {
        Built build(Path home) throws Exception;
    }

    private static void unmount(Path p) throws IOException, InterruptedException {
        run("umount", p.toString());
    }

    /**
     * The configured baseDir ({@code ~/elsewhere}) holds no store, while the real one, with
     * sessions, sits at the default place.
     */
    public static Built misconfiguredBaseDir(Path home, String backend) throws IOException {
        Built real = healthy("misconfigured-basedir", home, backend, 5);
        Path elsewhere = home.resolve("elsewhere");
        Files.createDirectories(elsewhere);
        config(home, Map.of("backend", backend, "baseDir", elsewhere.toString()));
        Settings s = settings(home);
        return new Built("misconfigured-basedir", home, backend, backend.equals("json") ? s.jsonPath() : s.sqlitePath(),
                null, real.sessions());
    }

    /** The store with sessions sits under a doubled {@code minsky/minsky/} path; the configured place is empty. */
    public static Built doubledPath(Path home, String backend) throws IOException {
        Path doubled = stateDir(home).resolve("minsky");
        config(home, Map.of("backend", backend, "baseDir", doubled.toString()));
        fill(home, sessions(home, 4, 1));
        config(home, Map.of("backend", backend));
        Settings s = settings(home);
        return new Built("doubled-path", home, backend, backend.equals("json") ? s.jsonPath() : s.sqlitePath(), null, 4);
    }

    /**
     * A healthy store plus workspace directories no record knows ({@code orphan-0..orphan-k-1}), and
     * one record whose workspace is gone ({@code task-1d-0}).
     */
    public static Built orphanedWorkspaces(Path home, String backend, int orphans) throws IOException {
        Built b = healthy("orphaned-workspaces", home, backend, 3);
        for (int i = 0; i < orphans; i++) {
            Files.createDirectories(stateDir(home).resolve("sessions/orphan-" + i));
        }
        Files.delete(stateDir(home).resolve("sessions/task-1d-0"));
        return b;
    }

    /**
     * {@code n} sessions created 120 days ago; the newest backup (if {@code backupAgeDays >= 0}) is
     * that many days old.
     */
    public static Built oldSessionsWithoutRecentBackup(Path home, String backend, int n, int backupAgeDays) throws IOException {
        return oldSessionsWithoutRecentBackup(home, backend, n, 120, backupAgeDays);
    }

    /** {@code n} sessions created {@code sessionAgeDays} ago; the newest backup as above. */
    public static Built oldSessionsWithoutRecentBackup(Path home, String backend, int n, int sessionAgeDays, int backupAgeDays)
            throws IOException {
        config(home, Map.of("backend", backend));
        List<SessionRecord> records = sessions(home, n, sessionAgeDays);
        fill(home, records);
        if (backupAgeDays >= 0) {
            Path dir = stateDir(home).resolve("backups");
            Files.createDirectories(dir);
            Path f = dir.resolve("sessions-old.json");
            Files.write(f, SessionJson.write(records));
            Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.from(Instant.now().minus(Duration.ofDays(backupAgeDays))));
        }
        Settings s = settings(home);
        return new Built("old-sessions-no-recent-backup", home, backend,
                backend.equals("json") ? s.jsonPath() : s.sqlitePath(), null, n);
    }

    // ---------------------------------------------------------------- JSON

    /** A JSON store cut off mid-document, as a crashed non-atomic write leaves it; also a leftover temp file. */
    public static Built truncatedJson(Path home, int n) throws IOException {
        Built b = healthyJson(home, n);
        byte[] all = Files.readAllBytes(b.store());
        // cut inside the last record: every record before it is complete
        int cut = new String(all, StandardCharsets.UTF_8).lastIndexOf("\"repoUrl\"");
        Files.write(b.store(), java.util.Arrays.copyOf(all, cut));
        Files.write(b.store().resolveSibling(dev.minsky.util.AtomicFiles.TEMP_PREFIX + b.store().getFileName() + "-1f2e3d"),
                java.util.Arrays.copyOf(all, all.length / 2));
        return new Built("truncated-json", home, "json", b.store(), null, n - 1);
    }

    /** A JSON store with binary garbage written over its middle. */
    public static Built garbledJson(Path home, int n) throws IOException {
        Built b = healthyJson(home, n);
        byte[] all = Files.readAllBytes(b.store());
        Random r = new Random(42);
        for (int i = all.length / 2; i < all.length / 2 + 64 && i < all.length; i++) {
            all[i] = (byte) r.nextInt(256);
        }
        all[all.length / 2] = 0;
        Files.write(b.store(), all);
        return new Built("garbled-json", home, "json", b.store(), null, -1);
    }

    // ---------------------------------------------------------------- SQLite

    /** Another live process (a child JVM) holds the write lock. Close to end it. */
    public static Built liveWriteLock(Path home) throws IOException {
        Built b = healthySqlite(home, 3);
        Process p = startHolder("lock", b.store().toString());
        b.holderPid = p.pid();
        return b.onClose(() -> stop(p));
    }

    /**
     * A writer that committed {@code walSessions} sessions with automatic checkpoints off was killed
     * with SIGKILL: the commits live only in the -wal, and -wal/-shm stay behind.
     */
    public static Built staleWal(Path home, int walSessions) throws IOException, InterruptedException {
        return staleWal(home, walSessions, Timestamps.iso(Instant.now()));
    }

    /** As {@link #staleWal(Path, int)}, the sessions in the -wal created at {@code createdAt}. */
    public static Built staleWal(Path home, int walSessions, String createdAt) throws IOException, InterruptedException {
        Built healthy = healthySqlite(home, 3);
        Process p = startHolder("wal", healthy.store().toString(), Integer.toString(walSessions), createdAt);
        p.destroyForcibly(); // SIGKILL on Linux
        p.waitFor(10, TimeUnit.SECONDS);
        return new Built("stale-wal", home, "sqlite", healthy.store(), null, 3 + walSessions);
    }

    /** Overwrites one 4 KiB page in the middle of a database with garbage: the rows on it are lost, the rest readable. */
    public static void garbagePageInTheMiddle(Path db) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
            long pages = f.length() / 4096;
            byte[] garbage = new byte[4096];
            new Random(3).nextBytes(garbage);
            f.seek((pages / 2) * 4096);
            f.write(garbage);
        }
    }

    /** A real database (many rows, several pages) whose pages 2..n were overwritten with garbage. */
    public static Built corruptPages(Path home) throws IOException {
        Built b = healthySqlite(home, 200);
        try (RandomAccessFile f = new RandomAccessFile(b.store().toFile(), "rw")) {
            byte[] h = new byte[2];
            f.seek(16);
            f.readFully(h);
            int pageSize = ((h[0] & 0xff) << 8) | (h[1] & 0xff);
            pageSize = pageSize == 1 ? 65536 : pageSize;
            long pages = f.length() / pageSize;
            Random r = new Random(7);
            byte[] garbage = new byte[pageSize];
            for (long pg = 1; pg < pages; pg++) {
                r.nextBytes(garbage);
                f.seek(pg * pageSize);
                f.write(garbage);
            }
        }
        return new Built("corrupt-pages", home, "sqlite", b.store(), null, -1);
    }

    /** Plain text at the SQLite path. */
    public static Built notADatabase(Path home) throws IOException {
        config(home, Map.of("backend", "sqlite"));
        Path p = settings(home).sqlitePath();
        Files.createDirectories(p.getParent());
        Files.writeString(p, "these are my notes, not a database\n".repeat(20));
        return new Built("not-a-database", home, "sqlite", p, null, 0);
    }

    /** A JSON session store (with {@code n} sessions) sitting at the SQLite path. */
    public static Built jsonAtSqlitePath(Path home, int n) throws IOException {
        config(home, Map.of("backend", "sqlite"));
        Path p = settings(home).sqlitePath();
        Files.createDirectories(p.getParent());
        Files.write(p, SessionJson.write(sessions(home, n, 1)));
        return new Built("json-at-sqlite-path", home, "sqlite", p, null, n);
    }

    /** An SQLite database that opens but has no {@code sessions} table. */
    public static Built sqliteWithoutTable(Path home) throws IOException, SQLException {
        config(home, Map.of("backend", "sqlite"));
        Path p = settings(home).sqlitePath();
        Files.createDirectories(p.getParent());
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + p); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)");
        }
        return new Built("sqlite-without-table", home, "sqlite", p, null, 0);
    }

    private static Process startHolder(String... args) throws IOException {
        Process p = JavaProcess.start(JavaProcess.builder(SqliteHolder.class, Map.of(), args).redirectErrorStream(true));
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        if (!"ready".equals(line)) {
            p.destroyForcibly();
            throw new IOException("the SQLite holder did not start: " + line);
        }
        return p;
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
    }

    // ---------------------------------------------------------------- PostgreSQL

    private static Built pg(String name, Path home, String url) throws IOException {
        config(home, Map.of("backend", "postgres", "connectionString", url));
        return new Built(name, home, "postgres", null, url, 0);
    }

    /** A port on 127.0.0.1 where nothing listens. */
    public static Built pgNothingListening(Path home) throws IOException {
        return pg("pg-nothing-listening", home, "postgresql://minsky:secret-pw@127.0.0.1:" + PostgresServer.freePort() + "/minsky");
    }

    /** A real role and database, the wrong password. */
    public static Built pgWrongPassword(Path home, PostgresServer pg) throws IOException {
        java.net.URI u = java.net.URI.create(pg.newDatabase("doctor"));
        String user = u.getUserInfo().split(":", 2)[0];
        return pg("pg-wrong-password", home, pg.url(user, "wrong-password-123", u.getPath().substring(1)));
    }

    /** A real role whose database does not exist. */
    public static Built pgMissingDatabase(Path home, PostgresServer pg) throws IOException {
        java.net.URI u = java.net.URI.create(pg.newDatabase("doctor"));
        String[] ui = u.getUserInfo().split(":", 2);
        return pg("pg-missing-database", home, pg.url(ui[0], ui[1], "no_such_db_" + System.nanoTime()));
    }

    /**
     * A role that does not exist. Under scram the server answers 28P01 (it does not say whether the
     * role exists); pass a server started with {@code PostgresServer.start(settings, true)} (loopback
     * trusted) to get 28000.
     */
    public static Built pgMissingRole(Path home, PostgresServer pg) throws IOException {
        return pg("pg-missing-role", home, pg.url("no_such_role", "whatever-pw", "postgres"));
    }

    /** Connects fine, but the database has no {@code sessions} table. */
    public static Built pgMissingTable(Path home, PostgresServer pg) throws IOException {
        return pg("pg-missing-table", home, pg.newDatabase("doctor"));
    }

    /**
     * A server of its own with {@code max_connections} exhausted by held connections. Close to
     * release them and stop the server.
     */
    public static Built pgTooManyConnections(Path home) throws IOException, SQLException {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("max_connections", "6");
        settings.put("superuser_reserved_connections", "1");
        settings.put("reserved_connections", "0");
        PostgresServer pg;
        try {
            pg = PostgresServer.start(settings);
        } catch (IllegalStateException e) {
            // reserved_connections exists from PostgreSQL 16 on
            settings.remove("reserved_connections");
            pg = PostgresServer.start(settings);
        }
        PostgresServer server = pg;
        String url = server.newDatabase("doctor");
        Built b = pg("pg-too-many-connections", home, url);
        b.onClose(server);
        java.net.URI u = java.net.URI.create(url);
        String[] ui = u.getUserInfo().split(":", 2);
        List<Connection> held = new ArrayList<>();
        b.onClose(() -> {
            for (Connection c : held) {
                c.close();
            }
        });
        while (true) {
            try {
                held.add(java.sql.DriverManager.getConnection(server.jdbcUrl(u.getPath().substring(1)), ui[0], ui[1]));
            } catch (SQLException e) {
                if ("53300".equals(e.getSQLState())) {
                    break;
                }
                b.close();
                throw e;
            }
            if (held.size() > 50) {
                b.close();
                throw new IllegalStateException("max_connections was not reached");
            }
        }
        return b;
    }

    /**
     * A server of its own in a smart shutdown held open by one session: every new client gets
     * 57P03, as while a server starts up or shuts down. Close to release it and remove the server.
     */
    public static Built pgShuttingDown(Path home) throws IOException, SQLException, InterruptedException {
        PostgresServer server = PostgresServer.start(Map.of());
        String url = server.newDatabase("doctor");
        Built b = pg("pg-shutting-down", home, url);
        b.onClose(server);
        Connection held = server.superConnection("postgres");
        b.onClose(held);
        server.beginSmartShutdown();
        for (int i = 0; i < 100; i++) {
            try (Connection c = server.superConnection("postgres")) {
                Thread.sleep(50);
            } catch (SQLException e) {
                if ("57P03".equals(e.getSQLState())) {
                    return b;
                }
                b.close();
                throw e;
            }
        }
        b.close();
        throw new IllegalStateException("the server never started refusing with 57P03");
    }

    // ---------------------------------------------------------------- as another user

    /**
     * Runs every probe as {@code user} (via {@code runuser}) in a separate JVM with {@code HOME=home}
     * and returns what {@link ProbeMain} printed. The classpath is linked into a directory that user
     * can read.
     */
    public static String runProbesAs(String user, Path home) throws IOException, InterruptedException {
        Processes.Output r = Processes.run(asUser(user, home, ProbeMain.class), Duration.ofSeconds(60));
        if (r.code() != 0) {
            throw new IOException("probes as " + user + " failed (exit " + r.code() + "): " + r.out());
        }
        return r.out();
    }

    /** Runs {@code minsky ARGS} as {@code user} (e.g. nobody) in a JVM of its own, with HOME={@code home}. */
    public static Processes.Output runMinskyAs(String user, Path home, String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = asUser(user, home, dev.minsky.Main.class);
        pb.command().addAll(List.of(args));
        return Processes.run(pb, Duration.ofSeconds(120));
    }

    /** {@code main} of a test-classpath class run as {@code user} through runuser, with a tmp dir of its own under the home. */
    private static ProcessBuilder asUser(String user, Path home, Class<?> main) throws IOException, InterruptedException {
        Files.createDirectories(home.resolve("tmp"));
        run("chown", user, home.resolve("tmp").toString());
        return new ProcessBuilder(new ArrayList<>(List.of("runuser", "-u", user, "--", "env", "HOME=" + home, "PATH=/usr/bin:/bin",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Djava.io.tmpdir=" + home.resolve("tmp"), "-cp", readableClasspath(), main.getName())));
    }

    private static String readableCp;

    /**
     * This JVM's classpath, with entries under the running user's home (~/.m2, which another user
     * cannot read when that home is /root) linked or copied to a directory that user can reach.
     */
    public static synchronized String readableClasspath() throws IOException {
        if (readableCp != null) {
            return readableCp;
        }
        Path dir = nobodyReachableDir();
        List<String> out = new ArrayList<>();
        int i = 0;
        Path ownHome = Path.of(System.getProperty("user.home")).toAbsolutePath();
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(e).toAbsolutePath();
            if (!p.startsWith(ownHome) || !Files.isRegularFile(p)) {
                out.add(p.toString());
                continue;
            }
            Path copy = dir.resolve((i++) + "-" + p.getFileName());
            try {
                Files.createLink(copy, p);
            } catch (IOException | UnsupportedOperationException x) {
                Files.copy(p, copy);
            }
            copy.toFile().setReadable(true, false);
            out.add(copy.toString());
        }
        readableCp = String.join(java.io.File.pathSeparator, out);
        return readableCp;
    }

    static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
