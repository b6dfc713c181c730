package dev.minsky.doctor.fix;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A built-in action on the configured store's file: it does not apply to a store that is not a
 * file (a server), nor, when it works on the file itself, to a file that is not there.
 */
public abstract class StoreFileAction extends BuiltinAction {
    private final boolean needsFile;
    private final String whenNoFile;

    /**
     * @param needsFile true when the store's file must exist as a regular file (false: only the
     *     store must be a file store, its file may be missing)
     * @param whenNoFile why the action does not apply otherwise, shown to the user
     */
    protected StoreFileAction(String id, boolean needsFile, String whenNoFile) {
        super(id);
        this.needsFile = needsFile;
        this.whenNoFile = whenNoFile;
    }

    @Override
    public final ActionPlan plan(FixContext ctx) {
        List<Path> files = StoreState.files(ctx.settings());
        if (files.isEmpty() || needsFile && !Files.isRegularFile(files.get(0))) {
            return ActionPlan.notApplicable(whenNoFile);
        }
        return plan(ctx, files);
    }

    /**
     * {@link #plan(FixContext)} once the store is known to be a file.
     *
     * @param files the store's file first, then its sidecars ({@link StoreState#files})
     */
    protected abstract ActionPlan plan(FixContext ctx, List<Path> files);
}
