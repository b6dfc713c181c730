package dev.minsky.doctor.fix.fs;

import dev.minsky.doctor.fix.ActionPlan;
import dev.minsky.doctor.fix.BuiltinAction;
import dev.minsky.doctor.fix.FixContext;
import dev.minsky.doctor.fix.Paths2;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@code config.chmod-private}: takes the group's and others' bits off the config files that hold
 * a PostgreSQL password ({@code chmod go-rwx}), for files the current user owns. The owner's bits
 * stay, so minsky reads its config as before; the journal keeps the old modes for {@code --undo}.
 */
public final class ConfigChmodPrivateAction extends BuiltinAction {
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    public ConfigChmodPrivateAction() {
        super("config.chmod-private");
    }

    @Override
    public ActionPlan plan(FixContext ctx) {
        String user = System.getProperty("user.name");
        ActionPlan.Builder b = ActionPlan.builder();
        int n = 0;
        for (Path p : dev.minsky.store.Stores.filesWithSecrets(dev.minsky.doctor.fix.DoctorFixContext.of(ctx).config().files())) {
            try {
                Path real = p.toRealPath();
                String owner = Files.getOwner(real, LinkOption.NOFOLLOW_LINKS).getName();
                if (!owner.equals(user)) {
                    return ActionPlan.notApplicable(real + " belongs to " + owner + ", not " + user + ": its owner must run 'chmod go-rwx " + real + "'");
                }
                Set<PosixFilePermission> now = Files.getPosixFilePermissions(real, LinkOption.NOFOLLOW_LINKS);
                Set<PosixFilePermission> want = EnumSet.noneOf(PosixFilePermission.class);
                want.addAll(now);
                want.removeAll(OTHERS);
                if (!want.equals(now)) {
                    b.change("chmod go-rwx " + real + " (" + Paths2.octal(real) + " -> " + Paths2.octal(PosixFilePermissions.toString(want)) + ")");
                    b.mode(real);
                    b.param("path." + n++, real);
                }
            } catch (IOException e) {
                return ActionPlan.notApplicable("cannot read the owner and mode of " + p + ": " + e.getMessage());
            }
        }
        if (n == 0) {
            return ActionPlan.notApplicable("no config file with a password is readable by others");
        }
        return b.build();
    }

    @Override
    public Applied apply(FixContext ctx, ActionPlan plan) {
        return ModeChanges.apply(plan, (p, mode) -> mode.removeAll(OTHERS), "chmod go-rwx");
    }
}
