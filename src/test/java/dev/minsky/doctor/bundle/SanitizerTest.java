package dev.minsky.doctor.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minsky.AppContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SanitizerTest {
    @TempDir
    Path tmp;

    private Sanitizer sanitizer(KnownSecrets known, Map<String, String> env) {
        AppContext ctx = new AppContext(env, tmp, System.out, System.err, System.in, false, Clock.systemUTC());
        return new Sanitizer(known, Pseudonyms.forContext(ctx));
    }

    private Sanitizer plain() {
        return sanitizer(new KnownSecrets(), Map.of("HOME", tmp.resolve("h").toString()));
    }

    private String clean(Sanitizer s, String text) {
        return s.text(text, new Sanitizer.Counter());
    }

    @Test
    void names_that_hold_secrets_are_recognised_and_ordinary_ones_are_not() {
        for (String n : List.of("PGPASSWORD", "password", "db.passwd", "api_key", "apiKey", "sshKey", "GITHUB_TOKEN",
                "AWS_SECRET_ACCESS_KEY", "client_secret", "Authorization", "credentials", "auth", "x-auth-token")) {
            assertTrue(Sanitizer.sensitiveName(n), n);
        }
        for (String n : List.of("monkey", "taskId", "sessiondb.backend", "author", "postgres.connect.kind", "repoUrl",
                "sessiondb.connectionString", "keyboard", "session", "PWD", "OLDPWD")) {
            assertFalse(Sanitizer.sensitiveName(n), n);
        }
    }

    @Test
    void patterns_remove_the_secret_and_keep_what_surrounds_it() {
        Sanitizer s = plain();
        assertEquals("postgresql://minsky:[REDACTED]@db.example:5432/app", clean(s, "postgresql://minsky:s3cr3t@db.example:5432/app"));
        assertEquals("https://[REDACTED]@github.com/o/r.git", clean(s, "https://abcdefghijklmnopqrstuvwxyz012345@github.com/o/r.git"));
        assertEquals("conn password=[REDACTED] host=db", clean(s, "conn password=hunter22 host=db"));
        assertEquals("Authorization: Bearer [REDACTED]", clean(s, "Authorization: Bearer eyJhbGciOi.abc.def"));
        assertEquals("x [REDACTED] y", clean(s, "x ghp_0123456789abcdefghijABCDEFGHIJ y"));
        assertEquals("id [REDACTED]", clean(s, "id AKIAABCDEFGHIJKLMNOP"));
        assertEquals("k [REDACTED] end", clean(s, "k -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY----- end"));
        assertEquals("{\"password\": \"[REDACTED]\", \"user\": \"u\"}", clean(s, "{\"password\": \"pw with space\", \"user\": \"u\"}"),
                "quotes stay, so JSON stays JSON");
        assertEquals("export GITHUB_TOKEN=[REDACTED]", clean(s, "export GITHUB_TOKEN=abc123def456"));
        assertEquals("DB_PWD=[REDACTED] PWD=/srv/app OLDPWD=/srv", clean(s, "DB_PWD=hunter22 PWD=/srv/app OLDPWD=/srv"));
    }

    @Test
    void placeholders_and_masks_are_left_alone_and_a_second_pass_changes_nothing() {
        Sanitizer s = plain();
        for (String t : List.of("postgresql://USER:PASSWORD@localhost:5432/db", "postgresql://u:****@h/db", "PGPASSWORD=$PGPASSWORD",
                "CREATE ROLE minsky LOGIN PASSWORD '<choose one>'", "password authentication failed for user \"x\"",
                "postgres.connect.kind = auth")) {
            Sanitizer.Counter c = new Sanitizer.Counter();
            assertEquals(t, s.text(t, c));
            assertEquals(0, c.redacted(), t);
        }
        String once = clean(s, "a postgresql://u:pw12@h/db password=xyzzy Bearer abcdefgh12345");
        Sanitizer.Counter again = new Sanitizer.Counter();
        assertEquals(once, s.text(once, again));
        assertEquals(0, again.redacted());
    }

    @Test
    void a_known_secret_is_removed_in_every_form_and_inside_longer_base64() {
        KnownSecrets k = new KnownSecrets();
        String pw = "p@ss w/rd\"é";
        k.add("PGPASSWORD", pw);
        Sanitizer s = sanitizer(k, Map.of("HOME", tmp.resolve("h").toString()));
        String basic = Base64.getEncoder().encodeToString(("someone:" + pw + ":tail").getBytes(StandardCharsets.UTF_8));
        String text = String.join("\n", "plain " + pw, "url p%40ss+w%2Frd%22%C3%A9", "url2 p%40ss%20w%2Frd%22%C3%A9",
                "json p@ss w/rd\\\"é", "html p@ss w/rd&quot;é", "basic " + basic);
        Sanitizer.Counter c = new Sanitizer.Counter();
        String out = s.text(text, c);
        assertFalse(out.contains("ss w") || out.contains("w%2Frd") || out.contains("rd&quot;") || out.contains(basic), out);
        assertTrue(c.redacted() >= 6, out);
        assertTrue(SecretScanner.scanKnown(out, k).isEmpty(), out);
        assertFalse(SecretScanner.scanKnown(text, k).isEmpty(), "the scan sees what the sanitizer removed");
    }

    @Test
    void json_trees_lose_values_under_secret_names_and_in_secret_name_value_pairs() throws Exception {
        Sanitizer s = plain();
        JsonNode in = Bundler.JSON.readTree("{\"user\":\"u\",\"apiKey\":\"k-123456\",\"nested\":{\"token\":42,\"ok\":true},"
                + "\"facts\":[{\"id\":\"postgres.password\",\"value\":\"pw\"},{\"id\":\"postgres.port\",\"value\":5432}],"
                + "\"env\":[{\"name\":\"MY_SECRET\",\"value\":\"v\"}]}");
        Sanitizer.Counter c = new Sanitizer.Counter();
        JsonNode out = s.tree(in, c);
        assertEquals("[REDACTED]", out.get("apiKey").asText());
        assertEquals("[REDACTED]", out.get("nested").get("token").asText());
        assertTrue(out.get("nested").get("ok").asBoolean());
        assertEquals("[REDACTED]", out.get("facts").get(0).get("value").asText());
        assertEquals(5432, out.get("facts").get(1).get("value").asInt());
        assertEquals("[REDACTED]", out.get("env").get(0).get("value").asText());
        assertEquals(4, c.redacted());
    }

    @Test
    void pseudonyms_replace_whole_names_only_and_never_a_pseudonym() {
        Sanitizer s = sanitizer(new KnownSecrets(), Map.of("HOME", "/home/user", "USER", "user", Pseudonyms.HOSTNAME_VAR, "vm"));
        String out = clean(s, "user on vm in /home/user/x: jvm vm-build user_x ~user");
        String userP = s.pseudonyms().of("user", "user");
        String hostP = s.pseudonyms().of("host", "vm");
        assertNotNull(userP);
        assertTrue(userP.matches("user-[0-9a-f]{10}"), userP);
        assertEquals(userP + " on " + hostP + " in ~/x: jvm " + hostP + "-build user_x ~" + userP, out);
        assertEquals(out, clean(s, out), "a pseudonym is not pseudonymized again");
        assertTrue(s.pseudonyms().scan(out).isEmpty(), out);
    }
}
