package dev.minsky.doctor.fix.fs;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.doctor.fix.ActionPlan;
import dev.minsky.doctor.fix.FixContext;
import dev.minsky.doctor.fix.Paths2;
import dev.minsky.doctor.fix.StoreFileAction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/** {@code fs.create-directory}: creates the missing directory that should hold the store. */
public final class CreateDirectoryAction extends StoreFileAction {
    static final String MODE = "rwx------";

    public CreateDirectoryAction() {
        super("fs.create-directory", false, "the store is not a file");
    }

    @Override
    protected ActionPlan plan(FixContext ctx, List<Path> files) {
        Path dir = files.get(0).getParent();
        List<Path> missing = Paths2.missingDirs(dir);
        if (missing.isEmpty()) {
            return ActionPlan.notApplicable(Files.isDirectory(dir) ? dir + " exists" : dir + " exists and is not a directory");
        }
        return ActionPlan.builder()
                .change("mkdir -p " + dir + " (new directories mode " + Paths2.octal(MODE) + ": " + String.join(", ",
                        missing.stream().map(Path::toString).toList()) + ")")
                .files(missing)
                .param("dir", dir)
                .build();
    }

    @Override
    public Applied apply(FixContext ctx, ActionPlan plan) {
        Path dir = Path.of(plan.param("dir"));
        List<Path> missing = Paths2.missingDirs(dir);
        try {
            dev.minsky.util.PrivateFiles.createDirectories(dir);
            for (Path p : missing) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(MODE));
            }
        } catch (IOException e) {
            throw new MinskyException(ExitCode.INCOMPLETE, "cannot create " + dir + ": " + e.getMessage(),
                    "check the permissions of its parent and that the filesystem is writable");
        }
        return Applied.of("created " + dir);
    }
}
