package dev.minsky.doctor.kb;

import dev.minsky.doctor.engine.PlaybookLoader;
import dev.minsky.doctor.model.PlaybookError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The playbooks plugin jars carry: each {@code knowledge-base/*.yaml} (or {@code .yml}) entry of
 * each {@code *.jar} in the plugins directory, jars and entries in name order. A playbook from a
 * jar is reported under {@code <jar path>!/knowledge-base/<name>.yaml}.
 */
public final class PluginPlaybooks {
    static final Pattern ENTRY = Pattern.compile("knowledge-base/[^/]+\\.ya?ml");
    /** Between a jar's path and an entry's name in a playbook's source. */
    public static final String SEPARATOR = "!/";

    /** What the jars held, and the jars that could not be read. */
    public record Found(List<PlaybookLoader.Text> texts, List<PlaybookError> errors) {}

    private PluginPlaybooks() {}

    public static Found read(Path pluginsDir) {
        List<PlaybookLoader.Text> texts = new ArrayList<>();
        List<PlaybookError> errors = new ArrayList<>();
        if (!Files.isDirectory(pluginsDir)) {
            return new Found(texts, errors);
        }
        List<Path> jars;
        try (Stream<Path> s = Files.list(pluginsDir)) {
            jars = s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            errors.add(new PlaybookError(pluginsDir.toString(), 0, "", "cannot list the plugins: " + e.getMessage()));
            return new Found(texts, errors);
        }
        for (Path jar : jars) {
            try (JarFile jf = new JarFile(jar.toFile())) {
                List<JarEntry> entries = jf.stream().filter(e -> !e.isDirectory() && ENTRY.matcher(e.getName()).matches())
                        .sorted(Comparator.comparing(JarEntry::getName)).toList();
                for (JarEntry e : entries) {
                    texts.add(new PlaybookLoader.Text(jar + SEPARATOR + e.getName(),
                            new String(jf.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8)));
                }
            } catch (IOException | RuntimeException e) {
                errors.add(new PlaybookError(jar.toString(), 0, "", "cannot read the plugin's playbooks: " + e.getMessage()));
            }
        }
        return new Found(texts, errors);
    }
}
