package dev.minsky.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minsky.model.SessionJson;
import dev.minsky.testutil.Cli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The doctor's advice on real files: it points somewhere else than the broken thing, and says when an area is empty. */
class AdviceEndToEndTest {
    @TempDir
    Path home;

    @Test
    void garbage_at_the_sqlite_path_is_pointed_at_a_different_writable_path_under_xdg_state_home() throws Exception {
        Path xdg = home.resolve("xdg-state");
        Path state = xdg.resolve("minsky");
        Files.createDirectories(state);
        Path db = state.resolve("sessions.db");
        Files.write(db, "this is not a database, just some bytes somebody wrote here\n".repeat(20).getBytes(StandardCharsets.UTF_8));
        byte[] before = Files.readAllBytes(db);
        Cli cli = new Cli(home).env("XDG_STATE_HOME", xdg.toString());

        Cli.Result r = cli.run("doctor", "--json");
        assertEquals(1, r.code(), r.toString());
        JsonNode doc = SessionJson.mapper().readTree(r.out());
        JsonNode finding = null;
        for (JsonNode f : doc.get("findings")) {
            if (f.get("cause").asText().equals("sqlite.not-a-database")) {
                finding = f;
            }
        }
        assertNotNull(finding, r.toString());
        String command = null;
        for (JsonNode x : finding.get("remediations")) {
            if (x.get("id").asText().equals("config.fix-path")) {
                command = x.get("command").asText();
            }
        }
        assertNotNull(command, finding.toString());
        Matcher m = Pattern.compile("config set sessiondb\\.dbPath (\\S+)").matcher(command);
        assertTrue(m.find(), command);
        Path offered = Path.of(m.group(1));
        assertNotEquals(db.toAbsolutePath().normalize(), offered.toAbsolutePath().normalize(), command);
        assertTrue(offered.isAbsolute(), command);
        assertTrue(offered.startsWith(state), "inside the XDG state directory: " + command);
        assertTrue(Files.isDirectory(offered.getParent()) && Files.isWritable(offered.getParent()), command);
        assertFalse(Files.exists(offered), "a free name, not some other file: " + command);
        assertFalse(r.out().contains(".local/state"), "no default path when XDG_STATE_HOME is set: " + r.out());
        assertTrue(Files.exists(db) && java.util.Arrays.equals(before, Files.readAllBytes(db)), "the doctor changed nothing");

        // the human view gives the same advice
        Cli.Result human = cli.run("doctor");
        assertTrue(human.out().contains("$ minsky config set sessiondb.dbPath " + offered), human.out());
    }

    @Test
    void backups_are_not_ticked_when_there_are_none_and_are_once_one_exists() throws Exception {
        Cli cli = new Cli(home);
        assertEquals(0, cli.run("session", "start", "one", "--repo", "https://example.com/r.git").code());
        Cli.Result r = cli.run("doctor");
        assertFalse(r.out().contains("[✓] Backups"), r.out());
        assertTrue(r.out().contains("[-] Backups — none yet"), r.out());
        assertTrue(r.out().contains("[✓] Sessions and workspaces"), "one session is something: " + r.out());

        Path backups = cli.stateDir().resolve("backups");
        Files.createDirectories(backups);
        Cli.Result export = cli.run("sessiondb", "export", "--all", "--format", "json");
        assertEquals(0, export.code(), export.toString());
        Files.writeString(backups.resolve("sessions-20261201T000000Z.json"), export.out());
        Cli.Result after = cli.run("doctor");
        assertTrue(after.out().contains("[✓] Backups"), after.out());
        assertFalse(after.out().contains("none yet"), after.out());
    }
}
