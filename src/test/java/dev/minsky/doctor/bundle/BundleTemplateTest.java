package dev.minsky.doctor.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.MinskyException;
import dev.minsky.doctor.model.DoctorReport;
import dev.minsky.testutil.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleTemplateTest {
    @TempDir
    Path tmp;
    private Cli cli;
    private Path templates;
    private DoctorReport report;

    @BeforeEach
    void setUp() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        cli = new Cli(home).env("MINSKY_SESSIONDB_BACKEND", "json").env("PGPASSWORD", "tpl-Secret-77");
        templates = Files.createDirectories(home.resolve(".config/minsky/templates/bundle"));
        report = BundleFixtures.postgresAuthFailed("postgresql://minsky:****@localhost:5432/minsky", List.of());
    }

    @Test
    void a_user_template_overrides_the_shipped_one_of_the_same_name_and_only_that_one() throws Exception {
        Files.writeString(templates.resolve("report.md.ftl"),
                "# Our team's report\nbackend=${meta.backend}\n<#list report.findings as f>* ${f.cause}\n</#list>");
        Path file = tmp.resolve("b.zip");
        BundleFixtures.bundle(cli, report, new Bundler.Options(file, false, false));
        Map<String, byte[]> entries = BundleFixtures.unpack(file, tmp);
        String md = BundleFixtures.text(entries, "report.md");
        assertTrue(md.startsWith("# Our team's report\nbackend=postgres\n* postgres.auth-failed\n"), md);
        assertFalse(md.contains("# minsky bug report"));
        assertTrue(BundleFixtures.text(entries, "report.html").contains("<h1>minsky bug report</h1>"), "html still shipped");
    }

    @Test
    void a_user_template_sees_only_sanitized_values() throws Exception {
        // the environment list is all a template could use to reach PGPASSWORD: it holds the mask
        Files.writeString(templates.resolve("report.md.ftl"),
                "<#list environment as e>${e.name}=${e.value}\n</#list>");
        Path file = tmp.resolve("b.zip");
        BundleFixtures.bundle(cli, report, new Bundler.Options(file, false, false));
        String md = BundleFixtures.text(BundleFixtures.unpack(file, tmp), "report.md");
        assertTrue(md.contains("PGPASSWORD=[REDACTED]"), md);
        assertFalse(md.contains("tpl-Secret-77"));
    }

    @Test
    void a_template_cannot_run_java_code() throws Exception {
        Files.writeString(templates.resolve("report.md.ftl"),
                "<#assign ex = \"freemarker.template.utility.Execute\"?new()>${ex(\"printenv PGPASSWORD\")}");
        Path file = tmp.resolve("b.zip");
        MinskyException e = assertThrows(MinskyException.class,
                () -> BundleFixtures.bundle(cli, report, new Bundler.Options(file, false, false)));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains("cannot render report template bundle/report.md.ftl"), e.getMessage());
        assertFalse(Files.exists(file));
    }

    @Test
    void a_broken_user_template_is_a_clear_error_naming_it() throws Exception {
        Files.writeString(templates.resolve("report.html.ftl"), "<#if>");
        MinskyException e = assertThrows(MinskyException.class,
                () -> BundleFixtures.bundle(cli, report, new Bundler.Options(tmp.resolve("b.zip"), false, false)));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains("bundle/report.html.ftl"), e.getMessage());
        assertTrue(e.hint().contains("~/.config/minsky/templates/"), e.hint());
    }
}
