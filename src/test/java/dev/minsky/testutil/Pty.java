package dev.minsky.testutil;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * minsky run as its own process on a pseudo-terminal: util-linux {@code script -qfec CMD /dev/null}
 * gives the shell command a pty and copies what it draws to a file, stdout and stderr together
 * (as a user's terminal shows them). {@code MINSKY} in the command stands for minsky's java command line.
 * A progress frame is a carriage return that is not the pty's end of line.
 */
public final class Pty {
    public static final Pattern FRAME = Pattern.compile("\r(?!\n)");

    private Pty() {}

    /** What the terminal got and the command's exit code. */
    public record Result(int code, String terminal) {
        public boolean hasFrames() {
            return FRAME.matcher(terminal).find();
        }

        /** The texts drawn between carriage returns: the progress frames, and the lines printed between them. */
        public List<String> frames() {
            return rawFrames().stream().map(String::strip).toList();
        }

        /** {@link #frames()} as drawn, with the blanks that pad a frame over a longer one (to check every character drawn). */
        public List<String> rawFrames() {
            List<String> out = new ArrayList<>();
            for (String piece : terminal.split("\r")) {
                if (!piece.isEmpty() && !piece.startsWith("\n") && !piece.isBlank()) {
                    out.add(piece);
                }
            }
            return out;
        }

        @Override
        public String toString() {
            return "exit " + code + ":\n" + terminal.replace("\r", "\\r");
        }
    }

    /** Runs {@code shellCommand} on a pty with this environment (the progress delay, the home); waits at most {@code seconds}. */
    public static Result run(Path scratch, Map<String, String> env, String shellCommand, int seconds) throws Exception {
        List<String> java = JavaProcess.minsky(Map.of()).command();
        StringBuilder quoted = new StringBuilder();
        for (String w : java) {
            quoted.append('\'').append(w.replace("'", "'\\''")).append("' ");
        }
        String cmd = shellCommand.replace("MINSKY", quoted.toString().trim());
        Path out = Files.createTempFile(scratch, "pty", ".out");
        ProcessBuilder pb = new ProcessBuilder("script", "-qfec", cmd, "/dev/null")
                .redirectInput(new File("/dev/null")).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().remove(dev.minsky.progress.Terminal.ENV);
        pb.environment().remove("COLUMNS");
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("'" + shellCommand + "' did not end within " + seconds + " s");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }
}
