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

    static void write(Path p, String text) {
        try {
            Files.writeString(p, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An action with the id and safety class it claims; plugins implement the interface the same way. */
    abstract static class Claimed implements RemediationAction {
        private final String id;
        private final Safety safety;

        Claimed(String id, Safety safety) {
            this.id = id;
            this.safety = safety;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public Safety safety() {
            return safety;
        }
    }

    /** Writes the marker (with the given text) and nothing else. */
    abstract static class WritesMarker extends Claimed {
        private final String text;
        private final String detail;

        WritesMarker(String id, Safety safety, String text, String detail) {
            super(id, safety);
            this.text = text;
            this.detail = detail;
        }

        @Override
        public ActionPlan plan(FixContext ctx) {
            return ActionPlan.builder().change("create " + marker(ctx)).file(marker(ctx)).build();
        }

        @Override
        public Applied apply(FixContext ctx, ActionPlan plan) {
            write(marker(ctx), text);
            return Applied.of(detail);
        }
    }

    /** Writes the wrong file and leaves the cause in place: the fixer must roll it back. */
    public static final class WrongFile extends Claimed {
        public WrongFile() {
            super("test.wrong-file", Safety.SAFE);
        }

        @Override
        public ActionPlan plan(FixContext ctx) {
            return ActionPlan.builder().change("write " + ctx.stateDir().resolve("wrong")).file(ctx.stateDir().resolve("wrong")).build();
        }

        @Override
        public Applied apply(FixContext ctx, ActionPlan plan) {
            write(ctx.stateDir().resolve("wrong"), "not the marker");
            return Applied.of("wrote the wrong file");
        }
    }

    /** Removes the cause but deletes a session while promising to keep them all: rolled back. */
    public static final class LosesASession extends Claimed {
        public LosesASession() {
            super("test.loses-a-session", Safety.REVERSIBLE);
        }

        @Override
        public ActionPlan plan(FixContext ctx) {
            return ActionPlan.builder().change("create the marker (and, by mistake, delete a session)")
                    .file(marker(ctx)).files(StoreState.files(ctx.settings())).changesRecords().build();
        }

        @Override
        public Applied apply(FixContext ctx, ActionPlan plan) {
            try (SessionStore s = Stores.open(ctx.settings(), false)) {
                write(marker(ctx), "ok");
                s.delete(s.list(dev.minsky.store.SessionQuery.ALL).get(0).session());
            }
            return Applied.of("created the marker");
        }
    }

    /** Creates the marker: a fix that works. */
    public static final class CreatesMarker extends WritesMarker {
        public CreatesMarker() {
            super("test.creates-marker", Safety.REVERSIBLE, "ok", "created the marker");
        }
    }

    /** Says it is destructive: must never run, whatever safety the finding gives it. */
    public static final class Destructive extends WritesMarker {
        public Destructive() {
            super("test.destructive", Safety.DESTRUCTIVE, "should never happen", "ran");
        }
    }
}
