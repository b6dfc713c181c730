package dev.minsky.doctor.fix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.model.SessionJson;
import dev.minsky.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The file side of the fix journal: verified copies of files as they were before a step, and
 * putting them back. {@link Journal} keeps the document ({@code journal.json}) and calls this for
 * the files; each copy is described by one JSON object of that document ({@code path}, {@code kind}
 * absent / dir / file / other, {@code mode}, and for a copied file {@code sha256}, {@code size} and
 * {@code copy}, the copy's path relative to the journal directory).
 */
final class FileSnapshots {
    private FileSnapshots() {}

    /**
     * Describes {@code p} as it is now and, when {@code stepDir} is given and it is a regular file,
     * copies it to {@code stepDir/<i>} and reads the copy back to check its checksum. Throws when the
     * copy cannot be made or does not read back the same: nothing has been changed then.
     */
    static ObjectNode snapshot(Path journalDir, Path p, Path stepDir, int i) throws IOException {
        ObjectNode f = SessionJson.mapper().createObjectNode();
        f.put("path", p.toAbsolutePath().toString());
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            f.put("kind", "absent");
            return f;
        }
        f.put("mode", PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)));
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            f.put("kind", "dir");
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            f.put("kind", "file");
            if (stepDir != null) {
                byte[] data = Files.readAllBytes(p);
                String sum = sha256(data);
                Path copy = stepDir.resolve(Integer.toString(i));
                AtomicFiles.write(copy, data, "rw-------");
                if (!sum.equals(sha256(Files.readAllBytes(copy)))) {
                    throw new IOException("the copy of " + p + " does not read back the same");
                }
                f.put("sha256", sum);
                f.put("size", data.length);
                f.put("copy", journalDir.relativize(copy).toString());
            }
        } else {
            f.put("kind", "other");
        }
        return f;
    }

    /**
     * Puts every described file back as it was: content and mode (last copied first), removes what
     * did not exist (a directory only when empty), then resets the recorded modes of {@code modes}.
     * Returns the paths restored; throws INCOMPLETE naming every path that could not be, with where
     * the copies are ({@code copies}, {@code document}).
     */
    static List<String> restore(Path journalDir, Iterable<JsonNode> filesNodes, Iterable<JsonNode> modes, Path copies, Path document) {
        List<String> done = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        List<JsonNode> files = new ArrayList<>();
        filesNodes.forEach(files::add);
        java.util.Collections.reverse(files);
        for (JsonNode f : files) {
            Path p = Path.of(f.path("path").asText());
            try {
                switch (f.path("kind").asText()) {
                    case "file" -> {
                        byte[] data = Files.readAllBytes(journalDir.resolve(f.path("copy").asText()));
                        if (!sha256(data).equals(f.path("sha256").asText())) {
                            throw new IOException("the journal's copy is damaged (checksum differs)");
                        }
                        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                            throw new IOException("a directory is there now");
                        }
                        AtomicFiles.write(p, data, f.path("mode").asText("rw-------"));
                        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(f.path("mode").asText()));
                        done.add(p.toString());
                    }
                    case "absent" -> {
                        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                            try {
                                Files.deleteIfExists(p);
                                done.add(p.toString());
                            } catch (DirectoryNotEmptyException e) {
                                // something else lives there now (the journal itself, new files): keep it
                            }
                        } else if (Files.deleteIfExists(p)) {
                            done.add(p.toString());
                        }
                    }
                    case "dir", "other" -> {
                        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && f.hasNonNull("mode")) {
                            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(f.path("mode").asText()));
                        }
                    }
                    default -> {
                    }
                }
            } catch (IOException | RuntimeException e) {
                failed.add(p + ": " + e.getMessage());
            }
        }
        for (JsonNode f : modes) {
            Path p = Path.of(f.path("path").asText());
            try {
                if (f.hasNonNull("mode") && Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(f.path("mode").asText()));
                    done.add(p + " (mode " + f.path("mode").asText() + ")");
                }
            } catch (IOException | RuntimeException e) {
                failed.add(p + ": " + e.getMessage());
            }
        }
        if (!failed.isEmpty()) {
            throw new MinskyException(ExitCode.INCOMPLETE, "could not restore " + String.join("; ", failed),
                    "the copies from before the fix are in " + copies + " (see " + document + ")");
        }
        return done;
    }

    /** True when one of these descriptions has a copy. */
    static boolean copiedAny(Iterable<JsonNode> files) {
        for (JsonNode f : files) {
            if (f.hasNonNull("copy")) {
                return true;
            }
        }
        return false;
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
