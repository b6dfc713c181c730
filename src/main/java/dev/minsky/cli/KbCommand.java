package dev.minsky.cli;

import dev.minsky.util.Plural;

import dev.minsky.ExitCode;
import dev.minsky.MinskyException;
import dev.minsky.doctor.engine.CauseDef;
import dev.minsky.doctor.engine.Condition;
import dev.minsky.doctor.engine.Engine;
import dev.minsky.doctor.engine.EvidenceDef;
import dev.minsky.doctor.engine.FixtureDef;
import dev.minsky.doctor.engine.Playbook;
import dev.minsky.doctor.engine.RemediationDef;
import dev.minsky.doctor.kb.ConditionText;
import dev.minsky.doctor.kb.FixtureRunner;
import dev.minsky.doctor.kb.KnowledgeBase;
import dev.minsky.doctor.kb.Suggestions;
import dev.minsky.doctor.model.PlaybookError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code minsky kb ...}: tools for playbook authors (list, show, validate, test). The work is in
 * {@code dev.minsky.doctor.kb}.
 */
@Command(name = "kb", description = {"Tools for playbook authors: list, show, validate and test the doctor's knowledge base.",
        "The installed playbooks are the built-in ones, the plugins' (~/.config/minsky/plugins/*.jar) and the user's "
                + "(~/.config/minsky/knowledge-base/*.yaml). See docs/playbooks.md."},
        footerHeading = "%nExamples:%n",
        footer = {"  minsky kb list", "  minsky kb show store.split-brain", "  minsky kb validate ~/my-playbooks",
                "  minsky kb test ~/my-playbooks", "  minsky doctor --explain store.split-brain%n"})
public final class KbCommand extends BaseCommand implements CommandGroup {
    /** The subcommands in the order help lists them (not in the annotation: see {@link CommandGroup}). */
    private static final Map<String, Class<?>> SUBCOMMANDS = CommandGroup.inOrder(
            Map.entry("list", ListCauses.class),
            Map.entry("show", Show.class),
            Map.entry("validate", Validate.class),
            Map.entry("test", Test.class));

    @Override
    public Map<String, Class<?>> subcommands() {
        return SUBCOMMANDS;
    }

    @Override
    protected int execute() {
        spec.commandLine().usage(out());
        return ExitCode.OK;
    }

    /** The installed playbooks, with {@code --kb} directories after the user's. */
    static KnowledgeBase installed(BaseCommand c, List<Path> kbDirs) {
        List<Path> dirs = new ArrayList<>();
        for (Path p : kbDirs) {
            dirs.add(directory(c, p, "--kb"));
        }
        return KnowledgeBase.installed(c.ctx().paths(), dirs);
    }

    static Path directory(BaseCommand c, Path p, String what) {
        Path d = c.ctx().cwd().resolve(p).normalize();
        if (!Files.isDirectory(d)) {
            throw MinskyException.badInput(what + " " + d + ": " + (Files.exists(d) ? "not a directory" : "no such directory"),
                    "give a directory that holds playbooks (*.yaml)");
        }
        return d;
    }

    /** The playbooks of DIR (after the built-in ones), or the installed ones. */
    static KnowledgeBase of(BaseCommand c, Path dir) {
        return dir == null ? KnowledgeBase.installed(c.ctx().paths(), List.of()) : KnowledgeBase.ofDir(directory(c, dir, "playbook directory"));
    }

    static Map<String, Object> error(PlaybookError e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", e.file());
        m.put("line", e.line());
        m.put("field", e.field());
        m.put("message", e.message());
        return m;
    }

    static String table(List<String[]> rows) {
        int[] w = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(i == r.length - 1 ? r[i] : String.format(Locale.ROOT, "%-" + w[i] + "s  ", r[i]));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    static String num(double d) {
        return String.format(Locale.ROOT, "%.2f", d);
    }

    /** {@code minsky kb list}. */
    @Command(name = "list", description = "List every cause the doctor knows: id, severity, area, origin and source file.",
            footerHeading = "%nExamples:%n",
            footer = {"  minsky kb list", "  minsky kb list --json | jq -r '.causes[] | select(.origin != \"builtin\") | .id'",
                    "  minsky kb list --kb ./my-playbooks%n"})
    static final class ListCauses extends BaseCommand {
        @Option(names = "--json", description = "Print the causes as JSON.")
        boolean json;

        @Option(names = "--kb", paramLabel = "DIR", description = "Also load playbooks (*.yaml) from DIR, as doctor --kb does; repeatable.")
        List<Path> kbDirs = new ArrayList<>();

        @Override
        protected int execute() {
            KnowledgeBase kb = installed(this, kbDirs);
            List<Map<String, Object>> causes = new ArrayList<>();
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"ID", "SEVERITY", "AREA", "ORIGIN", "SOURCE"});
            for (Playbook p : kb.playbooks()) {
                String origin = KnowledgeBase.origin(p.source());
                for (int k = 0; k < p.causes().size(); k++) {
                    CauseDef c = p.causes().get(k);
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", c.id());
                    m.put("title", c.title());
                    m.put("severity", c.severity().json());
                    m.put("area", c.areaOrDefault());
                    m.put("source", p.source());
                    m.put("line", kb.line(p.source(), "causes[" + k + "]"));
                    m.put("origin", origin);
                    causes.add(m);
                    rows.add(new String[] {c.id(), c.severity().json(), c.areaOrDefault(), origin, p.source()});
                }
            }
            if (json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("causes", causes);
                doc.put("playbookErrors", kb.errors().stream().map(KbCommand::error).toList());
                printJson(doc);
            } else {
                out().print(table(rows));
                if (!kb.errors().isEmpty()) {
                    err().println("warning: " + Plural.count(kb.errors().size(), "playbook error")
                            + " (those playbooks were skipped; details: minsky kb validate):");
                    kb.errors().forEach(e -> err().println("  " + e));
                }
            }
            return ExitCode.OK;
        }
    }

    /** {@code minsky kb show CAUSE}. */
    @Command(name = "show", description = "Show one cause: its conditions, evidence weights, remediations and the fixtures that name it.",
            footerHeading = "%nExamples:%n",
            footer = {"  minsky kb show store.split-brain", "  minsky kb show config.invalid --json",
                    "  minsky kb show acme.marker --kb ./my-playbooks%n"})
    static final class Show extends BaseCommand {
        @Parameters(paramLabel = "CAUSE", description = "The cause id, e.g. store.split-brain.")
        String cause;

        @Option(names = "--json", description = "Print the cause as JSON.")
        boolean json;

        @Option(names = "--kb", paramLabel = "DIR", description = "Also load playbooks (*.yaml) from DIR; repeatable.")
        List<Path> kbDirs = new ArrayList<>();

        @Override
        protected int execute() {
            KnowledgeBase kb = installed(this, kbDirs);
            CauseDef c = kb.cause(cause);
            if (c == null) {
                throw unknownCause(cause, kb.ids());
            }
            Playbook p = kb.playbookOf(c.id());
            int line = kb.line(p.source(), "causes[" + p.causes().indexOf(c) + "]");
            Map<String, List<FixtureDef>> fixtures = kb.fixturesNaming(c.id());
            if (json) {
                printJson(document(c, p, line, fixtures));
                return ExitCode.OK;
            }
            out().println(c.id() + ": " + c.title());
            out().println("  severity " + c.severity().json() + ", area " + c.areaOrDefault() + (c.code() == null ? "" : ", code " + c.code()));
            out().println("  defined in " + p.source() + (line > 0 ? ":" + line : "") + " (" + KnowledgeBase.origin(p.source()) + ")");
            out().println("  reported from confidence " + num(c.threshold()) + " (prior " + num(c.prior()) + ")"
                    + (c.probes().isEmpty() ? "" : "; less certain when a probe fails: " + String.join(", ", c.probes())));
            if (!c.after().isEmpty()) {
                out().println("  fixed after: " + String.join(", ", c.after()));
            }
            out().println("Conditions (all must hold):");
            c.when().forEach(w -> out().println("  " + ConditionText.of(w)));
            out().println("Evidence:");
            List<String[]> rows = new ArrayList<>();
            for (EvidenceDef e : c.evidence()) {
                rows.add(new String[] {"  " + (e.supports() ? "supports" : "against"), num(e.weight()), ConditionText.of(e.condition()),
                        e.note() == null ? "" : e.note()});
            }
            out().print(table(rows));
            out().println("Remediations (in order):");
            if (c.remediations().isEmpty()) {
                out().println("  none (a diagnosis only)");
            }
            for (int i = 0; i < c.remediations().size(); i++) {
                RemediationDef r = c.remediations().get(i);
                out().println("  " + (i + 1) + ". " + r.action() + " [" + r.safety().json() + "] " + r.summary());
                if (r.command() != null) {
                    out().println("       command: " + r.command());
                }
                if (r.warning() != null) {
                    out().println("       warning: " + r.warning());
                }
                if (!r.when().isEmpty()) {
                    out().println("       when: " + String.join(", ", r.when().stream().map(ConditionText::of).toList()));
                }
            }
            out().println("Fixtures:");
            if (fixtures.isEmpty()) {
                out().println("  none names it");
            }
            fixtures.forEach((src, list) -> list.forEach(f -> out().println("  " + src + ": " + f.name() + ": "
                    + (f.expect().contains(c.id()) ? "expect " + (f.expect().isEmpty() ? "healthy" : f.expect()) : "")
                    + (f.absent().contains(c.id()) ? (f.expect().contains(c.id()) ? ", " : "") + "absent " + f.absent() : ""))));
            return ExitCode.OK;
        }

        private static Map<String, Object> document(CauseDef c, Playbook p, int line, Map<String, List<FixtureDef>> fixtures) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", c.id());
            m.put("title", c.title());
            m.put("code", c.code());
            m.put("severity", c.severity().json());
            m.put("area", c.areaOrDefault());
            m.put("source", p.source());
            m.put("line", line);
            m.put("origin", KnowledgeBase.origin(p.source()));
            m.put("threshold", c.threshold());
            m.put("prior", c.prior());
            m.put("probes", c.probes());
            m.put("after", c.after());
            m.put("conditions", c.when().stream().map(KbCommand::condition).toList());
            m.put("evidence", c.evidence().stream().map(e -> {
                Map<String, Object> x = condition(e.condition());
                x.put("supports", e.supports());
                x.put("weight", e.weight());
                x.put("note", e.note());
                return x;
            }).toList());
            m.put("remediations", c.remediations().stream().map(r -> {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("action", r.action());
                x.put("safety", r.safety().json());
                x.put("summary", r.summary());
                x.put("command", r.command());
                x.put("warning", r.warning());
                x.put("when", r.when().stream().map(KbCommand::condition).toList());
                return x;
            }).toList());
            List<Map<String, Object>> fx = new ArrayList<>();
            fixtures.forEach((src, list) -> list.forEach(f -> {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("playbook", src);
                x.put("name", f.name());
                x.put("expect", f.expect());
                x.put("absent", f.absent());
                fx.add(x);
            }));
            m.put("fixtures", fx);
            m.put("reads", new ArrayList<>(c.reads()));
            return m;
        }
    }

    static Map<String, Object> condition(Condition c) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("fact", c.fact());
        x.put("op", c.op().yaml());
        x.put("operand", c.operand());
        x.put("test", ConditionText.of(c));
        return x;
    }

    /** An unknown cause id: bad input, with the nearest known ids. */
    static MinskyException unknownCause(String id, List<String> known) {
        List<String> near = Suggestions.nearest(id, known, 3);
        return MinskyException.badInput("unknown cause '" + id + "'" + (near.isEmpty() ? "" : "; did you mean "
                        + String.join(", ", near) + "?"),
                "'minsky kb list' lists the " + known.size() + " known causes");
    }

    /** {@code minsky kb validate [DIR]}. */
    @Command(name = "validate", description = {"Check playbooks: every error with file:line: field: message.",
            "DIR's playbooks are loaded after the built-in ones (a DIR with an index.list replaces them); "
                    + "without DIR, the installed playbooks are checked.",
            "Exit code 0 when all are valid, 2 on any error."},
            footerHeading = "%nExamples:%n",
            footer = {"  minsky kb validate ./my-playbooks", "  minsky kb validate            # the installed playbooks",
                    "  minsky kb validate knowledge-base --json%n"})
    static final class Validate extends BaseCommand {
        @Parameters(paramLabel = "DIR", arity = "0..1", description = "A directory of playbooks (*.yaml); default: the installed ones.")
        Path dir;

        @Option(names = "--json", description = "Print the result as JSON.")
        boolean json;

        @Override
        protected int execute() {
            KnowledgeBase kb = of(this, dir);
            List<PlaybookError> errors = new ArrayList<>(kb.errors());
            errors.addAll(kb.lint());
            Set<String> files = new LinkedHashSet<>();
            kb.focus().forEach(p -> files.add(p.source()));
            kb.errors().forEach(e -> files.add(e.file()));
            int causes = kb.focus().stream().mapToInt(p -> p.causes().size()).sum();
            if (json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("valid", errors.isEmpty());
                doc.put("playbooks", files.size());
                doc.put("causes", causes);
                doc.put("errors", errors.stream().map(KbCommand::error).toList());
                printJson(doc);
            } else {
                errors.forEach(e -> out().println(e));
                out().println(Plural.count(files.size(), "playbook") + ", " + Plural.count(causes, "cause") + ", "
                        + (errors.isEmpty() ? "no errors" : Plural.count(errors.size(), "error")));
            }
            return errors.isEmpty() ? ExitCode.OK : ExitCode.BAD_INPUT;
        }
    }

    /** {@code minsky kb test [DIR]}. */
    @Command(name = "test", description = {"Run the fixtures of playbooks through the real rule base: facts in, ranked causes out.",
            "DIR's playbooks are loaded after the built-in ones (a DIR with an index.list replaces them); "
                    + "without DIR, the fixtures of the installed playbooks run.",
            "Exit code 0 when all pass, 1 when one fails, 2 when a playbook is invalid."},
            footerHeading = "%nExamples:%n",
            footer = {"  minsky kb test ./my-playbooks", "  minsky kb test                # the installed playbooks",
                    "  minsky kb test ./my-playbooks --json | jq '.failed'%n"})
    static final class Test extends BaseCommand {
        @Parameters(paramLabel = "DIR", arity = "0..1", description = "A directory of playbooks (*.yaml); default: the installed ones.")
        Path dir;

        @Option(names = "--json", description = "Print the results as JSON.")
        boolean json;

        @Override
        protected int execute() {
            KnowledgeBase kb = of(this, dir);
            Engine engine = Engine.build(kb.causes());
            List<FixtureRunner.Result> results = FixtureRunner.runAll(engine, kb.focus());
            long passed = results.stream().filter(FixtureRunner.Result::passed).count();
            long failed = results.size() - passed;
            if (json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("passed", passed);
                doc.put("failed", failed);
                doc.put("fixtures", results.stream().map(r -> {
                    Map<String, Object> x = new LinkedHashMap<>();
                    x.put("playbook", r.playbook());
                    x.put("name", r.fixture());
                    x.put("passed", r.passed());
                    x.put("expect", r.expect());
                    x.put("absent", r.absent());
                    x.put("ranked", r.ranked());
                    x.put("problems", r.problems());
                    return x;
                }).toList());
                doc.put("playbookErrors", kb.errors().stream().map(KbCommand::error).toList());
                printJson(doc);
            } else {
                kb.errors().forEach(e -> out().println("INVALID  " + e));
                for (FixtureRunner.Result r : results) {
                    out().println((r.passed() ? "PASS  " : "FAIL  ") + r.playbook() + ": " + r.fixture()
                            + (r.passed() ? "" : ": " + r.problem()));
                }
                out().println(passed + " passed, " + failed + " failed"
                        + (kb.errors().isEmpty() ? "" : "; " + Plural.count(kb.errors().size(), "playbook error") + " (see minsky kb validate)"));
            }
            if (!kb.errors().isEmpty()) {
                return ExitCode.BAD_INPUT;
            }
            return failed > 0 ? ExitCode.FINDINGS : ExitCode.OK;
        }
    }
}
