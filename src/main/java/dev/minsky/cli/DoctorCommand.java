package dev.minsky.cli;

import dev.minsky.ExitCode;
import dev.minsky.config.ConfigService;
import dev.minsky.doctor.run.Doctor;
import dev.minsky.doctor.DoctorEnv;
import dev.minsky.doctor.DoctorOptions;
import dev.minsky.doctor.bundle.Bundler;
import dev.minsky.doctor.fix.Fixer;
import dev.minsky.doctor.kb.Explanation;
import dev.minsky.doctor.model.DoctorReport;
import dev.minsky.doctor.render.HumanReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code minsky doctor}: diagnose, fix, bundle. */
@Command(name = "doctor", description = {
        "Find out why the session store is broken, how sure that is, and what to do about it.",
        "Exit code 0 when healthy, 1 when there are findings (an unreachable store is one)."},
        footerHeading = "%nExamples:%n",
        footer = {"  minsky doctor", "  minsky doctor --fix --yes", "  minsky doctor --json",
                "  minsky doctor --explain store.split-brain     # why that cause was or was not reported",
                "  minsky doctor --kb ./my-playbooks --explain acme.marker --json%n"})
public final class DoctorCommand extends BaseCommand {
    @Option(names = "--json", description = "Print the diagnosis as JSON (schemaVersion 1).")
    boolean json;

    @Option(names = {"-v", "--verbose"}, description = "Show the evidence for and against each finding, and the probes with their timings.")
    boolean verbose;

    @Option(names = "--fix", description = "Apply the safe fixes (and reversible ones with --yes), then diagnose again.")
    boolean fix;

    @Option(names = "--dry-run", description = "With --fix: show the plan, change nothing.")
    boolean dryRun;

    @Option(names = {"-y", "--yes"}, description = "With --fix: apply reversible fixes without asking (a verified backup is taken first).")
    boolean yes;

    @Option(names = "--undo", arity = "0..1", fallbackValue = "", paramLabel = "ID",
            description = "Undo a fix recorded by --fix (the newest when ID is omitted).")
    String undo;

    @Option(names = "--bundle", arity = "0..1", fallbackValue = "", paramLabel = "FILE",
            description = "Write a bug-report bundle (zip, or tar.gz when FILE ends in .tar.gz); secrets are masked. "
                    + "Default FILE: minsky-bundle-<UTC time>.zip in the current directory.")
    String bundle;

    @Option(names = "--preview", description = "With --bundle: show what the bundle would hold, write nothing.")
    boolean preview;

    @Option(names = "--include-data", description = "With --bundle: include the session records (sanitized).")
    boolean includeData;

    @Option(names = "--kb", paramLabel = "DIR", description = "Also load playbooks (*.yaml) from DIR; repeatable.")
    List<Path> knowledgeBases = new ArrayList<>();

    @Option(names = "--timeout", paramLabel = "DURATION",
            description = "How long the probes may take in all, e.g. 30s, 500ms, 2m (default 10s); each probe's own limit grows with it.")
    String timeout;

    @Option(names = "--explain", paramLabel = "CAUSE",
            description = "After the diagnosis, show why CAUSE was or was not reported: each condition and piece of evidence "
                    + "with the fact's value, and the confidence (with --json: an 'explain' object).")
    String explain;

    @Option(names = "--timings", hidden = true, description = "Print how long each phase took (to stderr).")
    boolean timings;

    private dev.minsky.AppContext previewToStderr() {
        dev.minsky.AppContext c = ctx();
        return new dev.minsky.AppContext(c.env(), c.cwd(), c.err(), c.err(), c.in(), c.interactive(), c.clock());
    }

    /** Why {@code --explain}'s cause was or was not in the last diagnosis. */
    private Explanation explanation(Doctor doctor, DoctorReport last) {
        String source = doctor.knowledgeBase().playbooks().stream()
                .filter(p -> p.causes().stream().anyMatch(c -> c.id().equals(explain)))
                .map(dev.minsky.doctor.engine.Playbook::source).findFirst().orElse("?");
        return Explanation.of(doctor.engine().causes().get(explain), source, last.facts(), last.findings());
    }

    @Override
    protected int execute() {
        MinskyCommand root = root();
        ConfigService config = root.config();
        DoctorEnv env = new DoctorEnv(ctx(), config, config.settingsLenient(), root.log());
        if (undo != null) {
            out().println(Fixer.undo(env, undo.isEmpty() ? null : undo));
            return ExitCode.OK;
        }
        Duration deadline = timeout == null ? DoctorOptions.DEFAULT_DEADLINE : DoctorOptions.parseTimeout(timeout);
        List<Path> kbs = knowledgeBases.stream().map(p -> ctx().cwd().resolve(p)).toList();
        for (Path kb : kbs) {
            if (!java.nio.file.Files.isDirectory(kb)) {
                throw dev.minsky.MinskyException.badInput("--kb " + kb + ": " + (java.nio.file.Files.exists(kb)
                        ? "not a directory" : "no such directory"), "give a directory that holds playbooks (*.yaml)");
            }
        }
        long t0 = System.nanoTime();
        Doctor doctor = Doctor.open(env, new DoctorOptions(kbs, deadline)).progress(progress());
        if (explain != null && !doctor.engine().causes().containsKey(explain)) {
            throw KbCommand.unknownCause(explain, List.copyOf(doctor.engine().causes().keySet()));
        }
        DoctorReport report = doctor.diagnose();
        if (fix || dryRun) {
            report = Fixer.fix(env, report, new Fixer.Options(dryRun, yes, json, progress()), () -> doctor.diagnose(Fixer.reloaded(env)));
        }
        progressDone();
        Path written = null;
        if (bundle != null || preview || includeData) {
            // with --json, standard output holds one JSON document: the preview goes to stderr
            DoctorEnv bundleEnv = json && preview ? new DoctorEnv(previewToStderr(), env.config(), env.settings(), env.log()) : env;
            written = Bundler.write(bundleEnv, report, new Bundler.Options(
                    bundle == null || bundle.isEmpty() ? null : ctx().cwd().resolve(bundle), preview, includeData));
        }
        DoctorReport shown = report.after() != null ? report.after() : report;
        Explanation why = explain == null ? null : explanation(doctor, shown);
        if (json) {
            if (why == null) {
                out().println(dev.minsky.doctor.render.ReportJson.write(report)); // no ObjectMapper (issue 12)
            } else {
                com.fasterxml.jackson.databind.node.ObjectNode doc = dev.minsky.model.SessionJson.mapper().valueToTree(report);
                doc.set("explain", dev.minsky.model.SessionJson.mapper().valueToTree(why));
                printJson(doc);
            }
        } else {
            boolean color = ctx().interactive() && ctx().env("NO_COLOR") == null && !"dumb".equals(ctx().env("TERM"));
            new HumanReport(out(), color, verbose).texts(id -> {
                var c = doctor.engine().causes().get(id);
                return c == null ? null : new HumanReport.Texts(c.why(), c.fixDoes(),
                        c.remediations().stream().map(dev.minsky.doctor.engine.RemediationDef::action).toList());
            }).print(shown);
            if (why != null) {
                why.print(out());
            }
        }
        if (written != null) {
            (json ? err() : out()).println("bundle written: " + written);
        }
        if (timings) {
            StringBuilder sb = new StringBuilder("timings:");
            for (Map.Entry<String, Long> e : doctor.timings().entrySet()) {
                sb.append(' ').append(e.getKey()).append('=').append(e.getValue()).append("ms");
            }
            sb.append(" rules=").append(doctor.engine().ruleCount()).append(" total=")
                    .append((System.nanoTime() - t0) / 1_000_000).append("ms");
            err().println(sb);
        }
        DoctorReport last = report.after() != null ? report.after() : report;
        return last.healthy() ? ExitCode.OK : ExitCode.FINDINGS;
    }
}
