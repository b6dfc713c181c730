package dev.minsky.doctor.probe.fs;

import dev.minsky.doctor.probe.Probe;
import dev.minsky.doctor.probe.ProbeContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;

/** This process's open-file limit (soft RLIMIT_NOFILE) and how many descriptors it has open now. */
public final class ProcessProbe implements Probe {
    @Override
    public String id() {
        return "process";
    }

    @Override
    public Cost cost() {
        return Cost.CHEAP;
    }

    @Override
    public Set<String> produces() {
        return Set.of("process.openFileLimit", "process.openFiles");
    }

    @Override
    public void run(ProbeContext ctx) throws IOException {
        Path limits = Path.of("/proc/self/limits");
        if (!Files.isReadable(limits)) {
            ctx.skip("no /proc/self/limits on this system");
            return;
        }
        Long limit;
        try {
            limit = softLimit(Files.readAllLines(limits), "Max open files");
        } catch (IOException e) {
            // with no descriptor left to read it, the limit minsky read at start is the evidence
            limit = dev.minsky.ResourceExhaustion.openFileLimit();
            if (limit == null) {
                throw e;
            }
        }
        if (limit != null) {
            ctx.emit("process.openFileLimit", limit);
        }
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            // the listing's own descriptor is counted too; it is one of ours while we look
            ctx.emit("process.openFiles", fds.count());
        }
    }

    /** The soft limit of the named row; null when it is unlimited or absent. */
    static Long softLimit(Iterable<String> lines, String name) {
        for (String line : lines) {
            if (line.startsWith(name)) {
                String[] f = line.substring(name.length()).trim().split("\\s+");
                if (f.length > 0 && f[0].matches("\\d+")) {
                    return Long.parseLong(f[0]);
                }
                return null;
            }
        }
        return null;
    }
}
