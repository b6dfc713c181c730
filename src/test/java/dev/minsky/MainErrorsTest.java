package dev.minsky;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minsky.cli.MinskyCommand;
import dev.minsky.testutil.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one error handler: exhaustion of memory, descriptors or disk is exit 3 however it arrives. */
class MainErrorsTest {
    @TempDir
    Path home;

    record Handled(int code, String err) {}

    Handled handle(Exception ex) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        AppContext ctx = new Cli(home).context(new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), "");
        int code = Main.handle(ctx, new MinskyCommand(ctx), ex);
        return new Handled(code, err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void an_out_of_memory_error_from_a_worker_thread_is_exit_3_not_an_internal_error() {
        Handled h = handle(new CompletionException(new OutOfMemoryError("Java heap space")));
        assertEquals(ExitCode.INCOMPLETE, h.code(), h.err());
        assertTrue(h.err().contains("ran out of memory") && h.err().contains("-Xmx"), h.err());
        assertFalse(h.err().contains("internal error"), h.err());
    }

    @Test
    void too_many_open_files_is_exit_3_with_the_ulimit_hint_even_when_wrapped_as_bad_state() {
        Handled h = handle(new MinskyException(ExitCode.INTERNAL, "cannot write the store",
                null, new java.nio.file.FileSystemException("/s/session-db.json: Too many open files")));
        assertEquals(ExitCode.INCOMPLETE, h.code(), h.err());
        assertTrue(h.err().contains("ran out of open files") && h.err().contains("ulimit -n"), h.err());
        assertTrue(h.err().contains("caused by: cannot write the store"), h.err());
    }

    @Test
    void no_space_left_is_exit_3_and_says_the_disk_is_full() {
        Handled h = handle(new java.io.UncheckedIOException(new java.io.IOException("No space left on device")));
        assertEquals(ExitCode.INCOMPLETE, h.code(), h.err());
        assertTrue(h.err().contains("disk holding minsky's state is full"), h.err());
    }

    @Test
    void an_ordinary_bug_is_still_an_internal_error() {
        Handled h = handle(new IllegalStateException("boom"));
        assertEquals(ExitCode.INTERNAL, h.code(), h.err());
    }
}
