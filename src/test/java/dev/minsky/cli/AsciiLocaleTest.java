package dev.minsky.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.testutil.Cli;
import dev.minsky.testutil.JavaProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The doctor's marks under a locale that cannot print them: ASCII words, never '?'. */
class AsciiLocaleTest {
    @TempDir
    Path home;

    /** A JSON store that does not parse (an error) next to a good config (a ✓). */
    private Map<String, String> brokenJsonHome() throws Exception {
        Path state = home.resolve(".local/state/minsky");
        Files.createDirectories(state);
        Files.writeString(state.resolve("session-db.json"), "[{\"session\": \"a\", garb");
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("MINSKY_SESSIONDB_BACKEND", "json");
        return env;
    }

    private byte[] doctorInOwnJvm(Map<String, String> env, String lang) throws Exception {
        ProcessBuilder pb = JavaProcess.minsky(env, "doctor");
        pb.environment().remove("LC_ALL");
        pb.environment().remove("LC_CTYPE");
        pb.environment().remove("XDG_STATE_HOME");
        pb.environment().remove("XDG_CONFIG_HOME");
        pb.environment().put("LANG", lang);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the doctor ended within the 300 s budget");
        return out;
    }

    @Test
    void under_lang_c_the_doctor_prints_ascii_marks_and_no_question_marks() throws Exception {
        byte[] out = doctorInOwnJvm(brokenJsonHome(), "C");
        for (byte b : out) {
            assertTrue(b >= 0, "only ASCII under LANG=C: " + new String(out, StandardCharsets.ISO_8859_1));
        }
        String text = new String(out, StandardCharsets.US_ASCII);
        assertTrue(text.contains("[ok] Configuration"), text);
        assertTrue(text.contains("[xx] JSON store"), text);
        assertFalse(text.contains("[?]") || text.contains(" ? "), "no symbol turned into '?': " + text);
    }

    @Test
    void under_a_utf8_locale_the_symbols_stay() throws Exception {
        String text = new String(doctorInOwnJvm(brokenJsonHome(), "C.UTF-8"), StandardCharsets.UTF_8);
        assertTrue(text.contains("[✓] Configuration"), text);
        assertTrue(text.contains("[✗] JSON store"), text);
    }

    @Test
    void in_process_the_locale_of_the_environment_decides() throws Exception {
        brokenJsonHome();
        Cli cli = new Cli(home).env("MINSKY_SESSIONDB_BACKEND", "json");
        String utf = cli.run("doctor").out();
        assertTrue(utf.contains("[✗] JSON store"), utf);
        String c = cli.env("LC_ALL", "POSIX").env("LANG", "en_US.UTF-8").run("doctor").out();
        assertTrue(c.contains("[xx] JSON store") && c.contains("[ok] Configuration"), "LC_ALL wins over LANG: " + c);
        assertTrue(c.chars().allMatch(ch -> ch < 128), c);
    }
}
