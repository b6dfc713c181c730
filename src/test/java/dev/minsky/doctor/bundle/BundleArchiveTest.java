package dev.minsky.doctor.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minsky.MinskyException;
import dev.minsky.doctor.model.DoctorReport;
import dev.minsky.testutil.Cli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleArchiveTest {
    @TempDir
    Path tmp;

    private Cli cli() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        return new Cli(home).env("MINSKY_SESSIONDB_BACKEND", "json");
    }

    private static DoctorReport report() {
        return BundleFixtures.postgresAuthFailed("postgresql://minsky:****@localhost:5432/minsky", List.of());
    }

    @Test
    void zip_bundle_holds_reports_json_and_manifest_and_is_readable_by_the_owner_only() throws Exception {
        Cli cli = cli();
        Path file = tmp.resolve("out/report.zip");
        Files.createDirectories(file.getParent());
        BundleFixtures.Run run = BundleFixtures.bundle(cli, report(), new Bundler.Options(file, false, false));
        assertEquals(file, run.path());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        Map<String, byte[]> entries = BundleFixtures.unpack(file, tmp);
        assertEquals(List.of("report.md", "report.html", "findings.json", "facts.json", "manifest.json"), List.copyOf(entries.keySet()));
        JsonNode manifest = Bundler.JSON.readTree(entries.get("manifest.json"));
        List<String> listed = manifest.get("files").findValuesAsText("name");
        assertEquals(List.copyOf(entries.keySet()), listed);
        for (JsonNode f : manifest.get("files")) {
            if (!f.get("name").asText().equals("manifest.json")) {
                assertEquals(Bundler.sha256(entries.get(f.get("name").asText())), f.get("sha256").asText());
                assertTrue(f.get("why").asText().length() > 10);
                assertTrue(f.has("redacted"));
            }
        }
        String md = BundleFixtures.text(entries, "report.md");
        assertTrue(md.contains("PostgreSQL rejected the password"), md);
        assertTrue(md.contains("| `postgres.connect` | failed | 41 |"), md);
        JsonNode findings = Bundler.JSON.readTree(entries.get("findings.json"));
        assertEquals("postgres.auth-failed", findings.get("findings").get(0).get("cause").asText());
        assertFalse(findings.has("facts"));
        assertEquals(16, Bundler.JSON.readTree(entries.get("facts.json")).size());
        try (var s = Files.list(file.getParent())) {
            assertEquals(List.of(file), s.toList(), "no temp file left beside the bundle");
        }
    }

    @Test
    void tar_gz_bundle_is_read_by_system_tar_with_mode_0600_and_no_owner_names() throws Exception {
        Cli cli = cli();
        Path file = tmp.resolve("bundle.tar.gz");
        BundleFixtures.bundle(cli, report(), new Bundler.Options(file, false, false));
        Process p = new ProcessBuilder("tar", "--numeric-owner", "-tvzf", file.toString()).redirectErrorStream(true).start();
        String listing = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), listing);
        for (String name : List.of("report.md", "report.html", "findings.json", "facts.json", "manifest.json")) {
            assertTrue(listing.lines().anyMatch(l -> l.startsWith("-rw------- 0/0") && l.endsWith(" " + name)), listing);
        }
        Map<String, byte[]> entries = BundleFixtures.unpack(file, tmp);
        assertTrue(BundleFixtures.text(entries, "report.html").contains("<h2 id=\"probes\">"));
        assertEquals("tar.gz", Bundler.JSON.readTree(entries.get("manifest.json")).get("archive").asText());
    }

    @Test
    void without_a_file_the_bundle_is_named_for_the_utc_time_in_the_working_directory() throws Exception {
        Instant t = Instant.parse("2026-11-27T01:02:03Z");
        Path cwd = Files.createDirectories(tmp.resolve("work"));
        Cli cli = cli().cwd(cwd).clock(Clock.fixed(t, ZoneOffset.UTC));
        BundleFixtures.Run run = BundleFixtures.bundle(cli, report(), new Bundler.Options(null, false, false));
        assertEquals(cwd.resolve("minsky-bundle-20261127T010203Z.zip"), run.path());
        assertTrue(Files.isRegularFile(run.path()));
    }

    @Test
    void an_existing_file_is_replaced_and_made_private() throws Exception {
        Cli cli = cli();
        Path file = tmp.resolve("old.zip");
        Files.writeString(file, "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        BundleFixtures.bundle(cli, report(), new Bundler.Options(file, false, false));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(BundleFixtures.unpack(file, tmp).containsKey("report.md"));
    }

    @Test
    void preview_prints_manifest_and_report_and_writes_nothing() throws Exception {
        Path cwd = Files.createDirectories(tmp.resolve("work"));
        Cli cli = cli().cwd(cwd);
        BundleFixtures.Run run = BundleFixtures.bundle(cli, report(), new Bundler.Options(null, true, false));
        assertNull(run.path());
        assertTrue(run.out().contains("\"files\""), run.out());
        assertTrue(run.out().contains("# minsky bug report"), run.out());
        assertTrue(run.out().contains("PostgreSQL rejected the password"), run.out());
        try (var s = Files.list(cwd)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void a_healthy_report_with_nothing_in_it_and_one_with_fixes_both_render() throws Exception {
        Cli cli = cli();
        DoctorReport empty = new DoctorReport(1, "json", null, true, List.of(), List.of(), List.of(), null, null);
        Path a = tmp.resolve("a.zip");
        BundleFixtures.bundle(cli, empty, new Bundler.Options(a, false, false));
        String md = BundleFixtures.text(BundleFixtures.unpack(a, tmp), "report.md");
        assertTrue(md.contains("No findings: the doctor found nothing wrong."), md);
        assertTrue(md.contains("| healthy | yes |"), md);

        DoctorReport fixed = report().withFixes(List.of(new dev.minsky.doctor.model.AppliedFix("backup.create",
                "backup.none-recent", "applied", "~/.local/state/minsky/backups/sessions-20261127T000000Z.json", "took a backup", "j-1")),
                empty);
        Path b = tmp.resolve("b.tar.gz");
        BundleFixtures.bundle(cli, fixed, new Bundler.Options(b, false, false));
        Map<String, byte[]> entries = BundleFixtures.unpack(b, tmp);
        assertTrue(BundleFixtures.text(entries, "report.md").contains("| `backup.create` | `backup.none-recent` | applied |"));
        assertTrue(BundleFixtures.text(entries, "report.html").contains("<h2 id=\"applied\">Fixes tried</h2>"));
        assertTrue(Bundler.JSON.readTree(entries.get("findings.json")).get("after").get("healthy").asBoolean());
    }

    @Test
    void a_missing_directory_or_a_directory_as_target_is_bad_input() throws Exception {
        Cli cli = cli();
        MinskyException e = assertThrows(MinskyException.class,
                () -> BundleFixtures.bundle(cli, report(), new Bundler.Options(tmp.resolve("nope/b.zip"), false, false)));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        MinskyException d = assertThrows(MinskyException.class,
                () -> BundleFixtures.bundle(cli, report(), new Bundler.Options(tmp, false, false)));
        assertEquals(2, d.exitCode());
        assertTrue(d.getMessage().contains("is a directory"), d.getMessage());
    }
}
