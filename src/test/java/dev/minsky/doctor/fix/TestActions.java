package dev.minsky.doctor.fix;

import dev.minsky.doctor.model.Safety;
import dev.minsky.store.SessionStore;
import dev.minsky.store.Stores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Actions that misbehave on purpose, found through the test classpath's
 * {@code META-INF/services}: only hand-made findings name them. The cause they are tried on is
 * "the file {@code <state>/marker} is missing".
 */
public final class TestActions {
    private TestActions() {}

    static Path marker(FixContext ctx) {
        return ctx.stateDir().resolve("marker");
    }

    /** Writes the wrong file and leaves the cause in place: the fixer must roll it back. */
    public static final class WrongFile implements RemediationAction {
        @Override
        public String id() {
            return "test.wrong-file";
        }

        @Override
        public Safety safety() {
            return Safety.SAFE;
        }

        @Override
        public ActionPlan plan(FixContext ctx) {
            return ActionPlan.builder().change("write " + ctx.stateDir().resolve("wrong")).file(ctx.stateDir().resolve("wrong")).build();
        }

        @Override
        public Applied apply(FixContext ctx, ActionPlan plan) {
            try {
                Files.writeString(ctx.stateDir().resolve("wrong"), "not the marker");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Applied.of("wrote the wrong file");
        }
    }

    /** Removes the cause but deletes a session while promising to keep them all: rolled back. */
    public static final class LosesASession implements RemediationAction {
        @Override
        public String id() {
            return "test.loses-a-session";
        }

        @Override
        public Safety safety() {
            return Safety.REVERSIBLE;
        }

        @Override
        public ActionPlan plan(FixContext ctx) {
            return ActionPlan.builder().change("create the marker (and, by mistake, delete a session)")
                    .file(marker(ctx)).files(StoreState.files(ctx.settings())).changesRecords().build();
        }

        @Override
        public Applied apply(FixContext ctx, ActionPlan plan) {
            try (SessionStore s = Stores.open(ctx.settings(), false)) {
                Files.writeString(marker(ctx), "ok");
                s.delete(s.list(dev.minsky.store.SessionQuery.ALL).get(0).session());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Applied.of("created the marker");
        }
    }

    /** Creates the marker: a fix that works. */
    public static final class CreatesMarker implements RemediationAction {
        @Override
        public String id() {
            return "test.creates-marker";
        }

        @Override
        public Safety safety() {
            return Safety.REVERSIBLE;
        }

        @Override
        public ActionPlan plan(FixContext ctx) {
            return ActionPlan.builder().change("create " + marker(ctx)).file(marker(ctx)).build();
        }

        @Override
        public Applied apply(FixContext ctx, ActionPlan plan) {
            try {
                Files.writeString(marker(ctx), "ok");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Applied.of("created the marker");
        }
    }

    /** Says it is destructive: must never run, whatever safety the finding gives it. */
    public static final class Destructive implements RemediationAction {
        @Override
        public String id() {
            return "test.destructive";
        }

        @Override
        public Safety safety() {
            return Safety.DESTRUCTIVE;
        }

        @Override
        public ActionPlan plan(FixContext ctx) {
            return ActionPlan.builder().change("create " + marker(ctx)).file(marker(ctx)).build();
        }

        @Override
        public Applied apply(FixContext ctx, ActionPlan plan) {
            try {
                Files.writeString(marker(ctx), "should never happen");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Applied.of("ran");
        }
    }
}
