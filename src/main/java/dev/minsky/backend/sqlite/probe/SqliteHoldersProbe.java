package dev.minsky.backend.sqlite.probe;

import dev.minsky.backend.sqlite.SqliteFiles;
import dev.minsky.doctor.probe.Probe;
import dev.minsky.doctor.probe.ProbeContext;
import dev.minsky.util.Secrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which other processes have the database, its {@code -wal} or its {@code -shm} open, read from the
 * {@code /proc/<pid>/fd} links (what {@code lsof} does). Processes of other users are invisible to
 * a normal user; the probe's detail says how many could not be looked at.
 */
public final class SqliteHoldersProbe implements Probe {
    @Override
    public String id() {
        return "sqlite.holders";
    }

    @Override
    public String checking() {
        return "processes holding the database";
    }

    @Override
    public Cost cost() {
        return Cost.CHEAP;
    }

    @Override
    public boolean appliesTo(String backend) {
        return "sqlite".equals(backend);
    }

    @Override
    public Set<String> produces() {
        return Set.of("sqlite.holders.count", "sqlite.holders", "sqlite.holders.hidden");
    }

    /** A process holding the database open. */
    public record Holder(long pid, String cmdline) {}

    @Override
    public void run(ProbeContext ctx) throws IOException {
        Path db = ctx.settings().sqlitePath();
        if (!Files.exists(db)) {
            ctx.emit("sqlite.holders.count", 0L);
            ctx.emit("sqlite.holders.hidden", 0L);
            ctx.detail("the database file does not exist");
            return;
        }
        if (!Files.isDirectory(Path.of("/proc/self/fd"))) {
            ctx.skip("no /proc on this system");
            return;
        }
        int[] hidden = {0};
        List<Holder> holders = holders(db, hidden);
        ctx.emit("sqlite.holders.count", (long) holders.size());
        if (!holders.isEmpty()) {
            List<String> parts = new ArrayList<>();
            for (Holder h : holders) {
                parts.add("pid " + h.pid() + ": " + h.cmdline());
            }
            ctx.emit("sqlite.holders", String.join("; ", parts));
        }
        ctx.emit("sqlite.holders.hidden", (long) hidden[0]);
        if (hidden[0] > 0) {
            ctx.detail(hidden[0] + " processes of other users could not be looked at");
        }
    }

    /** Other live processes with the database, -wal or -shm open; this process is left out. */
    public static List<Holder> holders(Path db, int[] hiddenOut) throws IOException {
        Path real = db.toRealPath();
        Set<String> targets = Set.of(real.toString(), SqliteFiles.wal(real).toString(), SqliteFiles.shm(real).toString());
        long self = ProcessHandle.current().pid();
        TreeMap<Long, Holder> found = new TreeMap<>();
        int hidden = 0;
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> isPid(p.getFileName().toString()))) {
            for (Path proc : procs) {
                long pid = Long.parseLong(proc.getFileName().toString());
                if (pid == self) {
                    continue;
                }
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
                    for (Path fd : fds) {
                        String target;
                        try {
                            target = Files.readSymbolicLink(fd).toString();
                        } catch (IOException e) {
                            continue; // closed while we looked
                        }
                        if (target.endsWith(" (deleted)")) {
                            target = target.substring(0, target.length() - " (deleted)".length());
                        }
                        if (targets.contains(target)) {
                            found.put(pid, new Holder(pid, cmdline(proc)));
                            break;
                        }
                    }
                } catch (java.nio.file.AccessDeniedException e) {
                    hidden++;
                } catch (IOException e) {
                    // the process ended while we looked
                }
            }
        }
        if (hiddenOut != null && hiddenOut.length > 0) {
            hiddenOut[0] = hidden;
        }
        return List.copyOf(found.values());
    }

    private static boolean isPid(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The command line, NULs as spaces, passwords masked, at most about 300 characters: the middle
     * goes, since a JVM's main class and arguments come after its long classpath.
     */
    static String cmdline(Path proc) {
        try {
            byte[] raw = Files.readAllBytes(proc.resolve("cmdline"));
            String s = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim();
            if (s.isEmpty()) {
                s = Files.readString(proc.resolve("comm")).trim();
            }
            s = Secrets.mask(s);
            return s.length() > 300 ? s.substring(0, 120) + " … " + s.substring(s.length() - 170) : s;
        } catch (IOException e) {
            return "?";
        }
    }
}
