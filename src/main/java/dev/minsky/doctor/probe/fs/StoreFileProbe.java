package dev.minsky.doctor.probe.fs;

import dev.minsky.doctor.probe.Probe;
import dev.minsky.doctor.probe.ProbeContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * The store's file and its directory: existence, type, size, owner, mode, and whether the current
 * user may read and write them. Readability and writability are access(2)'s answer for this
 * process (what {@code Files.isReadable}/{@code isWritable} ask): honest for a normal user; root
 * is told yes except on a read-only filesystem, which is what root would get.
 */
public final class StoreFileProbe implements Probe {
    @Override
    public String id() {
        return "fs.store";
    }

    @Override
    public Cost cost() {
        return Cost.CHEAP;
    }

    @Override
    public Set<String> produces() {
        return Set.of("store.exists", "store.isDirectory", "store.size", "store.readable", "store.writable",
                "store.ownedByUser", "store.mode", "store.dir.exists", "store.dir.readable", "store.dir.writable",
                "store.dir.ownedByUser", "store.dir.mode", "store.othersCanRead", "user.isRoot");
    }

    @Override
    public void run(ProbeContext ctx) throws Exception {
        long uid = StorePaths.uid();
        if (uid >= 0) {
            ctx.emit("user.isRoot", uid == 0);
        }
        Optional<Path> file = StorePaths.storeFile(ctx);
        if (file.isEmpty()) {
            ctx.skip("the store is not a file");
            return;
        }
        describe(ctx, "store", file.get(), uid);
        Path dir = file.get().toAbsolutePath().getParent();
        if (dir != null) {
            describe(ctx, "store.dir", dir, uid);
        }
    }

    private static void describe(ProbeContext ctx, String prefix, Path p, long uid) throws Exception {
        boolean exists = Files.exists(p);
        ctx.emit(prefix + ".exists", exists);
        if (!exists) {
            return;
        }
        boolean dir = Files.isDirectory(p);
        if (prefix.equals("store")) {
            ctx.emit("store.isDirectory", dir);
            if (!dir) {
                ctx.emit("store.size", Files.size(p));
            }
        }
        ctx.emit(prefix + ".readable", Files.isReadable(p));
        // a directory is only usable for the store's temp files and journals with write and search
        ctx.emit(prefix + ".writable", dir ? Files.isWritable(p) && Files.isExecutable(p) : Files.isWritable(p));
        long owner = StorePaths.ownerUid(p);
        if (owner >= 0 && uid >= 0) {
            ctx.emit(prefix + ".ownedByUser", owner == uid);
        }
        ctx.emit(prefix + ".mode", StorePaths.mode(p));
        if (prefix.equals("store") && !dir) {
            java.util.Set<java.nio.file.attribute.PosixFilePermission> mode = Files.getPosixFilePermissions(p);
            ctx.emit("store.othersCanRead", mode.contains(java.nio.file.attribute.PosixFilePermission.GROUP_READ)
                    || mode.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ));
        }
    }
}
