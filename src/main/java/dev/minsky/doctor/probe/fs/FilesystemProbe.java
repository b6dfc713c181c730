package dev.minsky.doctor.probe.fs;

import dev.minsky.doctor.probe.Probe;
import dev.minsky.doctor.probe.ProbeContext;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The filesystem holding the store (or, when the store is missing, its nearest existing ancestor):
 * read-only flag, type and mount point from {@code /proc/self/mountinfo}, free and total space.
 */
public final class FilesystemProbe implements Probe {
    @Override
    public String id() {
        return "fs.mount";
    }

    @Override
    public Cost cost() {
        return Cost.CHEAP;
    }

    @Override
    public Set<String> produces() {
        return Set.of("fs.readonly", "fs.type", "fs.mountPoint", "fs.freeBytes", "fs.totalBytes");
    }

    /** One line of mountinfo that matters here. */
    record Mount(String mountPoint, String type, boolean readonly) {}

    @Override
    public void run(ProbeContext ctx) throws Exception {
        Optional<Path> file = StorePaths.storeFile(ctx);
        if (file.isEmpty()) {
            ctx.skip("the store is not a file");
            return;
        }
        Path at = StorePaths.nearestExisting(file.get()).toRealPath();
        Path mountinfo = Path.of("/proc/self/mountinfo");
        if (Files.isReadable(mountinfo)) {
            Mount m = mountOf(at, Files.readAllLines(mountinfo));
            if (m != null) {
                ctx.emit("fs.readonly", m.readonly());
                ctx.emit("fs.type", m.type());
                ctx.emit("fs.mountPoint", m.mountPoint());
            }
        }
        try {
            FileStore fs = Files.getFileStore(at);
            ctx.emit("fs.freeBytes", fs.getUsableSpace());
            ctx.emit("fs.totalBytes", fs.getTotalSpace());
            if (!Files.isReadable(mountinfo)) {
                ctx.emit("fs.type", fs.type());
                ctx.emit("fs.readonly", fs.isReadOnly());
            }
        } catch (IOException e) {
            ctx.detail("free space unknown: " + e.getMessage());
        }
    }

    /** The mount whose mount point is the longest prefix of the path; the last one mounted wins a tie. */
    static Mount mountOf(Path realPath, List<String> mountinfo) {
        Mount best = null;
        int bestLen = -1;
        String p = realPath.toString();
        for (String line : mountinfo) {
            // id parent major:minor root mountpoint options [optional...] - fstype source superoptions
            String[] f = line.split(" ");
            int dash = -1;
            for (int i = 6; i < f.length; i++) {
                if (f[i].equals("-")) {
                    dash = i;
                    break;
                }
            }
            if (f.length < 7 || dash < 0 || dash + 1 >= f.length) {
                continue;
            }
            String mp = unescape(f[4]);
            boolean under = p.equals(mp) || mp.equals("/") || p.startsWith(mp + "/");
            if (!under || mp.length() < bestLen) {
                continue;
            }
            boolean ro = hasOption(f[5], "ro") || (dash + 3 < f.length && hasOption(f[dash + 3], "ro"));
            best = new Mount(mp, f[dash + 1], ro);
            bestLen = mp.length();
        }
        return best;
    }

    private static boolean hasOption(String options, String opt) {
        for (String o : options.split(",")) {
            if (o.equals(opt)) {
                return true;
            }
        }
        return false;
    }

    /** mountinfo writes space, tab, newline and backslash as octal escapes. */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                try {
                    sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                    i += 3;
                    continue;
                } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                    // not an escape
                }
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
