package dev.minsky.doctor.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.AppContext;
import dev.minsky.cli.MinskyCommand;
import dev.minsky.util.ConnectionSecrets;
import dev.minsky.util.Secrets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One table of every form in which a secret sits in a URL or a connection string, checked against
 * every place minsky masks, knows or scans for secrets, all of which use {@link ConnectionSecrets}:
 * output and logs ({@link Secrets#mask}), the bundle's patterns ({@link Sanitizer}, and the final
 * scan {@link SecretScanner#scanPatterns}), the bundle's known values ({@link KnownSecrets#addFromText})
 * and the log's registered secrets ({@link MinskyCommand} with the connection string configured).
 * Each place must remove the same secret and keep what surrounds it.
 */
class ConnectionSecretsTest {
    @TempDir
    Path tmp;

    /** text, the secret as it appears in the text, the secret decoded (null: same), what must stay, a valid PostgreSQL URL. */
    static Stream<Arguments> forms() {
        return Stream.of(
                row("postgres://u:p4ssw0rd@db.example/app", "p4ssw0rd", null, "postgres://u:", true),
                row("postgresql://minsky:s3cr3t@db.example:5432/app", "s3cr3t", null, "@db.example:5432/app", true),
                row("jdbc:postgresql://minsky:s3cr3t@db.example:5432/app", "s3cr3t", null, "jdbc:postgresql://minsky:", true),
                row("postgresql://u@db.example/app?password=qu3ry-pw", "qu3ry-pw", null, "postgresql://u@db.example/app?password=", true),
                row("postgresql://u@h/app?sslmode=require&password=qu3ry-pw&application_name=x", "qu3ry-pw", null,
                        "&application_name=x", true),
                row("postgresql://u@h/app?sslpassword=k3y-pass&sslmode=verify-full", "k3y-pass", null, "&sslmode=verify-full", true),
                row("postgresql://u:p%40ss%3Aw%2Fd@db.example/app", "p%40ss%3Aw%2Fd", "p@ss:w/d", "@db.example/app", true),
                row("postgresql://u:p@ss@db.example/app", "p@ss", null, "@db.example/app", false),
                row("host=db.example user=u password=hunter22 dbname=app", "hunter22", null, " dbname=app", false),
                row("host=db.example password='quoted value' dbname=app", "quoted value", null, " dbname=app", false),
                row("host=db.example password='it\\'s secret' dbname=app", "it\\'s secret", "it's secret", " dbname=app", false),
                row("host=db.example sslpassword=k3y-pass sslmode=verify-full", "k3y-pass", null, " sslmode=verify-full", false),
                row("PGPASSWORD=env-s3cret psql -h db", "env-s3cret", null, " psql -h db", false),
                row("Server=db;Uid=u;Pwd=odbc-s3cret;Database=app", "odbc-s3cret", null, ";Database=app", false),
                row("https://api.example/v1/items?access_token=tok3n-value-1234&page=2", "tok3n-value-1234", null, "&page=2", false),
                row("https://x-access-token:ghs_abcdefghijklmnop1234@github.com/org/app.git", "ghs_abcdefghijklmnop1234", null,
                        "https://x-access-token:", false),
                row("https://abcdefghijklmnopqrstuvwxyz012345@github.com/o/r.git", "abcdefghijklmnopqrstuvwxyz012345", null,
                        "@github.com/o/r.git", false),
                row("{\"password\": \"pw with space\", \"user\": \"u\"}", "pw with space", null, "\"user\": \"u\"}", false));
    }

    private static Arguments row(String text, String secret, String decoded, String kept, boolean pgUrl) {
        return Arguments.of(text, secret, decoded == null ? secret : decoded, kept, pgUrl);
    }

    @ParameterizedTest
    @MethodSource("forms")
    void the_parser_finds_exactly_the_secret(String text, String secret, String decoded, String kept, boolean pgUrl) {
        List<ConnectionSecrets.Span> spans = ConnectionSecrets.find(text);
        assertEquals(1, spans.size(), "one secret in " + text + ": " + spans);
        assertEquals(secret, text.substring(spans.get(0).start(), spans.get(0).end()));
        assertTrue(spans.get(0).values().contains(decoded), "decoded too: " + spans.get(0).values());
    }

    @ParameterizedTest
    @MethodSource("forms")
    void output_and_logs_mask_it(String text, String secret, String decoded, String kept, boolean pgUrl) {
        String masked = Secrets.mask(text);
        assertFalse(masked.contains(secret) || masked.contains(decoded), masked);
        assertTrue(masked.contains(kept), "keeps '" + kept + "': " + masked);
        assertTrue(masked.contains(Secrets.MASK), masked);
    }

    @ParameterizedTest
    @MethodSource("forms")
    void the_bundle_patterns_and_the_final_scan_agree(String text, String secret, String decoded, String kept, boolean pgUrl) {
        String clean = plain().text(text, new Sanitizer.Counter());
        assertFalse(clean.contains(secret) || clean.contains(decoded), clean);
        assertTrue(clean.contains(kept), "keeps '" + kept + "': " + clean);
        assertFalse(SecretScanner.scanPatterns(text).isEmpty(), "the final scan refuses the raw text");
        assertTrue(SecretScanner.scanPatterns(clean).isEmpty(), "and accepts the sanitized one: " + SecretScanner.scanPatterns(clean));
    }

    @ParameterizedTest
    @MethodSource("forms")
    void the_bundle_knows_the_value(String text, String secret, String decoded, String kept, boolean pgUrl) {
        KnownSecrets k = new KnownSecrets();
        k.addFromText("config", text);
        List<String> values = k.secrets().stream().map(KnownSecrets.Secret::value).toList();
        assertTrue(values.contains(decoded), "knows " + decoded + ": " + values.size() + " values");
        // known by value, it is removed wherever it appears, also outside any URL
        String elsewhere = "the log said: " + decoded + " was refused";
        String clean = sanitizer(k).text(elsewhere, new Sanitizer.Counter());
        assertFalse(clean.contains(decoded), clean);
    }

    @ParameterizedTest
    @MethodSource("forms")
    void the_log_registers_it_from_the_configured_connection_string(String text, String secret, String decoded, String kept,
                                                                    boolean pgUrl) throws Exception {
        if (!pgUrl) {
            return; // config accepts only valid PostgreSQL URLs as sessiondb.connectionString: the other forms cannot be configured
        }
        Path home = Files.createDirectories(tmp.resolve("home"));
        AppContext ctx = new AppContext(Map.of("HOME", home.toString(), "MINSKY_POSTGRES_URL", text), tmp,
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()), System.in, false,
                Clock.systemUTC());
        MinskyCommand root = new MinskyCommand(ctx);
        root.config();
        String line = root.log().scrub("connecting with " + decoded + " as the password (raw " + secret + ")");
        assertFalse(line.contains(decoded) || line.contains(secret), line);
    }

    private Sanitizer plain() {
        return sanitizer(new KnownSecrets());
    }

    private Sanitizer sanitizer(KnownSecrets k) {
        AppContext ctx = new AppContext(Map.of("HOME", tmp.resolve("h").toString()), tmp, System.out, System.err, System.in, false,
                Clock.systemUTC());
        return new Sanitizer(k, Pseudonyms.forContext(ctx));
    }
}
