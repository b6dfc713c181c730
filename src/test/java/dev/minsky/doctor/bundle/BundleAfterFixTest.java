package dev.minsky.doctor.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minsky.testutil.BrokenStates;
import dev.minsky.testutil.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code doctor --fix --bundle} on a real broken store that the fix repairs (a deleted JSON store
 * whose workspaces remain): the bundle's report shows the findings after the fix first, keeps the
 * ones before it under their own heading, and lists what was applied; findings.json holds both.
 */
class BundleAfterFixTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    @Test
    void a_bundle_made_with_fix_shows_the_findings_after_the_fix_and_keeps_the_ones_before_it() throws Exception {
        BrokenStates.deletedStore(home, "json");
        Cli cli = new Cli(home);
        Path zip = home.resolve("after-fix.zip");
        Cli.Result r = cli.run("doctor", "--fix", "--yes", "--bundle", zip.toString());
        assertTrue(Files.exists(zip), r.toString());
        assertTrue(Files.exists(cli.stateDir().resolve("session-db.json")), "the fix created the store again: " + r);

        Map<String, byte[]> entries = BundleFixtures.unpack(zip, home);
        String md = BundleFixtures.text(entries, "report.md");
        int after = md.indexOf("## Findings after the fix (");
        int before = md.indexOf("## Findings before the fix (");
        int fixes = md.indexOf("## Fixes tried");
        assertTrue(after >= 0 && before > after && fixes > before, md);
        String beforeSection = md.substring(before, fixes);
        String afterSection = md.substring(after, before);
        assertTrue(beforeSection.contains("`json.file-missing`"), "the pre-fix finding is kept: " + md);
        assertFalse(afterSection.contains("`json.file-missing`"), "the repaired cause is gone after the fix: " + md);
        assertTrue(md.substring(fixes).contains("applied"), "what was applied: " + md);
        assertTrue(md.contains("after the fix (before: no)"), "healthy says both: " + md);

        String html = BundleFixtures.text(entries, "report.html");
        assertTrue(html.contains("Findings after the fix") && html.contains("Findings before the fix"), html);

        JsonNode findings = JSON.readTree(BundleFixtures.text(entries, "findings.json"));
        assertTrue(findings.get("findings").toString().contains("json.file-missing"), "before, in findings.json");
        assertFalse(findings.get("after").get("findings").toString().contains("json.file-missing"), "after, in findings.json");
        assertTrue(findings.get("applied").size() > 0, findings.toString());
        assertEquals(findings.get("after").get("healthy").asBoolean(), md.contains("| healthy | yes after the fix"));
    }
}
