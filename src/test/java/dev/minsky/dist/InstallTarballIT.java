package dev.minsky.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.testutil.PostgresTlsServer;
import dev.minsky.testutil.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tarball as a user gets it: unpacked into a temporary directory and run with a PATH that holds
 * neither java nor mvn (only the few tools bin/minsky needs), so that everything comes from the
 * bundled runtime.
 */
class InstallTarballIT {
    @TempDir static Path tmp;
    static Path install;
    static Path tools;

    @BeforeAll
    static void unpack() throws Exception {
        Dist.Unpacked u = Dist.unpackTarball(tmp);
        install = u.install();
        tools = u.tools();
    }

    private static Map<String, String> env(Path home) {
        return Dist.env(home, tools);
    }

    private static Processes.Output minsky(Map<String, String> env, String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = install.resolve("bin/minsky").toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        return Dist.run(Path.of(env.get("HOME")), env, cmd);
    }

    private static Processes.Output ok(Map<String, String> env, String... args) throws Exception {
        Processes.Output r = minsky(env, args);
        assertEquals(0, r.code(), String.join(" ", args) + " -> " + r);
        return r;
    }

    @Test
    void runs_doctor_and_a_session_round_trip_with_neither_java_nor_mvn_on_the_path() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home-roundtrip"));
        Map<String, String> env = env(home);
        for (String tool : new String[] {"java", "mvn", "javac"}) {
            Processes.Output which = Dist.run(home, env, tools.resolve("sh").toString(), "-c", "command -v " + tool);
            assertNotEquals(0, which.code(), tool + " is on the test's PATH: " + which);
        }
        assertTrue(ok(env, "--version").out().startsWith("minsky "), "--version");
        Processes.Output fresh = ok(env, "doctor");
        assertTrue(fresh.out().contains("No issues found"), fresh.out());

        ok(env, "sessiondb", "init", "--backend", "sqlite");
        ok(env, "session", "start", "demo", "--task", "md#1", "--repo", "https://github.com/edobry/minsky.git");
        Processes.Output list = ok(env, "session", "list", "--json");
        assertTrue(list.out().contains("\"demo\""), list.out());
        assertTrue(ok(env, "session", "get", "demo", "--json").out().contains("\"md#1\""), "get");
        ok(env, "session", "end", "demo");
        Processes.Output after = ok(env, "doctor", "--json");
        assertTrue(after.out().contains("\"healthy\":true") || after.out().contains("\"healthy\" : true"), after.out());
        assertTrue(Files.isRegularFile(home.resolve(".local/state/minsky/sessions.db")), "the SQLite store");

        // the bundle (ZIP writing, FreeMarker report) on the same runtime
        Path bundle = home.resolve("report.zip");
        Processes.Output b = minsky(env, "doctor", "--bundle", bundle.toString());
        assertTrue(b.code() == 0 || b.code() == 1, b.toString());
        assertTrue(Files.size(bundle) > 0, "no bundle written: " + b);
    }

    @Test
    void the_jvm_uses_the_class_data_archive_made_at_build_time() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home-cds"));
        Map<String, String> env = env(home);
        Path log = home.resolve("class-load.log");
        // -Xshare:on refuses to start when the archive cannot be used (e.g. made for another path)
        env.put("MINSKY_JAVA_OPTS", "-Xshare:on -Xlog:class+load=info:file=" + log);
        ok(env, "--version");
        String loaded = Files.readString(log);
        assertTrue(loaded.contains("dev.minsky.Main source: shared objects file (top)"),
                "dev.minsky.Main did not come from the app archive:\n" + loaded.lines().filter(l -> l.contains("dev.minsky.Main")).toList());
        assertTrue(loaded.contains("java.lang.Object source: shared objects file"), "the runtime's base archive was not used");

        // two archives made at build time: the doctor's (with Drools) for doctor and kb, a smaller one
        // for every other command; root options and their values before the command's name are skipped
        assertEquals(install.resolve("lib/minsky-cli.jsa").toRealPath().toString(), archiveMapped(env, "session", "list", "--limit", "1"));
        assertEquals(install.resolve("lib/minsky.jsa").toRealPath().toString(), archiveMapped(env, "--backend", "sqlite", "doctor", "--help"));
        assertEquals(install.resolve("lib/minsky.jsa").toRealPath().toString(), archiveMapped(env, "kb", "list"));
    }

    /** The app archive the JVM of {@code bin/minsky args} maps (accepted: -Xshare:on refuses a mismatched one). */
    private String archiveMapped(Map<String, String> env, String... args) throws Exception {
        Map<String, String> e = new java.util.HashMap<>(env);
        e.put("MINSKY_JAVA_OPTS", "-Xshare:on -Xlog:cds=info:stderr");
        Processes.Output o = ok(e, args);
        List<String> mapped = o.err().lines().filter(l -> l.contains("trying to map") && !l.contains("classes.jsa"))
                .map(l -> l.substring(l.indexOf("trying to map ") + "trying to map ".length()).trim()).toList();
        assertEquals(1, mapped.size(), o.err());
        return Path.of(mapped.get(0)).toRealPath().toString();
    }

    @Test
    void runs_through_a_symlink_on_the_path() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home-link"));
        Path bin = Files.createDirectories(home.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("minsky"), install.resolve("bin/minsky"));
        // a second, relative hop as well: ~/bin/mk -> minsky -> .../bin/minsky
        Files.createSymbolicLink(bin.resolve("mk"), Path.of("minsky"));
        Map<String, String> env = env(home);
        env.put("PATH", bin + ":" + tools);
        env.put("MINSKY_JAVA_OPTS", "-Xshare:on");
        for (String name : new String[] {"minsky", "mk"}) {
            Processes.Output r = Dist.run(home, env, tools.resolve("sh").toString(), "-c", name + " --version");
            assertEquals(0, r.code(), name + ": " + r);
            assertTrue(r.out().startsWith("minsky "), r.out());
        }
    }

    @Test
    void talks_to_postgresql_over_tls_with_the_bundled_runtime() throws Exception {
        try (PostgresTlsServer tls = PostgresTlsServer.start()) {
            Path home = Files.createDirectories(tmp.resolve("home-pg"));
            Map<String, String> env = env(home);
            // EC certificates and verify-full: needs jdk.crypto.ec in the runtime, which jdeps does not list
            env.put("MINSKY_POSTGRES_URL", tls.server().newDatabase("dist") + "?sslmode=verify-full&sslrootcert=" + tls.caFile());
            env.put("MINSKY_SESSIONDB_BACKEND", "postgres");
            ok(env, "sessiondb", "init", "--backend", "postgres");
            ok(env, "session", "start", "pg-1", "--repo", "/tmp/r");
            assertTrue(ok(env, "session", "get", "pg-1", "--json").out().contains("\"pg-1\""), "get");
            Processes.Output doctor = minsky(env, "doctor", "--json");
            assertTrue(doctor.code() == 0 || doctor.code() == 1, doctor.toString());
            assertTrue(doctor.out().contains("\"postgres\""), doctor.out());
        }
    }

    @Test
    void dist_install_sh_installs_for_the_user_and_links_it_onto_the_path() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home-install"));
        Map<String, String> env = Map.of("HOME", home.toString(), "PATH", "/usr/bin:/bin", "LANG", "C.UTF-8");
        Path script = Path.of("dist/install.sh").toAbsolutePath();
        for (int i = 0; i < 2; i++) { // installing again over an install works too
            Processes.Output r = Dist.run(home, env, "sh", script.toString(), Dist.artifact("minsky-*-linux-x64.tar.gz").toString());
            assertEquals(0, r.code(), r.toString());
        }
        Path bin = home.resolve(".local/bin/minsky");
        assertTrue(Files.isSymbolicLink(bin), "~/.local/bin/minsky");
        Map<String, String> run = new HashMap<>(env(home));
        run.put("MINSKY_JAVA_OPTS", "-Xshare:on");
        Processes.Output v = Dist.run(home, run, bin.toString(), "--version");
        assertEquals(0, v.code(), v.toString());
        assertTrue(Files.exists(home.resolve(".local/share/man/man1/minsky-session-list.1.gz")), "man page link");
        assertTrue(Files.exists(home.resolve(".local/share/bash-completion/completions/minsky")), "bash completion link");
    }
}
