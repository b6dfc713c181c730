package dev.minsky.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.doctor.engine.CauseDef;
import dev.minsky.doctor.engine.PlaybookLoader;
import dev.minsky.testutil.BrokenStates;
import dev.minsky.testutil.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each finding's paragraph (why it matters, what the fix does, whether it can be undone), and -v's words on confidence. */
class FindingParagraphTest {
    @TempDir
    Path home;

    private Cli cli(BrokenStates.Built b) {
        Cli cli = new Cli(home);
        b.env().forEach(cli::env);
        return cli;
    }

    @Test
    void every_built_in_cause_says_why_it_matters_and_what_its_fix_does() {
        PlaybookLoader.Loaded kb = PlaybookLoader.load(List.of());
        assertTrue(kb.errors().isEmpty(), kb.errors().toString());
        for (CauseDef c : kb.causes()) {
            assertTrue(c.why() != null && c.why().length() > 20, c.id() + " has a why");
            assertTrue(c.fixDoes() != null && c.fixDoes().length() > 20, c.id() + " has a fixDoes");
        }
    }

    @Test
    void a_truncated_json_store_gets_a_paragraph_that_says_the_fix_can_be_undone() throws Exception {
        Cli.Result r;
        try (BrokenStates.Built b = BrokenStates.truncatedJson(home, 5)) {
            r = cli(b).run("doctor");
        }
        assertEquals(1, r.code(), r.toString());
        String text = r.out().replaceAll("\\s+", " ");
        assertTrue(text.contains("Why it matters: Every command that reads the store fails"), r.out());
        assertTrue(text.contains("The fix: Salvages every complete record"), r.out());
        assertTrue(text.contains("It can be undone"), r.out());
        assertTrue(r.out().lines().filter(l -> l.contains("Why it matters") || l.contains("The fix:")).allMatch(l -> l.length() <= 92),
                "paragraphs are wrapped: " + r.out());
    }

    @Test
    void a_manual_fix_says_minsky_will_not_do_it() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Cli cli = new Cli(home).env("MINSKY_SESSIONDB_BACKEND", "postgres")
                .env("MINSKY_POSTGRES_URL", "postgresql://u:pw-Secret-9@127.0.0.1:" + closed + "/db");
        Cli.Result r = cli.run("doctor");
        assertEquals(1, r.code(), r.toString());
        String text = r.out().replaceAll("\\s+", " ");
        assertTrue(text.contains("Why it matters: No command can read or write sessions until a server listens there."), r.out());
        assertTrue(text.contains("minsky cannot do this for you"), r.out());
    }

    @Test
    void verbose_says_what_raised_and_what_lowered_the_confidence() throws Exception {
        BrokenStates.Built b = BrokenStates.staleWal(home, 3);
        Cli.Result r = cli(b).run("doctor", "-v");
        assertEquals(1, r.code(), r.toString());
        String text = r.out().replaceAll("\\s+", " ");
        assertTrue(text.matches(".*Confidence \\d+%: raised by no process holds the database, yet its WAL is still there \\(weight 0\\.50\\).*"),
                r.out());
        assertTrue(text.contains("nothing lowered it") || text.contains("lowered by"), r.out());
        Cli.Result plain = cli(b).run("doctor");
        b.close();
        assertTrue(!plain.out().contains("raised by"), "only with -v: " + plain.out());
    }

    @Test
    void a_playbook_without_the_texts_still_loads_and_its_finding_uses_the_fix_summary() throws Exception {
        Path kb = Files.createDirectories(home.resolve("kb"));
        Files.writeString(kb.resolve("mine.yaml"), """
                area: config
                causes:
                  - id: local.always
                    title: A cause of my own
                    severity: warning
                    when:
                      - {fact: config.backend, exists: true}
                    evidence:
                      - {fact: config.backend, exists: true, supports: 0.9}
                    remediations:
                      - action: config.fix
                        safety: manual
                        summary: Do the thing by hand
                fixtures:
                  - name: always
                    facts: {config.backend: sqlite}
                    expect: [local.always]
                """);
        Cli.Result r;
        try (BrokenStates.Built b = BrokenStates.healthySqlite(home, 2)) {
            r = cli(b).run("doctor", "--kb", kb.toString());
        }
        String text = r.out().replaceAll("\\s+", " ");
        assertTrue(text.contains("A cause of my own"), r.toString());
        assertTrue(text.contains("The fix: Do the thing by hand. minsky cannot do this for you"), r.out());
        assertTrue(!text.contains("Why it matters: A cause"), r.out());
    }
}
