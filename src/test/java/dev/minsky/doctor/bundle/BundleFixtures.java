package dev.minsky.doctor.bundle;

import dev.minsky.AppContext;
import dev.minsky.config.ConfigService;
import dev.minsky.doctor.DoctorEnv;
import dev.minsky.doctor.model.DoctorReport;
import dev.minsky.doctor.model.Evidence;
import dev.minsky.doctor.model.Fact;
import dev.minsky.doctor.model.Finding;
import dev.minsky.doctor.model.ProbeRun;
import dev.minsky.doctor.model.Remediation;
import dev.minsky.doctor.model.Safety;
import dev.minsky.doctor.model.Severity;
import dev.minsky.log.MinskyLog;
import dev.minsky.testutil.Cli;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Doctor reports built by hand (until the engine lands) and helpers to run and unpack bundles. */
final class BundleFixtures {
    private BundleFixtures() {}

    /** A run of the bundler with its captured output. */
    record Run(Path path, String out, String err) {}

    static DoctorEnv env(Cli cli, PrintStream out, PrintStream err) {
        AppContext ctx = cli.context(out, err, "");
        ConfigService config = ConfigService.load(ctx);
        return new DoctorEnv(ctx, config, config.settingsLenient(), MinskyLog.forContext(ctx));
    }

    static Run bundle(Cli cli, DoctorReport report, Bundler.Options options) {
        return bundle(cli, report, options, List.of());
    }

    static Run bundle(Cli cli, DoctorReport report, Bundler.Options options, List<Archive.Entry> extra) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        DoctorEnv env = env(cli, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        Path p = Bundler.write(env, report, options, extra);
        return new Run(p, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A PostgreSQL store that rejects the password, as the engine would report it. */
    static DoctorReport postgresAuthFailed(String storeMasked, List<Fact> extraFacts) {
        List<Fact> facts = new ArrayList<>(List.of(
                new Fact("config.backend", "postgres", "config"),
                new Fact("config.valid", true, "config"),
                new Fact("postgres.host", "localhost", "postgres.connect"),
                new Fact("postgres.port", 5432L, "postgres.connect"),
                new Fact("postgres.user", "minsky", "postgres.connect"),
                new Fact("postgres.database", "minsky", "postgres.connect"),
                new Fact("postgres.connect.sqlstate", "28P01", "postgres.connect"),
                new Fact("postgres.connect.kind", "auth", "postgres.connect"),
                new Fact("postgres.connect.message", "FATAL: password authentication failed for user \"minsky\"", "postgres.connect"),
                new Fact("postgres.connect.millis", 41L, "postgres.connect"),
                new Fact("fs.freeBytes", 52_613_349_376L, "fs"),
                new Fact("fs.totalBytes", 105_089_261_568L, "fs"),
                new Fact("fs.type", "ext4", "fs"),
                new Fact("fs.mountPoint", "/", "fs"),
                new Fact("user.isRoot", false, "process"),
                new Fact("process.openFileLimit", 1024L, "process")));
        facts.addAll(extraFacts);
        Finding auth = new Finding("postgres.auth-failed", "28P01", Severity.ERROR, 0.95,
                "PostgreSQL rejected the password (or the role does not exist)", "postgres",
                List.of(new Evidence("postgres.connect.sqlstate", "28P01", true, 0.8),
                        new Evidence("postgres.connect.kind", "auth", true, 0.15),
                        new Evidence("postgres.server.version", null, false, 0.0)),
                List.of(new Remediation("postgres.fix-credentials", Safety.MANUAL,
                                "Fix the user or password in the connection string",
                                "minsky config set sessiondb.connectionString \"postgresql://USER:PASSWORD@localhost:5432/minsky\"", null),
                        new Remediation("postgres.create-role", Safety.MANUAL, "Create the role if it does not exist",
                                "psql -c \"CREATE ROLE minsky LOGIN PASSWORD '<choose one>'\"", null)));
        Finding backup = new Finding("backup.none-recent", null, Severity.WARNING, 0.6,
                "No backup newer than 7 days", "backup",
                List.of(new Evidence("backup.count", 0L, true, 0.6)),
                List.of(new Remediation("backup.create", Safety.SAFE, "Take a backup now", "minsky sessiondb export --all --format json > backup.json", null)));
        Finding wal = new Finding("sqlite.stale-wal", "SQLITE_BUSY", Severity.INFO, 0.2,
                "An old SQLite store has WAL files left behind", "sqlite",
                List.of(new Evidence("sqlite.wal.bytes", 32992L, true, 0.2)),
                List.of(new Remediation("sqlite.delete-wal", Safety.DESTRUCTIVE, "Delete the -wal file (the guide's advice)",
                        "rm ~/.local/state/minsky/sessions.db-wal",
                        "deleting a -wal file drops committed transactions that were not yet checkpointed")));
        List<ProbeRun> probes = List.of(
                new ProbeRun("config", "ok", 3, null),
                new ProbeRun("fs", "ok", 1, null),
                new ProbeRun("process", "ok", 0, null),
                new ProbeRun("postgres.connect", "failed", 41, "28P01 password authentication failed"),
                new ProbeRun("postgres.schema", "skipped", 0, "no connection"),
                new ProbeRun("backups", "ok", 2, null));
        return new DoctorReport(1, "postgres", storeMasked, false, List.of(auth, backup, wal), probes, facts, null, null);
    }

    /** Every entry of a zip or tar.gz, unpacked: the zip with java.util.zip, the tar.gz with the system's tar. */
    static Map<String, byte[]> unpack(Path archive, Path workDir) throws IOException, InterruptedException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        if (archive.getFileName().toString().endsWith(".tar.gz")) {
            Path dir = Files.createTempDirectory(workDir, "untar");
            Process p = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", dir.toString())
                    .redirectErrorStream(true).start();
            String msg = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("tar failed: " + msg);
            }
            try (var s = Files.walk(dir)) {
                for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                    out.put(dir.relativize(f).toString(), Files.readAllBytes(f));
                }
            }
        } else {
            try (InputStream in = Files.newInputStream(archive); ZipInputStream zip = new ZipInputStream(in)) {
                for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                    out.put(e.getName(), zip.readAllBytes());
                }
            }
        }
        return out;
    }

    static String text(Map<String, byte[]> entries, String name) {
        byte[] b = entries.get(name);
        if (b == null) {
            throw new AssertionError("no entry " + name + " in " + entries.keySet());
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    static InputStream stream(byte[] b) {
        return new ByteArrayInputStream(b);
    }
}
