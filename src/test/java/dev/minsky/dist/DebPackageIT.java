package dev.minsky.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.testutil.Processes;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The .deb, extracted into a scratch root with dpkg-deb -x: its files, fields, man pages, completion. */
class DebPackageIT {
    private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin", "LANG", "C.UTF-8", "HOME", "/tmp");
    @TempDir static Path tmp;
    static Path deb;
    static Path root;

    @BeforeAll
    static void extract() throws Exception {
        deb = Dist.artifact("minsky_*_amd64.deb");
        root = Files.createDirectories(tmp.resolve("root"));
        Dist.runOk(tmp, ENV, "dpkg-deb", "-x", deb.toString(), root.toString());
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void control_fields() throws Exception {
        String version = deb.getFileName().toString().replaceAll("^minsky_(.*)_amd64\\.deb$", "$1");
        for (String[] f : new String[][] {{"Package", "minsky"}, {"Version", version}, {"Architecture", "amd64"}}) {
            String v = Dist.runOk(tmp, ENV, "dpkg-deb", "-f", deb.toString(), f[0]).out().strip();
            assertEquals(f[1], v, f[0]);
        }
        for (String f : new String[] {"Maintainer", "Description", "Installed-Size", "Depends"}) {
            assertFalse(Dist.runOk(tmp, ENV, "dpkg-deb", "-f", deb.toString(), f).out().isBlank(), f);
        }
        long installedKb = Long.parseLong(Dist.runOk(tmp, ENV, "dpkg-deb", "-f", deb.toString(), "Installed-Size").out().strip());
        long du = Long.parseLong(Dist.runOk(tmp, ENV, "du", "-sk", root.toString()).out().split("\\s")[0]);
        assertTrue(Math.abs(installedKb - du) < du / 20 + 64, "Installed-Size " + installedKb + " KiB, extracted " + du + " KiB");
        String info = Dist.runOk(tmp, ENV, "dpkg-deb", "-I", deb.toString()).out();
        assertTrue(info.contains("Package: minsky"), info);
        // every file is root's
        String contents = Dist.runOk(tmp, ENV, "dpkg-deb", "-c", deb.toString()).out();
        assertTrue(contents.lines().allMatch(l -> l.contains(" root/root ")), contents.lines().filter(l -> !l.contains(" root/root ")).findFirst().orElse(""));
    }

    @Test
    void files_in_the_usual_places_with_sane_modes() throws Exception {
        Path link = root.resolve("usr/bin/minsky");
        assertTrue(Files.isSymbolicLink(link), "/usr/bin/minsky is a symlink");
        assertEquals(Path.of("../lib/minsky/bin/minsky"), Files.readSymbolicLink(link));
        assertEquals("rwxr-xr-x", mode(root.resolve("usr/lib/minsky/bin/minsky")));
        assertEquals("rwxr-xr-x", mode(root.resolve("usr/lib/minsky/runtime/bin/java")));
        for (String f : new String[] {"usr/lib/minsky/lib/minsky.jar", "usr/lib/minsky/lib/minsky.jsa", "usr/lib/minsky/lib/minsky-cli.jsa",
                "usr/share/man/man1/minsky.1.gz", "usr/share/man/man1/minsky-session-list.1.gz",
                "usr/share/bash-completion/completions/minsky", "usr/share/zsh/vendor-completions/_minsky"}) {
            Path p = root.resolve(f);
            assertTrue(Files.isRegularFile(p) && Files.size(p) > 0, f + " missing or empty");
            assertEquals("rw-r--r--", mode(p), f);
        }
        try (Stream<Path> all = Files.walk(root)) {
            all.forEach(p -> {
                try {
                    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
                    if (!Files.isSymbolicLink(p)) {
                        assertFalse(perms.contains(PosixFilePermission.OTHERS_WRITE) || perms.contains(PosixFilePermission.GROUP_WRITE), p + " " + perms);
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        assertTrue(Files.readString(root.resolve("usr/share/zsh/vendor-completions/_minsky")).startsWith("#compdef minsky\n"), "zsh file header");
    }

    @Test
    void the_extracted_command_runs_with_its_archive() throws Exception {
        Processes.Output r = Dist.run(tmp, Map.of("PATH", "/usr/bin:/bin", "HOME", tmp.toString(), "MINSKY_JAVA_OPTS", "-Xshare:on"),
                root.resolve("usr/bin/minsky").toString(), "--version");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("minsky "), r.out());
    }

    @Test
    void the_man_pages_render() throws Exception {
        Path page = root.resolve("usr/share/man/man1/minsky-session-list.1.gz");
        String roff = Dist.runOk(tmp, ENV, "sh", "-c", "gzip -dc \"$0\"", page.toString()).out();
        assertTrue(roff.lines().anyMatch(l -> l.startsWith(".TH \"MINSKY\\-SESSION\\-LIST\" \"1\"")), roff.lines().limit(12).toList().toString());
        Map<String, String> env = Map.of("PATH", "/usr/bin:/bin", "LANG", "C.UTF-8", "HOME", tmp.toString(), "MANWIDTH", "80");
        String text = Dist.runOk(tmp, env, "man", "--nj", "-l", page.toString()).out();
        assertTrue(text.contains("NAME") && text.contains("minsky-session-list - List sessions"), text);
        assertTrue(text.contains("--json"), text);
        assertFalse(text.contains(".TH") || text.contains("\\fB"), "raw roff in the rendered page");
        String root1 = Dist.runOk(tmp, env, "man", "--nj", "-l", root.resolve("usr/share/man/man1/minsky.1.gz").toString()).out();
        assertTrue(root1.contains("session"), root1);
    }

    @Test
    void the_bash_completion_loads() throws Exception {
        Path script = root.resolve("usr/share/bash-completion/completions/minsky");
        Dist.runOk(tmp, ENV, "bash", "-n", script.toString());
        Processes.Output r = Dist.runOk(tmp, ENV, "bash", "-c", "source \"$0\" && complete -p minsky", script.toString());
        assertTrue(r.out().contains("-F _complete_minsky") && r.out().strip().endsWith(" minsky"), r.out());
        // and it completes: `minsky sess<Tab>` offers session and sessiondb
        Processes.Output c = Dist.runOk(tmp, ENV, "bash", "-c",
                "source \"$0\"; COMP_WORDS=(minsky sess); COMP_CWORD=1; COMP_LINE='minsky sess'; COMP_POINT=${#COMP_LINE}; "
                        + "_complete_minsky minsky sess minsky; printf '%s\\n' \"${COMPREPLY[@]}\"", script.toString());
        assertTrue(c.out().lines().anyMatch("session"::equals) && c.out().lines().anyMatch("sessiondb"::equals), c.out());
    }
}
