package dev.minsky.testutil;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway PostgreSQL cluster for tests: {@code initdb} with scram-sha-256 authentication into a
 * temp directory, {@code pg_ctl start} on a free loopback port, run as the {@code postgres} user
 * when the tests run as root. Tests are skipped (with a message) only when no PostgreSQL server
 * binaries exist at all.
 */
public final class PostgresServer implements AutoCloseable {
    public static final String SUPERUSER = "postgres";
    private static PostgresServer shared;

    private final Path bin;
    private final Path dir;
    private final int port;
    private final String superPassword = "su-" + UUID.randomUUID();
    private final boolean asPostgresUser;
    private boolean running;

    private PostgresServer(Path bin, Path dir, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** The directory holding initdb, pg_ctl and postgres, or null when none is installed. */
    public static Path binDir() {
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> s = Files.list(root)) {
                Path best = s.map(p -> p.resolve("bin")).filter(p -> Files.isExecutable(p.resolve("initdb")))
                        .max(Comparator.comparing(p -> versionOf(p.getParent().getFileName().toString()))).orElse(null);
                if (best != null) {
                    return best;
                }
            } catch (IOException e) {
                // fall through to PATH
            }
        }
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, "initdb")) && Files.isExecutable(Path.of(d, "pg_ctl"))) {
                return Path.of(d).toAbsolutePath();
            }
        }
        return null;
    }

    private static int versionOf(String s) {
        try {
            return Integer.parseInt(s.replaceAll("[^0-9].*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Skips the calling test when no PostgreSQL binaries are installed. */
    public static void assumeInstalled() {
        Assumptions.assumeTrue(binDir() != null,
                "no PostgreSQL server binaries (initdb, pg_ctl) found: install Debian's postgresql package");
    }

    /** One cluster shared by the whole test JVM, stopped when the JVM exits. */
    public static synchronized PostgresServer shared() {
        assumeInstalled();
        if (shared == null) {
            shared = start(Map.of());
            PostgresServer s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(s::close));
        }
        return shared;
    }

    /** A new cluster of its own, with extra server settings (e.g. max_connections). Close it. */
    public static PostgresServer start(Map<String, String> settings) {
        return start(settings, false);
    }

    /**
     * Like {@link #start(Map)}; with {@code trustLoopback} the server trusts every TCP client from
     * 127.0.0.1 without a password, so that it tells which role does not exist (28000) instead of
     * answering 28P01 as password authentication does.
     */
    public static PostgresServer start(Map<String, String> settings, boolean trustLoopback) {
        return start(settings, trustLoopback ? "local all all scram-sha-256\nhost all all 127.0.0.1/32 trust\n" : null, Map.of());
    }

    /**
     * A new cluster with extra server settings, its own {@code pg_hba.conf} (null: initdb's) and
     * files written into the data directory before the start (mode 0600, owned by the server's
     * user: a TLS key and certificates). Close it.
     */
    public static PostgresServer start(Map<String, String> settings, String hba, Map<String, String> dataFiles) {
        assumeInstalled();
        try {
            boolean root = "root".equals(System.getProperty("user.name"));
            Path dir = Files.createTempDirectory(Path.of("/tmp"), "minsky-pg-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            PostgresServer s = new PostgresServer(binDir(), dir, freePort(), root);
            s.init(settings);
            for (Map.Entry<String, String> f : dataFiles.entrySet()) {
                s.writeDataFile(f.getKey(), f.getValue());
            }
            if (hba != null) {
                s.writeDataFile("pg_hba.conf", hba);
            }
            s.startServer();
            return s;
        } catch (IOException e) {
            throw new IllegalStateException("could not start a PostgreSQL test cluster: " + e.getMessage(), e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket ss = new ServerSocket(0)) {
            ss.setReuseAddress(true);
            return ss.getLocalPort();
        }
    }

    private void init(Map<String, String> settings) throws IOException {
        Path pw = dir.resolve("pwfile");
        Files.writeString(pw, superPassword + "\n");
        if (asPostgresUser) {
            run(List.of("chown", "-R", "postgres:postgres", dir.toString()), false);
        }
        run(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", SUPERUSER,
                "-A", "scram-sha-256", "--pwfile=" + pw, "-E", "UTF8", "--no-sync"), true);
        Files.deleteIfExists(pw);
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("listen_addresses", "'127.0.0.1'");
        conf.put("port", Integer.toString(port));
        conf.put("unix_socket_directories", "'" + dir + "'");
        conf.put("fsync", "off");
        conf.put("synchronous_commit", "off");
        conf.put("full_page_writes", "off");
        conf.put("max_connections", "60");
        conf.put("shared_buffers", "32MB");
        settings.forEach(conf::put);
        StringBuilder sb = new StringBuilder("\n# minsky tests\n");
        conf.forEach((k, v) -> sb.append(k).append(" = ").append(v).append('\n'));
        Path postgresqlConf = dir.resolve("data/postgresql.conf");
        if (asPostgresUser) {
            // the data directory belongs to postgres (0700): write through runuser
            run(List.of("sh", "-c", "cat >> '" + postgresqlConf + "'"), true, sb.toString());
        } else {
            Files.writeString(postgresqlConf, sb.toString(), StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        }
    }

    private void writeDataFile(String name, String content) throws IOException {
        Path file = dir.resolve("data").resolve(name);
        if (asPostgresUser) {
            run(List.of("sh", "-c", "umask 077; cat > '" + file + "'"), true, content);
        } else {
            Files.writeString(file, content);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }

    /** The postmaster's pid (first line of postmaster.pid), for tests that stop it with SIGSTOP. */
    public long postmasterPid() {
        try {
            String first = Files.readAllLines(dir.resolve("data/postmaster.pid")).get(0).trim();
            return Long.parseLong(first);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read postmaster.pid: " + e.getMessage(), e);
        }
    }

    private void startServer() throws IOException {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
                dir.resolve("server.log").toString(), "-w", "-t", "60", "start"), true);
        running = true;
    }

    /** Stops the server (fast mode); the cluster stays on disk for {@link #restart()}. */
    public void stop() {
        if (running) {
            try {
                run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop"), true);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            running = false;
        }
    }

    /**
     * Starts a smart shutdown and returns at once: while any session stays connected, the server
     * turns new clients away with 57P03 ("the database system is shutting down").
     */
    public void beginSmartShutdown() {
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "smart", "-W", "stop"), true);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public void restart() {
        stop();
        try {
            startServer();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void run(List<String> cmd, boolean asPostgres) throws IOException {
        run(cmd, asPostgres, null);
    }

    private void run(List<String> cmd, boolean asPostgres, String stdin) throws IOException {
        List<String> full = new ArrayList<>();
        if (asPostgres && asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(cmd);
        ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true).directory(dir.toFile());
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                String log = Files.exists(dir.resolve("server.log")) ? Files.readString(dir.resolve("server.log")) : "";
                throw new IOException("command failed: " + String.join(" ", full) + "\n" + out + "\n" + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    public String superPassword() {
        return superPassword;
    }

    /** A minsky-style connection string. */
    public String url(String user, String password, String database) {
        return "postgresql://" + user + ":" + password + "@" + host() + ":" + port + "/" + database;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port + "/" + database;
    }

    public Connection superConnection(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), SUPERUSER, superPassword);
    }

    /** Runs SQL as the superuser in the postgres database. */
    public void sql(String... statements) {
        try (Connection c = superConnection("postgres"); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed: " + e.getMessage(), e);
        }
    }

    /**
     * A fresh role and database owned by it, with unique names; returns the connection string.
     */
    public String newDatabase(String prefix) {
        String id = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String password = "pw-" + UUID.randomUUID();
        sql("CREATE ROLE " + id + " LOGIN PASSWORD '" + password + "'", "CREATE DATABASE " + id + " OWNER " + id);
        return url(id, password, id);
    }

    @Override
    public synchronized void close() {
        try {
            stop();
        } catch (RuntimeException e) {
            // best effort at shutdown
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // leave it in /tmp
        }
    }
}
