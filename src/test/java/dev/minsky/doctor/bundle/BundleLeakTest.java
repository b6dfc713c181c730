package dev.minsky.doctor.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minsky.AppContext;
import dev.minsky.doctor.model.DoctorReport;
import dev.minsky.doctor.model.Fact;
import dev.minsky.log.MinskyLog;
import dev.minsky.testutil.Cli;
import dev.minsky.testutil.PostgresServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5's proof: unique canary secrets planted everywhere they can reach (config files, both
 * URL forms in config and environment, PGPASSWORD and another secret-named variable, tokens in
 * session repo URLs, the tool's own log including a line written during a real failed
 * PostgreSQL login, facts, findings, the command line, and the home, user and host names), then
 * a bundle is built, every entry unpacked, and none of them is found in any form.
 */
class BundleLeakTest {
    @TempDir
    Path tmp;

    private final String rnd = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    /** label -> secret value; none may appear in any form. */
    private final Map<String, String> secrets = new LinkedHashMap<>();
    /** label -> identity; none may appear, in any letter case. */
    private final Map<String, String> identities = new LinkedHashMap<>();
    private Cli cli;
    private Path home;
    private Path cwd;
    private String hostCanary;
    private String userCanary;

    @BeforeEach
    void plant() throws Exception {
        String homeName = "homecnry" + rnd;
        userCanary = "usercnry" + rnd;
        hostCanary = "hostcnry-" + rnd + ".corp.example";
        identities.put("home directory name", homeName);
        identities.put("user name", userCanary);
        identities.put("host name", hostCanary);
        home = Files.createDirectories(tmp.resolve(homeName));
        cwd = Files.createDirectories(home.resolve("src/project"));

        secret("config file password", "Cfg/" + rnd + "&\"é+x");
        secret("project config password", "Prj " + rnd + "#!");
        secret("MINSKY_POSTGRES_URL password", "EnvA:" + rnd + "@%");
        secret("MINSKY_SESSIONDB_POSTGRES_URL password", "EnvB" + rnd + "$y");
        secret("PGPASSWORD", "PGPW'" + rnd + "<>");
        secret("MY_SERVICE_API_TOKEN", "svc_" + rnd + "_tok");
        secret("repo URL token (user:token)", "rt" + rnd + "Q9w8e7r6");
        secret("repo URL token (token only)", "glt" + rnd + "Z1x2c3v4");

        Path cfgDir = Files.createDirectories(home.resolve(".config/minsky"));
        Files.writeString(cfgDir.resolve("config.yaml"), "sessiondb:\n  backend: json\n  connectionString: \"postgresql://canary_role:"
                + enc(secrets.get("config file password")) + "@" + hostCanary + ":5432/minsky\"\n");
        Path proj = Files.createDirectories(cwd.resolve(".minsky"));
        Files.writeString(proj.resolve("config.yaml"), "sessiondb:\n  connectionString: 'postgres://minsky:"
                + enc(secrets.get("project config password")) + "@db.internal:5432/minsky'\n");

        cli = new Cli(home).cwd(cwd)
                .env("USER", userCanary).env("LOGNAME", userCanary)
                .env(Pseudonyms.HOSTNAME_VAR, hostCanary)
                .env("MINSKY_POSTGRES_URL", "postgres://minsky:" + enc(secrets.get("MINSKY_POSTGRES_URL password")) + "@" + hostCanary + "/minsky")
                .env("MINSKY_SESSIONDB_POSTGRES_URL", "postgresql://minsky:" + enc(secrets.get("MINSKY_SESSIONDB_POSTGRES_URL password"))
                        + "@" + hostCanary + ":5432/minsky?sslmode=disable")
                .env("PGPASSWORD", secrets.get("PGPASSWORD"))
                .env("MY_SERVICE_API_TOKEN", secrets.get("MY_SERVICE_API_TOKEN"));

        // the JSON store: session records whose repo URLs carry tokens
        Path state = Files.createDirectories(home.resolve(".local/state/minsky"));
        Files.writeString(state.resolve("session-db.json"), "[\n"
                + "{\"session\":\"task-1\",\"repoName\":\"org/app\",\"repoUrl\":\"https://x-access-token:"
                + secrets.get("repo URL token (user:token)") + "@github.com/org/app.git\",\"createdAt\":\"2026-11-01T10:00:00Z\","
                + "\"taskId\":\"md#1\",\"repoPath\":\"" + state.resolve("sessions/task-1") + "\",\"branch\":\"task-1\"},\n"
                + "{\"session\":\"task-2\",\"repoName\":\"g/r\",\"repoUrl\":\"https://" + secrets.get("repo URL token (token only)")
                + "@gitlab.example.com/g/r.git\",\"createdAt\":\"2026-11-02T10:00:00Z\",\"repoPath\":\"" + home.resolve("work/r") + "\"}\n]\n");

        // the tool's own log: lines that escaped scrubbing in every form a secret takes
        MinskyLog log = MinskyLog.forContext(cli.context(System.out, System.err, ""));
        failedPostgresLogin(log);
        List<String> raw = new ArrayList<>();
        for (Map.Entry<String, String> s : secrets.entrySet()) {
            String v = s.getValue();
            raw.add("2026-11-27T00:00:01Z ERROR sessiondb plain " + v);
            raw.add("2026-11-27T00:00:02Z DEBUG sessiondb request {\"note\":" + new ObjectMapper().writeValueAsString(v) + "}");
            raw.add("2026-11-27T00:00:03Z DEBUG sessiondb url-encoded q=" + enc(v) + "&x=1");
            raw.add("2026-11-27T00:00:04Z DEBUG http Authorization: Basic "
                    + Base64.getEncoder().encodeToString(("minsky:" + v).getBytes(StandardCharsets.UTF_8)));
            raw.add("2026-11-27T00:00:05Z DEBUG http blob " + Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8)));
        }
        raw.add("2026-11-27T00:00:06Z DEBUG http Authorization: Bearer bearercnry" + rnd + "abcdef");
        secrets.put("bearer token", "bearercnry" + rnd + "abcdef");
        raw.add("2026-11-27T00:00:07Z DEBUG env AWS_ACCESS_KEY_ID=AKIA" + rnd.toUpperCase(Locale.ROOT) + "WXYZ");
        secrets.put("AWS key id", "AKIA" + rnd.toUpperCase(Locale.ROOT) + "WXYZ");
        raw.add("2026-11-27T00:00:08Z DEBUG git token ghp_" + rnd + "abcdefghijklmnopqrstuv");
        secrets.put("GitHub token", "ghp_" + rnd + "abcdefghijklmnopqrstuv");
        raw.add("-----BEGIN RSA PRIVATE KEY-----");
        raw.add("MIIEpemcnry" + rnd + "AAKCAQEA");
        raw.add("-----END RSA PRIVATE KEY-----");
        secrets.put("PEM body", "MIIEpemcnry" + rnd + "AAKCAQEA");
        raw.add("2026-11-27T00:00:09Z INFO cli running on " + hostCanary + " as " + userCanary + " in " + home);
        String realHost = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        raw.add("2026-11-27T00:00:10Z INFO cli kernel host name " + realHost + " (" + realHost.toUpperCase(Locale.ROOT) + ")");
        Files.writeString(log.file(), String.join("\n", raw) + "\n", StandardOpenOption.APPEND);
    }

    private void secret(String label, String value) {
        secrets.put(label, value);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A real failed login against a throwaway server, logged with the password as a careless line would. */
    private void failedPostgresLogin(MinskyLog log) {
        PostgresServer pg = PostgresServer.shared();
        String pw = secrets.get("config file password");
        Properties p = new Properties();
        p.setProperty("user", "canary_role");
        p.setProperty("password", pw);
        try {
            DriverManager.getConnection(pg.jdbcUrl("postgres"), p).close();
            throw new AssertionError("the login with a wrong password succeeded");
        } catch (SQLException e) {
            assertEquals("28P01", e.getSQLState(), e.getMessage());
            log.error("sessiondb", "connect to " + pg.url("canary_role", enc(pw), "postgres") + " as canary_role with password "
                    + pw + " failed: " + e.getMessage());
        }
    }

    private DoctorReport report() {
        Path state = home.resolve(".local/state/minsky");
        List<Fact> facts = List.of(
                new Fact("store.path", state.resolve("session-db.json").toString(), "store"),
                new Fact("postgres.server.host", hostCanary, "postgres.connect"),
                new Fact("sqlite.holders", "pid 4242: psql postgresql://canary_role:" + enc(secrets.get("config file password"))
                        + "@" + hostCanary + "/minsky", "sqlite.holders"),
                new Fact("probe.postgres.connect.error", "connect failed, password=" + secrets.get("PGPASSWORD") + " host " + hostCanary,
                        "postgres.connect"),
                new Fact("postgres.password", secrets.get("MINSKY_SESSIONDB_POSTGRES_URL password"), "planted"),
                new Fact("workspaces.orphaned.names", userCanary + "-scratch, task-9", "workspaces"));
        DoctorReport base = BundleFixtures.postgresAuthFailed(
                "postgresql://minsky:****@" + hostCanary + ":5432/minsky", facts);
        return base;
    }

    private Bundler.Options options(Path file, boolean includeData) {
        return new Bundler.Options(file, false, includeData, List.of("doctor", "--bundle", file.toString(), "--note",
                "PGPASSWORD=" + secrets.get("PGPASSWORD"), "postgres://minsky:" + secrets.get("MINSKY_POSTGRES_URL password") + "@h/db"));
    }

    @Test
    void zip_bundle_carries_no_planted_secret_or_name_in_any_form_but_keeps_findings_and_probes() throws Exception {
        Path file = cwd.resolve("bug.zip");
        BundleFixtures.bundle(cli, report(), options(file, false));
        Map<String, byte[]> entries = BundleFixtures.unpack(file, tmp);
        assertNoLeaks(entries);
        assertReportUseful(entries);
        assertTrue(!entries.containsKey("sessions.json"), "records only with --include-data");
    }

    @Test
    void tar_gz_bundle_with_session_records_carries_no_planted_secret_or_name_in_any_form() throws Exception {
        Path file = cwd.resolve("bug.tar.gz");
        BundleFixtures.bundle(cli, report(), options(file, true));
        Map<String, byte[]> entries = BundleFixtures.unpack(file, tmp);
        assertNoLeaks(entries);
        assertReportUseful(entries);
        JsonNode sessions = Bundler.JSON.readTree(entries.get("sessions.json"));
        assertEquals(2, sessions.size());
        assertEquals("https://x-access-token:[REDACTED]@github.com/org/app.git", sessions.get(0).get("repoUrl").asText());
        assertEquals("https://[REDACTED]@gitlab.example.com/g/r.git", sessions.get(1).get("repoUrl").asText());
        assertTrue(sessions.get(0).get("repoPath").asText().startsWith("~/.local/state/minsky/sessions/"), sessions.toString());
        JsonNode manifest = Bundler.JSON.readTree(entries.get("manifest.json"));
        for (JsonNode f : manifest.get("files")) {
            if (f.get("name").asText().equals("sessions.json")) {
                assertTrue(f.get("redacted").asInt() >= 2, f.toString());
            }
        }
    }

    @Test
    void preview_output_carries_no_planted_secret_either() throws Exception {
        BundleFixtures.Run run = BundleFixtures.bundle(cli, report(), new Bundler.Options(null, true, true));
        assertNoLeaks(Map.of("preview", run.out().getBytes(StandardCharsets.UTF_8)));
        assertTrue(run.out().contains("PostgreSQL rejected the password"));
    }

    @Test
    void pseudonyms_are_keyed_stable_per_machine_and_the_key_stays_private() throws Exception {
        Path a = cwd.resolve("a.zip");
        Path b = cwd.resolve("b.zip");
        BundleFixtures.bundle(cli, report(), options(a, false));
        BundleFixtures.bundle(cli, report(), options(b, false));
        String hostA = hostPseudonym(BundleFixtures.unpack(a, tmp));
        String hostB = hostPseudonym(BundleFixtures.unpack(b, tmp));
        assertEquals(hostA, hostB, "same machine, same pseudonym");
        assertTrue(hostA.matches("host-[0-9a-f]{10}"), hostA);
        // not an unkeyed hash that anyone could recompute from a list of likely names
        for (String guess : List.of(hostCanary, "host\0" + hostCanary)) {
            String plain = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(guess.getBytes(StandardCharsets.UTF_8)));
            assertNotEquals("host-" + plain.substring(0, 10), hostA);
        }
        Path key = home.resolve(".config/minsky/bundle-key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        String keyText = Files.readString(key).strip();
        for (byte[] content : BundleFixtures.unpack(a, tmp).values()) {
            assertTrue(!new String(content, StandardCharsets.UTF_8).contains(keyText), "the key never goes into a bundle");
        }
        // another machine (another key) gives another pseudonym for the same name
        Files.delete(key);
        Path c = cwd.resolve("c.zip");
        BundleFixtures.bundle(cli, report(), options(c, false));
        assertNotEquals(hostA, hostPseudonym(BundleFixtures.unpack(c, tmp)));
    }

    @Test
    void a_config_file_that_does_not_parse_does_not_leak_its_password_through_the_parser_message() throws Exception {
        // the user broke the YAML: the backend is no longer read (the default, sqlite, is used), and
        // the session tokens must still be learned from the JSON store that is there
        Path cfg = home.resolve(".config/minsky/config.yaml");
        Files.writeString(cfg, "sessiondb:\n  connectionString: \"postgresql://canary_role:"
                + enc(secrets.get("config file password")) + "@" + hostCanary + ":5432/minsky\n  backend: [json\n");
        Path file = cwd.resolve("broken.zip");
        BundleFixtures.bundle(cli, report(), options(file, false));
        Map<String, byte[]> entries = BundleFixtures.unpack(file, tmp);
        String md = BundleFixtures.text(entries, "report.md");
        assertTrue(md.contains("does not parse"), "the config problem is reported: " + md);
        assertNoLeaks(entries);
    }

    @Test
    void a_key_value_connection_string_in_a_config_file_leaks_no_password() throws Exception {
        // the project config's URL becomes a key=value string with another password; the old one's
        // planted log lines go, and the log gets the new one in every form instead, so that only the
        // key=value string can teach the bundle its password
        String old = secrets.remove("project config password");
        secret("key=value config password", "Kv cfg'" + rnd + "\\z");
        String pw = secrets.get("key=value config password");
        String kv = "host=db.internal port = 5432 dbname=minsky user=minsky password='"
                + pw.replace("\\", "\\\\").replace("'", "\\'") + "' sslmode=require";
        Files.writeString(cwd.resolve(".minsky/config.yaml"), "sessiondb:\n  connectionString: "
                + new ObjectMapper().writeValueAsString(kv) + "\n");
        MinskyLog log = MinskyLog.forContext(cli.context(System.out, System.err, ""));
        List<String> oldForms = List.of(old, new ObjectMapper().writeValueAsString(old), enc(old),
                Base64.getEncoder().encodeToString(("minsky:" + old).getBytes(StandardCharsets.UTF_8)),
                Base64.getEncoder().encodeToString(old.getBytes(StandardCharsets.UTF_8)));
        List<String> lines = new ArrayList<>(Files.readAllLines(log.file()).stream()
                .filter(l -> oldForms.stream().noneMatch(l::contains)).toList());
        lines.add("2026-11-27T00:00:01Z ERROR sessiondb plain " + pw);
        lines.add("2026-11-27T00:00:02Z DEBUG sessiondb request {\"note\":" + new ObjectMapper().writeValueAsString(pw) + "}");
        lines.add("2026-11-27T00:00:03Z DEBUG sessiondb url-encoded q=" + enc(pw) + "&x=1");
        lines.add("2026-11-27T00:00:05Z DEBUG http blob " + Base64.getEncoder().encodeToString(pw.getBytes(StandardCharsets.UTF_8)));
        lines.add("2026-11-27T00:00:06Z DEBUG sessiondb using " + kv);
        Files.writeString(log.file(), String.join("\n", lines) + "\n");

        Path file = cwd.resolve("kv.zip");
        BundleFixtures.bundle(cli, report(), options(file, false));
        Map<String, byte[]> entries = BundleFixtures.unpack(file, tmp);
        assertNoLeaks(entries);
        assertReportUseful(entries);
        BundleFixtures.Run preview = BundleFixtures.bundle(cli, report(), new Bundler.Options(null, true, true));
        assertNoLeaks(Map.of("preview", preview.out().getBytes(StandardCharsets.UTF_8)));
    }

    private static String hostPseudonym(Map<String, byte[]> entries) throws Exception {
        JsonNode facts = Bundler.JSON.readTree(entries.get("facts.json"));
        String inFacts = null;
        for (JsonNode f : facts) {
            if (f.get("id").asText().equals("postgres.server.host")) {
                inFacts = f.get("value").asText();
            }
        }
        String md = BundleFixtures.text(entries, "report.md");
        Matcher m = Pattern.compile("\\| host / user \\| (\\S+) / (\\S+) \\|").matcher(md);
        assertTrue(m.find(), md);
        assertEquals(inFacts, m.group(1), "one name, one pseudonym everywhere in a bundle");
        return inFacts;
    }

    private void assertReportUseful(Map<String, byte[]> entries) {
        for (String name : List.of("report.md", "report.html")) {
            String r = BundleFixtures.text(entries, name);
            assertTrue(r.contains("PostgreSQL rejected the password"), name);
            assertTrue(r.contains("No backup newer than 7 days"), name);
            assertTrue(r.contains("postgres.connect"), name);
            assertTrue(r.contains("28P01 password authentication failed"), name + ": probe detail");
            assertTrue(r.contains("[REDACTED]"), name);
            assertTrue(r.contains("~/.local/state/minsky/session-db.json"), name + ": paths keep their shape");
        }
        String md = BundleFixtures.text(entries, "report.md");
        assertTrue(md.contains("| `postgres.connect` | failed | 41 | 28P01 password authentication failed |"), md);
        assertTrue(md.contains("| `config` | ok | 3 |"), md);
        assertTrue(md.contains("| sessions | 2 (read-only look) |"), md);
        assertTrue(md.contains("49.0 GiB free of 97.9 GiB"), md);
    }

    /** Independent of the sanitizer's own list of forms: what a reader of the bundle could decode. */
    private void assertNoLeaks(Map<String, byte[]> entries) throws Exception {
        List<String> leaks = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        String realHost = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        Pattern realHostWord = Pattern.compile("(?<![A-Za-z0-9_-])" + Pattern.quote(realHost) + "(?![A-Za-z0-9_-])",
                Pattern.CASE_INSENSITIVE);
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            String content = new String(e.getValue(), StandardCharsets.UTF_8);
            for (String text : List.of(e.getKey(), content)) {
                for (Map.Entry<String, String> s : secrets.entrySet()) {
                    String v = s.getValue();
                    Map<String, String> forms = new LinkedHashMap<>();
                    forms.put("plain", v);
                    forms.put("URL-encoded", URLEncoder.encode(v, StandardCharsets.UTF_8));
                    forms.put("URL-encoded %20", enc(v));
                    String quoted = json.writeValueAsString(v);
                    forms.put("JSON-escaped", quoted.substring(1, quoted.length() - 1));
                    forms.put("HTML-escaped", v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                            .replace("\"", "&quot;").replace("'", "&#39;"));
                    forms.put("base64", Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8)));
                    forms.put("base64url", Base64.getUrlEncoder().withoutPadding().encodeToString(v.getBytes(StandardCharsets.UTF_8)));
                    forms.forEach((form, f) -> {
                        if (text.contains(f)) {
                            leaks.add(s.getKey() + " (" + form + ") in " + e.getKey());
                        }
                    });
                    Matcher b64 = Pattern.compile("[A-Za-z0-9+/_-]{12,}={0,2}").matcher(text);
                    while (b64.find()) {
                        String run = b64.group().replace('-', '+').replace('_', '/').replace("=", "");
                        for (int drop = 0; drop < 4 && run.length() - drop > 0; drop++) {
                            String body = run.substring(0, run.length() - drop);
                            if (body.length() % 4 == 1) {
                                continue;
                            }
                            try {
                                String d = new String(Base64.getDecoder().decode(body + "==".substring(0, (4 - body.length() % 4) % 4)),
                                        StandardCharsets.UTF_8);
                                if (d.contains(v)) {
                                    leaks.add(s.getKey() + " (inside base64) in " + e.getKey());
                                }
                            } catch (IllegalArgumentException ignored) {
                                // not base64
                            }
                        }
                    }
                }
                for (Map.Entry<String, String> id : identities.entrySet()) {
                    if (text.toLowerCase(Locale.ROOT).contains(id.getValue().toLowerCase(Locale.ROOT))) {
                        leaks.add(id.getKey() + " in " + e.getKey());
                    }
                }
                if (text.contains(home.toString())) {
                    leaks.add("home path in " + e.getKey());
                }
                if (realHostWord.matcher(text).find()) {
                    leaks.add("the machine's real host name in " + e.getKey());
                }
            }
        }
        assertEquals(List.of(), leaks);
    }

    @Test
    void the_test_would_see_a_leak() throws Exception {
        // guards against a checker that cannot fail: the raw inputs hold every canary
        AppContext ctx = cli.context(System.out, System.err, "");
        String log = Files.readString(ctx.paths().logsDir().resolve("minsky.log"));
        Map<String, byte[]> raw = Map.of("minsky.log", log.getBytes(StandardCharsets.UTF_8));
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> assertNoLeaks(raw));
        for (String label : List.of("PGPASSWORD (plain)", "repo URL token (token only) (inside base64)", "host name",
                "the machine's real host name", "PEM body (plain)", "config file password (JSON-escaped)")) {
            assertTrue(e.getMessage().contains(label), label + " not seen in " + e.getMessage());
        }
    }
}
