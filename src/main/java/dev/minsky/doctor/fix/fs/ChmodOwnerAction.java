package dev.minsky.doctor.fix.fs;

import dev.minsky.doctor.fix.ActionPlan;
import dev.minsky.doctor.fix.FixContext;
import dev.minsky.doctor.fix.Paths2;
import dev.minsky.doctor.fix.StoreFileAction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code fs.chmod-owner}: gives the owning user read and write on the store file (and its SQLite
 * sidecars) and rwx on its directory. Only for paths the current user owns: changing another
 * user's file is {@code fs.permissions-manual}. Only adds the user's own bits, never takes any away.
 */
public final class ChmodOwnerAction extends StoreFileAction {
    private static final Set<PosixFilePermission> FILE = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final Set<PosixFilePermission> DIR = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_EXECUTE);

    public ChmodOwnerAction() {
        super("fs.chmod-owner", false, "the store is not a file");
    }

    @Override
    protected ActionPlan plan(FixContext ctx, List<Path> files) {
        List<Path> targets = new ArrayList<>();
        Path dir = files.get(0).getParent();
        if (Files.isDirectory(dir)) {
            targets.add(dir);
        }
        files.stream().filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).forEach(targets::add);
        String user = System.getProperty("user.name");
        ActionPlan.Builder b = ActionPlan.builder();
        int n = 0;
        for (Path p : targets) {
            try {
                String owner = Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).getName();
                if (!owner.equals(user)) {
                    return ActionPlan.notApplicable(p + " belongs to " + owner + ", not " + user + ": its owner or an administrator must change it");
                }
                Set<PosixFilePermission> now = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
                Set<PosixFilePermission> want = EnumSet.copyOf(now.isEmpty() ? EnumSet.of(PosixFilePermission.OWNER_READ) : now);
                want.addAll(Files.isDirectory(p) ? DIR : FILE);
                if (!want.equals(now)) {
                    b.change("chmod " + (Files.isDirectory(p) ? "u+rwx " : "u+rw ") + p + " (" + Paths2.octal(p) + " -> "
                            + Paths2.octal(PosixFilePermissions.toString(want)) + ")");
                    b.mode(p);
                    b.param("path." + n++, p);
                }
            } catch (IOException e) {
                return ActionPlan.notApplicable("cannot read the owner and mode of " + p + ": " + e.getMessage());
            }
        }
        if (n == 0) {
            return ActionPlan.notApplicable("the owner already has read and write access to the store and its directory");
        }
        return b.build();
    }

    @Override
    public Applied apply(FixContext ctx, ActionPlan plan) {
        return ModeChanges.apply(plan, (p, mode) -> mode.addAll(Files.isDirectory(p) ? DIR : FILE), "chmod");
    }
}
