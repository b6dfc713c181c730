package dev.minsky;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;

/**
 * Thrown when standard output is closed by its reader ({@code minsky session list | head -1}).
 * The JVM ignores SIGPIPE and a {@link PrintStream} swallows the write error, so without this a
 * command would go on producing output nobody reads; thrown as an {@link Error} so that no
 * {@code catch (Exception)} on the way up keeps it going. {@code Main} ends the command at once
 * with exit 0, as {@code git log | head} does.
 */
public final class StdoutClosed extends Error {
    private StdoutClosed(IOException cause) {
        super("standard output was closed by its reader", cause, false, false);
    }

    /** Standard output as a stream that throws {@link StdoutClosed} once the reader has gone. */
    public static PrintStream stdout(Charset charset) {
        OutputStream fd = new FileOutputStream(FileDescriptor.out);
        OutputStream guarded = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                try {
                    fd.write(b);
                } catch (IOException e) {
                    throw closed(e);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                try {
                    fd.write(b, off, len);
                } catch (IOException e) {
                    throw closed(e);
                }
            }

            @Override
            public void flush() throws IOException {
                try {
                    fd.flush();
                } catch (IOException e) {
                    throw closed(e);
                }
            }
        };
        return new PrintStream(new java.io.BufferedOutputStream(guarded, 1 << 16), true, charset);
    }

    private static IOException closed(IOException e) {
        // EPIPE is the reader going away; any other write error (disk full behind a redirect) is
        // not the user's way of saying "enough" and stays a write error
        String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        if (m.contains("broken pipe") || m.contains("stream closed")) {
            throw new StdoutClosed(e);
        }
        return e;
    }
}
