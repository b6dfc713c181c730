package dev.minsky.doctor.fix.fs;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.doctor.fix.ActionPlan;
import dev.minsky.doctor.fix.Paths2;
import dev.minsky.doctor.fix.RemediationAction.Applied;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/** The apply step the chmod actions share: change the mode of each planned path ({@code path.N}). */
final class ModeChanges {
    private ModeChanges() {}

    /**
     * @param change edits a path's current mode into the wanted one (the path tells file from directory)
     * @param verb what the detail starts with, e.g. {@code chmod go-rwx}
     */
    static Applied apply(ActionPlan plan, BiConsumer<Path, Set<PosixFilePermission>> change, String verb) {
        List<String> done = new ArrayList<>();
        for (int i = 0; plan.param("path." + i) != null; i++) {
            Path p = Path.of(plan.param("path." + i));
            try {
                Set<PosixFilePermission> want = EnumSet.noneOf(PosixFilePermission.class);
                want.addAll(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
                change.accept(p, want);
                Files.setPosixFilePermissions(p, want);
                done.add(p + " " + Paths2.octal(p));
            } catch (IOException e) {
                throw new MinskyException(ExitCode.INCOMPLETE, "cannot change the mode of " + p + ": " + e.getMessage(),
                        "a read-only filesystem or a file you do not own cannot be changed; see 'minsky doctor'");
            }
        }
        return Applied.of(verb + " " + String.join(", ", done));
    }
}
