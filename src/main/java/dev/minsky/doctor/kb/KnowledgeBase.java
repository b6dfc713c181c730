package dev.minsky.doctor.kb;

import dev.minsky.MinskyPaths;
import dev.minsky.doctor.engine.CauseDef;
import dev.minsky.doctor.engine.FixtureDef;
import dev.minsky.doctor.engine.Playbook;
import dev.minsky.doctor.engine.PlaybookLoader;
import dev.minsky.doctor.engine.PlaybookPositions;
import dev.minsky.doctor.model.PlaybookError;
import dev.minsky.plugin.Plugins;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A set of playbooks as the authoring tools see it: what loaded, where each came from (its
 * origin: {@code builtin}, {@code plugin:<jar>} or {@code user:<dir>}), the errors of what did not,
 * and which of the playbooks were asked about (all installed ones, or those of one directory).
 */
public final class KnowledgeBase {
    public static final String BUILTIN = "builtin";

    private final PlaybookLoader.Loaded loaded;
    private final List<PlaybookError> errors;
    private final Path focusDir;
    private final Map<String, String> texts;

    private KnowledgeBase(PlaybookLoader.Loaded loaded, List<PlaybookError> extraErrors, Path focusDir,
                          Map<String, String> texts) {
        this.loaded = loaded;
        this.focusDir = focusDir;
        this.texts = texts;
        List<PlaybookError> all = new ArrayList<>(extraErrors);
        loaded.errors().forEach(e -> all.add(refine(e)));
        this.errors = List.copyOf(all);
    }

    /**
     * What {@code minsky doctor} loads: the built-in playbooks, the plugins' ({@code
     * ~/.config/minsky/plugins/*.jar}), the user's ({@code ~/.config/minsky/knowledge-base/}), then
     * each of {@code extraDirs} ({@code --kb}).
     */
    public static KnowledgeBase installed(MinskyPaths paths, List<Path> extraDirs) {
        PluginPlaybooks.Found plugins = PluginPlaybooks.read(paths);
        List<Path> dirs = new ArrayList<>();
        dirs.add(paths.userKnowledgeBase());
        dirs.addAll(extraDirs);
        Map<String, String> texts = new HashMap<>();
        plugins.texts().forEach(t -> texts.put(t.source(), t.text()));
        return new KnowledgeBase(PlaybookLoader.load(plugins.texts(), dirs), plugins.errors(), null, texts);
    }

    /**
     * The playbooks of one directory, loaded after the built-in ones as the doctor would load them
     * (so {@code after} may name a built-in cause, and reusing a built-in id is an error). A
     * directory with an {@code index.list} is a knowledge base like the built-in one (a copy of
     * {@code knowledge-base/} being edited) and is loaded in their place.
     */
    public static KnowledgeBase ofDir(Path dir) {
        boolean replacesBuiltIns = Files.isRegularFile(dir.resolve("index.list"));
        return new KnowledgeBase(PlaybookLoader.load(!replacesBuiltIns, List.of(), List.of(dir)), List.of(), dir, Map.of());
    }

    /** Every playbook that loaded, the built-in ones too. */
    public List<Playbook> playbooks() {
        return loaded.playbooks();
    }

    public List<CauseDef> causes() {
        return loaded.causes();
    }

    /** The playbooks asked about: those of the directory, or all. */
    public List<Playbook> focus() {
        return loaded.playbooks().stream().filter(p -> inFocus(p.source())).toList();
    }

    private boolean inFocus(String source) {
        return focusDir == null || !source.startsWith("jar:") && Path.of(source).toAbsolutePath().normalize()
                .startsWith(focusDir.toAbsolutePath().normalize());
    }

    /** The playbooks that did not load, each with file, line and field. */
    public List<PlaybookError> errors() {
        return errors;
    }

    /**
     * Problems of playbooks that loaded which the doctor lets pass but an author wants to know:
     * a fixture that names a cause no playbook defines (it can never pass, or checks nothing).
     */
    public List<PlaybookError> lint() {
        Set<String> known = new java.util.HashSet<>();
        loaded.causes().forEach(c -> known.add(c.id()));
        List<PlaybookError> out = new ArrayList<>();
        for (Playbook p : focus()) {
            PlaybookPositions pos = positions(p.source());
            for (int i = 0; i < p.fixtures().size(); i++) {
                FixtureDef f = p.fixtures().get(i);
                check(out, pos, p.source(), "fixtures[" + i + "].expect", f, f.expect(), known);
                check(out, pos, p.source(), "fixtures[" + i + "].absent", f, f.absent(), known);
            }
        }
        return out;
    }

    private static void check(List<PlaybookError> out, PlaybookPositions pos, String source, String field, FixtureDef f,
                              List<String> ids, Set<String> known) {
        for (int k = 0; k < ids.size(); k++) {
            if (!known.contains(ids.get(k))) {
                String at = pos.line(field + "[" + k + "]") > 0 ? field + "[" + k + "]" : field;
                out.add(new PlaybookError(source, pos.line(at), at, "fixture '" + f.name() + "' names unknown cause '"
                        + ids.get(k) + "'" + Suggestions.didYouMean(ids.get(k), known)));
            }
        }
    }

    /** Where a playbook came from: {@code builtin}, {@code plugin:<jar>} or {@code user:<dir>}. */
    public static String origin(String source) {
        if (source.startsWith("jar:")) {
            return BUILTIN;
        }
        int bang = source.indexOf(PluginPlaybooks.SEPARATOR);
        if (bang > 0 && source.substring(0, bang).endsWith(".jar")) {
            return "plugin:" + Path.of(source.substring(0, bang)).getFileName();
        }
        Path parent = Path.of(source).getParent();
        return "user:" + (parent == null ? "." : parent.toString());
    }

    /** The cause with this id, or null. */
    public CauseDef cause(String id) {
        return loaded.causes().stream().filter(c -> c.id().equals(id)).findFirst().orElse(null);
    }

    /** The playbook that defines a cause. */
    public Playbook playbookOf(String causeId) {
        return loaded.playbooks().stream().filter(p -> p.causes().stream().anyMatch(c -> c.id().equals(causeId)))
                .findFirst().orElse(null);
    }

    /** Cause ids, in load order. */
    public List<String> ids() {
        return loaded.causes().stream().map(CauseDef::id).toList();
    }

    /** The fixtures that name a cause (in {@code expect} or {@code absent}), by playbook source. */
    public Map<String, List<FixtureDef>> fixturesNaming(String causeId) {
        Map<String, List<FixtureDef>> out = new LinkedHashMap<>();
        for (Playbook p : loaded.playbooks()) {
            for (FixtureDef f : p.fixtures()) {
                if (f.expect().contains(causeId) || f.absent().contains(causeId)) {
                    out.computeIfAbsent(p.source(), k -> new ArrayList<>()).add(f);
                }
            }
        }
        return out;
    }

    /** The line where a field of a loaded playbook starts, 0 when unknown. */
    public int line(String source, String field) {
        return positions(source).line(field);
    }

    private final Map<String, PlaybookPositions> positions = new HashMap<>();

    private PlaybookPositions positions(String source) {
        return positions.computeIfAbsent(source, s -> PlaybookPositions.of(text(s)));
    }

    private PlaybookError refine(PlaybookError e) {
        if (e.field() == null || e.field().isEmpty()) {
            return e;
        }
        return text(e.file()) == null ? e : positions(e.file()).refine(e);
    }

    private String text(String source) {
        if (texts.containsKey(source)) {
            return texts.get(source);
        }
        if (source.startsWith("jar:")) {
            try (var in = KnowledgeBase.class.getClassLoader().getResourceAsStream(source.substring(4))) {
                return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return null;
            }
        }
        try {
            return Files.readString(Path.of(source), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
