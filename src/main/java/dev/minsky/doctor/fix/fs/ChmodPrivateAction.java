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
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code fs.chmod-private}: takes the group's and others' bits off the store file and its SQLite
 * sidecars ({@code chmod go-rwx}), so that only its owner can read the sessions. Only for files
 * the current user owns; it never takes the owner's own bits away, so nothing minsky or the user
 * can do with the store changes. The journal keeps the old modes for {@code --undo}.
 */
public final class ChmodPrivateAction extends StoreFileAction {
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    public ChmodPrivateAction() {
        super("fs.chmod-private", true, "there is no store file");
    }

    @Override
    protected ActionPlan plan(FixContext ctx, List<Path> files) {
        String user = System.getProperty("user.name");
        ActionPlan.Builder b = ActionPlan.builder();
        int n = 0;
        for (Path p : files) {
            if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try {
                String owner = Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).getName();
                if (!owner.equals(user)) {
                    return ActionPlan.notApplicable(p + " belongs to " + owner + ", not " + user + ": its owner must run 'chmod go-rwx " + p + "'");
                }
                Set<PosixFilePermission> now = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
                Set<PosixFilePermission> want = EnumSet.noneOf(PosixFilePermission.class);
                want.addAll(now);
                want.removeAll(OTHERS);
                if (!want.equals(now)) {
                    b.change("chmod go-rwx " + p + " (" + Paths2.octal(p) + " -> " + Paths2.octal(PosixFilePermissions.toString(want)) + ")");
                    b.mode(p);
                    b.param("path." + n++, p);
                }
            } catch (IOException e) {
                return ActionPlan.notApplicable("cannot read the owner and mode of " + p + ": " + e.getMessage());
            }
        }
        if (n == 0) {
            return ActionPlan.notApplicable("only the owner can read the store already");
        }
        return b.build();
    }

    @Override
    public Applied apply(FixContext ctx, ActionPlan plan) {
        return ModeChanges.apply(plan, (p, mode) -> mode.removeAll(OTHERS), "chmod go-rwx");
    }
}
