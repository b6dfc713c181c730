package dev.minsky.doctor.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.minsky.doctor.model.DoctorReport;
import dev.minsky.testutil.Cli;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report is opened in headless Chromium (Debian's {@code chromium} package). The page is
 * served by a tiny HTTP server that records every request, and every host name is mapped to that
 * server, so a missing or external resource shows up as a request for something other than the
 * page. A screenshot is kept in target/ (and in docs/ with -Dminsky.updateScreenshot=true).
 */
class BundleHtmlChromiumTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path tmp;

    /** What one page load asked the server for. */
    private record Load(int exit, String dom, String stderr, List<String> requests) {}

    private Load open(Path dir, String page, Path screenshot) throws Exception {
        List<String> requests = Collections.synchronizedList(new ArrayList<>());
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            String host = String.valueOf(ex.getRequestHeaders().getFirst("Host"));
            // Chromium's own housekeeping (its network time check) is not the page's doing
            if (!host.matches("(?i).*\\.(google|googleapis|gstatic)\\.com(:\\d+)?")) {
                requests.add(host + path);
            }
            Path f = dir.resolve(path.substring(1)).normalize();
            byte[] body = f.startsWith(dir) && Files.isRegularFile(f) ? Files.readAllBytes(f) : null;
            if (body == null) {
                ex.getResponseHeaders().add("Connection", "close");
                ex.sendResponseHeaders(404, -1);
            } else {
                ex.getResponseHeaders().add("Connection", "close");
                ex.getResponseHeaders().add("Content-Type", path.endsWith(".html") ? "text/html; charset=utf-8" : "application/octet-stream");
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
            ex.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        try {
            int port = server.getAddress().getPort();
            List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                    "--user-data-dir=" + Files.createTempDirectory(tmp, "chromium-profile"),
                    "--disable-features=NetworkTimeServiceQuerying,Translate,MediaRouter,OptimizationHints",
                    "--disable-extensions", "--disable-default-apps",
                    "--enable-logging=stderr", "--v=0",
                    // every host, known or not, resolves to our server: an external resource becomes a recorded request
                    "--host-resolver-rules=MAP * 127.0.0.1:" + port));
            if (screenshot != null) {
                cmd.addAll(List.of("--hide-scrollbars", "--window-size=1280,1700", "--screenshot=" + screenshot));
            } else {
                cmd.add("--dump-dom");
            }
            cmd.add("http://127.0.0.1:" + port + "/" + page);
            Process p = new ProcessBuilder(cmd).directory(tmp.toFile()).start();
            var dom = p.getInputStream();
            var err = p.getErrorStream();
            byte[][] outErr = new byte[2][];
            Thread t = new Thread(() -> {
                try {
                    outErr[1] = err.readAllBytes();
                } catch (IOException e) {
                    outErr[1] = new byte[0];
                }
            });
            t.start();
            outErr[0] = dom.readAllBytes();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish");
            t.join();
            return new Load(p.exitValue(), new String(outErr[0], StandardCharsets.UTF_8),
                    new String(outErr[1], StandardCharsets.UTF_8), List.copyOf(requests));
        } finally {
            server.stop(0);
        }
    }

    private static void assumeChromium() {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "no headless browser: install Debian's chromium package (apt-get install -y chromium)");
    }

    @Test
    void html_report_renders_in_headless_chromium_and_loads_nothing_but_itself() throws Exception {
        assumeChromium();
        Path home = Files.createDirectories(tmp.resolve("home"));
        Cli cli = new Cli(home).env("MINSKY_SESSIONDB_BACKEND", "json");
        DoctorReport report = BundleFixtures.postgresAuthFailed("postgresql://minsky:****@db.internal:5432/minsky", List.of());
        Path file = tmp.resolve("bundle.zip");
        BundleFixtures.bundle(cli, report, new Bundler.Options(file, false, false));
        Map<String, byte[]> entries = BundleFixtures.unpack(file, tmp);
        Path site = Files.createDirectories(tmp.resolve("site"));
        Files.write(site.resolve("report.html"), entries.get("report.html"));
        String html = BundleFixtures.text(entries, "report.html");

        // no reference to anything outside the page (a data: URL or a #fragment is inside it)
        Matcher ref = Pattern.compile("(?i)<script|@import|url\\(|\\b(?:src|href|srcset|action|poster|data)\\s*=\\s*[\"']?([^\"'\\s>]*)").matcher(html);
        List<String> refs = new ArrayList<>();
        while (ref.find()) {
            String target = ref.group(1);
            if (target == null || !(target.startsWith("data:") || target.startsWith("#"))) {
                refs.add(ref.group());
            }
        }
        assertEquals(List.of(), refs, "the report must be self-contained");

        Load load = open(site, "report.html", null);
        assertEquals(0, load.exit(), load.stderr());
        assertEquals(1, load.requests().size(), "requests: " + load.requests());
        assertTrue(load.requests().get(0).endsWith("/report.html"), load.requests().toString());
        assertTrue(!load.stderr().contains("Failed to load resource"), load.stderr());
        assertTrue(load.dom().contains("<h1>minsky bug report</h1>"), load.dom());
        assertTrue(load.dom().contains("PostgreSQL rejected the password"), "findings rendered");
        assertTrue(load.dom().contains("<code>postgres.connect</code>"), "probe table rendered");
        assertTrue(load.dom().contains("<span class=\"badge failed\">failed</span>"), "probe status rendered");

        Path shot = Path.of("target", "bundle-report.png").toAbsolutePath();
        Files.createDirectories(shot.getParent());
        Files.deleteIfExists(shot);
        Load s = open(site, "report.html", shot);
        assertEquals(0, s.exit(), s.stderr());
        byte[] png = Files.readAllBytes(shot);
        assertTrue(png.length > 20_000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a real screenshot, " + png.length + " bytes");
        if (Boolean.getBoolean("minsky.updateScreenshot")) {
            Files.copy(shot, Path.of("docs", "bundle-report.png"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void the_harness_sees_a_missing_and_an_external_resource() throws Exception {
        assumeChromium();
        Path site = Files.createDirectories(tmp.resolve("bad"));
        Files.writeString(site.resolve("bad.html"), "<!DOCTYPE html><html><head>"
                + "<link rel=\"stylesheet\" href=\"http://cdn.example.com/style.css\"></head>"
                + "<body><img src=\"missing.png\"></body></html>");
        Load load = open(site, "bad.html", null);
        assertEquals(0, load.exit(), load.stderr());
        assertTrue(load.requests().stream().anyMatch(r -> r.endsWith("/missing.png")), load.requests().toString());
        assertTrue(load.requests().stream().anyMatch(r -> r.startsWith("cdn.example.com") && r.endsWith("/style.css")),
                load.requests().toString());
    }
}
