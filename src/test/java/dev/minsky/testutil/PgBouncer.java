package dev.minsky.testutil;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway PgBouncer (Debian's {@code pgbouncer}) in front of a {@link PostgresServer}: writes
 * {@code pgbouncer.ini} and {@code userlist.txt} into a temp directory, starts it on a free loopback
 * port (as the postgres user when the tests run as root), waits for it to accept connections
 * within a budget, and stops it. Users are added with their passwords so that it can log in to
 * the server with SCRAM on their behalf.
 */
public final class PgBouncer implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final Process process;

    private PgBouncer(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    public static Path binary() {
        for (String p : List.of("/usr/sbin/pgbouncer", "/usr/bin/pgbouncer")) {
            if (Files.isExecutable(Path.of(p))) {
                return Path.of(p);
            }
        }
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, "pgbouncer"))) {
                return Path.of(d, "pgbouncer");
            }
        }
        return null;
    }

    public static void assumeInstalled() {
        Assumptions.assumeTrue(binary() != null, "no pgbouncer binary: install Debian's pgbouncer package (.ci/run does)");
    }

    /**
     * Starts PgBouncer in {@code poolMode} (transaction, session) for the role and database of
     * {@code url} (a {@link PostgresServer#newDatabase} connection string), with extra ini lines.
     */
    public static PgBouncer start(PostgresServer server, String url, String poolMode, Map<String, String> extra) {
        assumeInstalled();
        String user = url.substring("postgresql://".length(), url.indexOf(':', "postgresql://".length()));
        String password = url.substring(url.indexOf(':', "postgresql://".length()) + 1, url.indexOf('@'));
        String db = url.substring(url.lastIndexOf('/') + 1);
        try {
            boolean root = "root".equals(System.getProperty("user.name"));
            Path dir = Files.createTempDirectory(Path.of("/tmp"), "minsky-pgbouncer-");
            int port = PostgresServer.freePort();
            Map<String, String> ini = new LinkedHashMap<>();
            ini.put("listen_addr", "127.0.0.1");
            ini.put("listen_port", Integer.toString(port));
            ini.put("unix_socket_dir", "");
            ini.put("auth_type", "scram-sha-256");
            ini.put("auth_file", dir.resolve("userlist.txt").toString());
            ini.put("pool_mode", poolMode);
            ini.put("max_client_conn", "500");
            ini.put("default_pool_size", "8");
            ini.put("min_pool_size", "0");
            ini.put("reserve_pool_size", "0");
            // pgjdbc sends it in the startup packet; hosted poolers accept it, PgBouncer must be told
            ini.put("ignore_startup_parameters", "extra_float_digits");
            ini.put("logfile", dir.resolve("pgbouncer.log").toString());
            ini.put("pidfile", dir.resolve("pgbouncer.pid").toString());
            ini.put("admin_users", "");
            extra.forEach(ini::put);
            StringBuilder sb = new StringBuilder("[databases]\n").append(db).append(" = host=").append(server.host())
                    .append(" port=").append(server.port()).append(" dbname=").append(db).append("\n\n[pgbouncer]\n");
            ini.forEach((k, v) -> sb.append(k).append(" = ").append(v).append('\n'));
            Files.writeString(dir.resolve("pgbouncer.ini"), sb.toString());
            Files.writeString(dir.resolve("userlist.txt"), "\"" + user + "\" \"" + password + "\"\n");
            List<String> cmd = new ArrayList<>();
            if (root) {
                new ProcessBuilder("chown", "-R", "postgres:postgres", dir.toString()).inheritIO().start().waitFor();
                cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
            }
            cmd.add(binary().toString());
            cmd.add(dir.resolve("pgbouncer.ini").toString());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
            PgBouncer b = new PgBouncer(dir, port, p);
            b.awaitListening(60_000);
            return b;
        } catch (IOException e) {
            throw new IllegalStateException("could not start pgbouncer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitListening(long budgetMillis) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(budgetMillis);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    String log = Files.exists(dir.resolve("pgbouncer.log")) ? Files.readString(dir.resolve("pgbouncer.log")) : "";
                    String out = Files.exists(dir.resolve("stdout.log")) ? Files.readString(dir.resolve("stdout.log")) : "";
                    close();
                    throw new IOException("pgbouncer did not accept connections on 127.0.0.1:" + port + " within "
                            + budgetMillis + " ms (alive: " + process.isAlive() + ")\n" + out + "\n" + log);
                }
                Thread.sleep(50);
            }
        }
    }

    public int port() {
        return port;
    }

    /** The server's connection string {@code url} with PgBouncer's port instead of the server's. */
    public String through(String url) {
        return url.replaceFirst("@([^:/]+):\\d+/", "@$1:" + port + "/");
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("pgbouncer.log"));
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        // runuser passes SIGTERM on to pgbouncer, which then shuts down at once
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // leave it in /tmp
        }
    }
}
