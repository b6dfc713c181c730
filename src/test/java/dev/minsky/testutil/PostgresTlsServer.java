package dev.minsky.testutil;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway PostgreSQL cluster that speaks TLS only: {@code ssl = on} with a server certificate
 * for {@code 127.0.0.1} (CN and IP SAN; no DNS name, so that {@code localhost} does not match it)
 * signed by a CA made with {@code openssl} for this cluster alone, and a {@code pg_hba.conf} that
 * allows TCP clients only over {@code hostssl}. A second, unrelated CA is made as well, for the
 * "does not verify" cases.
 */
public final class PostgresTlsServer implements AutoCloseable {
    private final PostgresServer server;
    private final Path certs;

    private PostgresTlsServer(PostgresServer server, Path certs) {
        this.server = server;
        this.certs = certs;
    }

    public static PostgresTlsServer start() {
        PostgresServer.assumeInstalled();
        Assumptions.assumeTrue(onPath("openssl"), "no openssl binary: install Debian's openssl package");
        try {
            Path d = Files.createTempDirectory(Path.of("/tmp"), "minsky-pgtls-");
            String ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
            sh(d, "openssl req -x509 " + ec + " -keyout ca.key -out ca.crt -days 3 -subj /CN=minsky-test-ca");
            sh(d, "openssl req -x509 " + ec + " -keyout other-ca.key -out other-ca.crt -days 3 -subj /CN=some-other-ca");
            sh(d, "openssl req " + ec + " -keyout server.key -out server.csr -subj /CN=127.0.0.1");
            Files.writeString(d.resolve("san.ext"), "subjectAltName=IP:127.0.0.1\n");
            sh(d, "openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 3"
                    + " -extfile san.ext");
            String hba = "local all all scram-sha-256\nhostssl all all 127.0.0.1/32 scram-sha-256\n";
            PostgresServer s = PostgresServer.start(Map.of("ssl", "on", "ssl_cert_file", "'server.crt'",
                    "ssl_key_file", "'server.key'"), hba, Map.of("server.crt", Files.readString(d.resolve("server.crt")),
                    "server.key", Files.readString(d.resolve("server.key"))));
            return new PostgresTlsServer(s, d);
        } catch (IOException e) {
            throw new IllegalStateException("could not make the TLS test cluster: " + e.getMessage(), e);
        }
    }

    private static boolean onPath(String cmd) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, cmd))) {
                return true;
            }
        }
        return false;
    }

    private static void sh(Path dir, String cmd) throws IOException {
        List<String> full = new ArrayList<>(List.of("sh", "-c", cmd));
        Process p = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("command failed: " + cmd + "\n" + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    public PostgresServer server() {
        return server;
    }

    /** The CA that signed the server's certificate. */
    public Path caFile() {
        return certs.resolve("ca.crt");
    }

    /** A CA that did not sign it. */
    public Path otherCaFile() {
        return certs.resolve("other-ca.crt");
    }

    @Override
    public void close() {
        server.close();
        try (Stream<Path> s = Files.walk(certs)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // leave it in /tmp
        }
    }
}
