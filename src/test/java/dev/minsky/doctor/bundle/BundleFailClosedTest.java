package dev.minsky.doctor.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.doctor.model.DoctorReport;
import dev.minsky.testutil.Cli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The final scan is the last line: an entry that reaches the archive by a path the sanitizer does
 * not cover (here, the test-only hook that adds raw entries after sanitizing) makes the whole
 * bundle fail with exit 4, and nothing is left on disk.
 */
class BundleFailClosedTest {
    private static final String PASSWORD = "fc-Secret/42+zz";

    @TempDir
    Path tmp;
    private Cli cli;
    private Path out;
    private DoctorReport report;

    @BeforeEach
    void setUp() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        out = Files.createDirectories(tmp.resolve("out"));
        cli = new Cli(home).env("MINSKY_SESSIONDB_BACKEND", "json").env("PGPASSWORD", PASSWORD).cwd(out);
        report = BundleFixtures.postgresAuthFailed("postgresql://minsky:****@localhost:5432/minsky", List.of());
    }

    private MinskyException refused(Path target, Archive.Entry raw) {
        return assertThrows(MinskyException.class,
                () -> BundleFixtures.bundle(cli, report, new Bundler.Options(target, false, false), List.of(raw)));
    }

    private void assertNothingWritten() throws Exception {
        try (var s = Files.list(out)) {
            assertEquals(List.of(), s.toList(), "no archive and no temp file");
        }
    }

    @Test
    void a_known_password_in_base64_inside_an_entry_aborts_with_exit_4_and_no_archive() throws Exception {
        String b64 = Base64.getEncoder().encodeToString(("minsky:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        MinskyException e = refused(out.resolve("b.zip"),
                new Archive.Entry("extra.txt", ("Authorization: Basic " + b64).getBytes(StandardCharsets.UTF_8)));
        assertEquals(ExitCode.INTERNAL, e.exitCode());
        assertTrue(e.getMessage().contains("the bundle was not written"), e.getMessage());
        assertTrue(e.getMessage().contains("environment PGPASSWORD"), e.getMessage());
        assertTrue(e.getMessage().contains("entry extra.txt"), e.getMessage());
        assertFalse(e.getMessage().contains(PASSWORD) || e.getMessage().contains(b64), "the error never shows the secret");
        assertTrue(e.hint().contains("nothing was written"), e.hint());
        assertNothingWritten();
    }

    @Test
    void a_known_password_in_an_entry_name_aborts() throws Exception {
        MinskyException plain = refused(out.resolve("b.tar.gz"), new Archive.Entry("dir/" + PASSWORD, new byte[0]));
        assertEquals(ExitCode.INTERNAL, plain.exitCode());
        assertTrue(plain.getMessage().contains("the name of an entry"), plain.getMessage());
        assertFalse(plain.getMessage().contains(PASSWORD));
        assertNothingWritten();
    }

    @Test
    void an_unknown_token_recognised_only_by_its_shape_aborts() throws Exception {
        MinskyException e = refused(out.resolve("b.zip"), new Archive.Entry("extra.json",
                "{\"token\": \"ghp_0123456789abcdefghijABCDEFGHIJ\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(ExitCode.INTERNAL, e.exitCode());
        assertTrue(e.getMessage().contains("github token") || e.getMessage().contains("secret pair"), e.getMessage());
        assertNothingWritten();
    }

    @Test
    void a_real_user_name_that_slipped_through_aborts() throws Exception {
        cli.env("USER", "fcuser-unique");
        MinskyException e = refused(out.resolve("b.zip"),
                new Archive.Entry("extra.txt", "owned by fcuser-unique".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("user name"), e.getMessage());
        assertNothingWritten();
    }

    @Test
    void a_failed_scan_leaves_an_existing_file_of_that_name_untouched() throws Exception {
        Path target = out.resolve("b.zip");
        Files.writeString(target, "previous bundle");
        refused(target, new Archive.Entry("extra.txt", ("pw " + PASSWORD).getBytes(StandardCharsets.UTF_8)));
        assertEquals("previous bundle", Files.readString(target));
        try (var s = Files.list(out)) {
            assertEquals(List.of(target), s.toList());
        }
    }

    @Test
    void preview_fails_closed_too_and_prints_nothing() {
        var runOut = new java.io.ByteArrayOutputStream();
        var env = BundleFixtures.env(cli, new java.io.PrintStream(runOut, true, StandardCharsets.UTF_8), System.err);
        assertThrows(MinskyException.class, () -> Bundler.write(env, report, new Bundler.Options(null, true, false),
                List.of(new Archive.Entry("x", PASSWORD.getBytes(StandardCharsets.UTF_8)))));
        assertEquals("", runOut.toString(StandardCharsets.UTF_8));
    }
}
