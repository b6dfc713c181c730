package dev.minsky.doctor.render;

import dev.minsky.doctor.model.DoctorReport;
import dev.minsky.doctor.model.Evidence;
import dev.minsky.doctor.model.Finding;
import dev.minsky.doctor.model.PlaybookError;
import dev.minsky.doctor.model.ProbeRun;
import dev.minsky.doctor.model.ProbeStatus;
import dev.minsky.doctor.model.Remediation;
import dev.minsky.doctor.model.Safety;
import dev.minsky.doctor.model.Severity;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The doctor's human view, in the manner of {@code flutter doctor}: one line per area with
 * ✓ / ! / ✗, then the findings, most likely first, each with its fixes. {@code verbose} adds the
 * evidence for and against each finding and the probes with their timings.
 */
public final class HumanReport {
    private final PrintStream out;
    private final boolean color;
    private final boolean verbose;
    private java.util.function.Function<String, Texts> texts = id -> null;

    /**
     * A cause's words for the finding's paragraph, from its playbook ({@code why}, {@code fixDoes});
     * either may be null.
     */
    public record Texts(String why, String fixDoes, List<String> actions) {}

    /** Where the paragraph under each finding gets its cause's words; without it, only the fix's own are used. */
    public HumanReport texts(java.util.function.Function<String, Texts> byCause) {
        this.texts = byCause;
        return this;
    }

    /**
     * @param color use ANSI colours (only on a terminal, and never when NO_COLOR is set)
     */
    public HumanReport(PrintStream out, boolean color, boolean verbose) {
        this.out = out;
        this.color = color;
        this.verbose = verbose;
    }

    public void print(DoctorReport r) {
        out.println(bold("minsky doctor") + " · " + (r.backend() == null ? "unknown backend" : r.backend())
                + (r.store() == null ? "" : " · " + r.store()));
        out.println();
        for (Map.Entry<String, List<Finding>> area : areas(r).entrySet()) {
            List<Finding> fs = area.getValue();
            boolean error = fs.stream().anyMatch(f -> f.severity() == Severity.ERROR);
            boolean warning = fs.stream().anyMatch(f -> f.severity() == Severity.WARNING);
            long problems = fs.stream().filter(f -> f.severity() != Severity.INFO).count();
            ProbeRun unchecked = problems == 0 ? notRun(r, area.getKey()) : null;
            if (unchecked != null) {
                // a ✓ here would claim a check that did not happen
                String why = neverCreated(r) ? "there is no store yet"
                        : !r.findings().isEmpty() && ProbeStatus.of(unchecked.status()) == ProbeStatus.SKIPPED
                        ? "the store cannot be read until the problem below is fixed" : unchecked.detail();
                out.println(dim("[-]") + " " + label(area.getKey(), r.backend()) + " — not checked" + (why == null ? "" : ": " + why));
                continue;
            }
            String empty = problems == 0 ? emptyArea(r, area.getKey()) : null;
            if (empty != null) {
                // a ✓ over nothing would claim something was found in order
                out.println(dim("[-]") + " " + label(area.getKey(), r.backend()) + " — " + empty);
                continue;
            }
            String mark = error ? red("[✗]") : warning ? yellow("[!]") : green("[✓]");
            String tail = problems == 0 ? "" : " — " + problems + (problems == 1 ? " problem" : " problems");
            out.println(mark + " " + label(area.getKey(), r.backend()) + tail);
        }
        if (!r.findings().isEmpty()) {
            out.println();
            int n = 0;
            for (Finding f : r.findings()) {
                n++;
                printFinding(n, f);
            }
        }
        if (r.playbookErrors() != null && !r.playbookErrors().isEmpty()) {
            out.println();
            out.println(yellow("!") + " Playbooks skipped because they do not validate:");
            for (PlaybookError e : r.playbookErrors()) {
                out.println("    " + e);
            }
        }
        List<ProbeRun> pluginTrouble = r.probes() == null ? List.of() : r.probes().stream()
                .filter(p -> p.id().equals("plugin") || (!"ok".equals(p.status()) && !"skipped".equals(p.status())
                        && p.detail() != null && p.detail().startsWith("plugin "))).toList();
        if (!pluginTrouble.isEmpty()) {
            out.println();
            out.println(yellow("!") + " Plugins that could not be loaded or failed (the built-in checks ran):");
            for (ProbeRun p : pluginTrouble) {
                out.println("    " + (p.id().equals("plugin") ? "" : p.id() + " " + p.status() + ": ") + p.detail());
            }
        }
        if (verbose && r.probes() != null && !r.probes().isEmpty()) {
            out.println();
            out.println(bold("Probes"));
            int w = r.probes().stream().mapToInt(p -> p.id().length()).max().orElse(10);
            for (ProbeRun p : r.probes()) {
                out.println(String.format(Locale.ROOT, "    %-" + w + "s  %-8s %6d ms%s", p.id(), p.status(), p.millis(),
                        p.detail() == null ? "" : "  " + p.detail()));
            }
        }
        out.println();
        long errors = r.findings().stream().filter(f -> f.severity() == Severity.ERROR).count();
        long warnings = r.findings().stream().filter(f -> f.severity() == Severity.WARNING).count();
        if (r.healthy()) {
            out.println(green("•") + " No issues found." + (r.findings().isEmpty() ? "" : " (" + r.findings().size() + " note"
                    + (r.findings().size() == 1 ? "" : "s") + ")"));
        } else {
            out.println(red("•") + " " + count(errors, "error") + ", " + count(warnings, "warning") + "."
                    + (r.findings().stream().flatMap(f -> f.remediations().stream()).anyMatch(x -> x.safety() == Safety.SAFE)
                    ? " 'minsky doctor --fix' applies the safe fixes; '--fix --dry-run' shows the plan." : ""));
            if (!verbose) {
                out.println("  Run 'minsky doctor --verbose' for the evidence behind each finding.");
            }
        }
    }

    private void printFinding(int n, Finding f) {
        String mark = switch (f.severity()) {
            case ERROR -> red("✗");
            case WARNING -> yellow("!");
            case INFO -> "•";
        };
        out.println(mark + " " + n + ". " + bold(f.title()));
        out.println("     " + dim(f.cause() + (f.code() == null ? "" : " · " + f.code()) + " · " + f.severity().json()
                + " · confidence " + Math.round(f.confidence() * 100) + "%"));
        for (String line : wrap(paragraph(f), 92 - 5)) {
            out.println("     " + line);
        }
        if (!f.fixAfter().isEmpty()) {
            out.println("     " + yellow("after fixing " + String.join(", ", f.fixAfter())) + ": its fixes cannot work before");
        }
        if (verbose) {
            String words = confidenceInWords(f);
            if (!words.isEmpty()) {
                for (String line : wrap(words, 92 - 5)) {
                    out.println("     " + dim(line));
                }
            }
            for (Evidence e : f.evidence()) {
                String sign = e.supports() ? green("+") : red("−");
                out.println("     " + sign + " " + e.fact() + " = " + (e.value() == null ? "(absent)" : e.value())
                        + dim(String.format(Locale.ROOT, "  [%.2f]", e.weight())) + (e.note() == null ? "" : "  " + e.note()));
            }
        }
        for (Remediation x : f.remediations()) {
            String head = switch (x.safety()) {
                case SAFE -> green("fix (safe)");
                case REVERSIBLE -> yellow("fix (reversible, backup first)");
                case MANUAL -> "do it yourself";
                case DESTRUCTIVE -> red("destructive, never applied automatically");
            };
            out.println("     → " + head + ": " + x.summary());
            if (x.command() != null) {
                for (String line : x.command().split("\n")) {
                    out.println("         $ " + line);
                }
            }
            if (x.warning() != null) {
                out.println("         " + red("WARNING: ") + x.warning());
            }
        }
        out.println();
    }

    /**
     * What is wrong, why it matters, what the first fix offered does and whether it can be undone,
     * as {@code brew doctor} says it: the playbook's words where it has them, else the fix's summary.
     */
    String paragraph(Finding f) {
        Texts t = texts.apply(f.cause());
        StringBuilder sb = new StringBuilder();
        if (t != null && t.why() != null) {
            sb.append("Why it matters: ").append(sentence(t.why()));
        }
        // the cause's own first fix, not a prerequisite the generic rules put before it (a backup copy)
        List<String> own = t == null || t.actions() == null ? List.of() : t.actions();
        Remediation first = f.remediations().stream().filter(x -> x.safety() != Safety.DESTRUCTIVE)
                .filter(x -> own.isEmpty() || own.contains(x.id())).findFirst()
                .orElse(f.remediations().isEmpty() ? null : f.remediations().get(0));
        if (first == null) {
            return sb.toString();
        }
        String does = t != null && t.fixDoes() != null ? t.fixDoes() : first.summary();
        sb.append(sb.length() == 0 ? "" : " ").append("The fix: ").append(sentence(does)).append(' ').append(switch (first.safety()) {
            case SAFE -> "It is safe: 'minsky doctor --fix' applies it, and 'minsky doctor --undo' reverts what it changed.";
            case REVERSIBLE -> "It can be undone: 'minsky doctor --fix --yes' applies it after a verified backup, "
                    + "and 'minsky doctor --undo' puts back what was there.";
            case MANUAL -> "minsky cannot do this for you; nothing is changed until you do.";
            case DESTRUCTIVE -> "It cannot be undone, so minsky never applies it by itself.";
        });
        return sb.toString();
    }

    /** For -v: which evidence raised the confidence and which lowered it, with the weights, in words. */
    static String confidenceInWords(Finding f) {
        List<String> up = new ArrayList<>();
        List<String> down = new ArrayList<>();
        for (Evidence e : f.evidence()) {
            String what = (e.note() != null ? e.note() : e.fact() + " = " + (e.value() == null ? "(absent)" : e.value()))
                    + String.format(Locale.ROOT, " (weight %.2f)", e.weight());
            (e.supports() ? up : down).add(what);
        }
        if (up.isEmpty() && down.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("Confidence " + Math.round(f.confidence() * 100) + "%: ");
        sb.append(up.isEmpty() ? "nothing raised it" : "raised by " + String.join("; ", up));
        sb.append(down.isEmpty() ? "; nothing lowered it." : "; lowered by " + String.join("; ", down) + ".");
        return sb.toString();
    }

    private static String sentence(String s) {
        String t = s.strip();
        return t.endsWith(".") || t.endsWith("!") || t.endsWith("?") ? t : t + ".";
    }

    /** Breaks text at spaces into lines of at most {@code width} characters (a longer word stays whole). */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return lines;
        }
        StringBuilder line = new StringBuilder();
        for (String word : text.strip().split("\\s+")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() == 0 ? "" : " ").append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    /** Areas in a fixed order; the backend's own line also holds store-wide findings. */
    private static Map<String, List<Finding>> areas(DoctorReport r) {
        String backendArea = r.backend() == null ? "store" : r.backend();
        java.util.Set<String> backendIds = java.util.Set.copyOf(dev.minsky.store.Stores.ids());
        Map<String, List<Finding>> m = new LinkedHashMap<>();
        for (String a : List.of("config", backendArea, "sessions", "perf", "backup")) {
            m.put(a, new ArrayList<>());
        }
        for (Finding f : r.findings()) {
            String a = f.area();
            if (a == null || a.equals("store") || a.equals(backendArea) || backendIds.contains(a)) {
                a = backendArea;
            }
            m.computeIfAbsent(a, k -> new ArrayList<>()).add(f);
        }
        return m;
    }

    /** What an area without problems holds nothing of ("none yet"), or null when it holds something. */
    private static String emptyArea(DoctorReport r, String area) {
        return switch (area) {
            case "backup" -> isZero(r, "backup.count") ? "none yet (one is taken before any fix or migration that changes records)" : null;
            case "sessions" -> isZero(r, "sessions.count") ? "no sessions yet" : null;
            default -> null;
        };
    }

    private static boolean isZero(DoctorReport r, String fact) {
        return r.facts() != null && r.facts().stream()
                .anyMatch(f -> f.id().equals(fact) && f.value() instanceof Number n && n.doubleValue() == 0);
    }

    private static boolean neverCreated(DoctorReport r) {
        return r.facts() != null && r.facts().stream().anyMatch(f -> f.id().equals("store.neverCreated") && Boolean.TRUE.equals(f.value()));
    }

    /** The probe an area's facts come from, when it did not run to the end (skipped, failed, timed out). */
    private static ProbeRun notRun(DoctorReport r, String area) {
        String probe = switch (area) {
            case "sessions", "perf" -> "store.sessions";
            case "backup" -> "backup";
            default -> null;
        };
        if (probe == null || r.probes() == null) {
            return null;
        }
        for (ProbeRun p : r.probes()) {
            if (p.id().equals(probe) && ProbeStatus.of(p.status()) != ProbeStatus.OK) {
                return p;
            }
        }
        return null;
    }

    /**
     * A backend's line: "<display name> store" when its provider names itself (the built-ins: "JSON
     * store", "SQLite store", "PostgreSQL store"), "Session store (<id>)" for the configured backend of
     * a plugin that does not, "Area '<area>'" for anything else.
     */
    private static String backendLabel(String area, String backend) {
        for (dev.minsky.store.StoreProvider p : dev.minsky.store.Stores.providers()) {
            try {
                if (p.id().equals(area) && !p.displayName().equals(p.id())) {
                    return p.displayName() + " store";
                }
            } catch (RuntimeException | LinkageError e) {
                break;
            }
        }
        return area.equals(backend) ? "Session store (" + area + ")" : "Area '" + area + "'";
    }

    private static String label(String area, String backend) {
        return switch (area) {
            case "config" -> "Configuration";
            case "store" -> "Session store";
            case "sessions" -> "Sessions and workspaces";
            case "perf" -> "Performance";
            case "backup" -> "Backups";
            case "doctor" -> "Completeness of this check";
            // a plugin's backend, or an area a plugin's playbook declared
            default -> backendLabel(area, backend);
        };
    }

    private static String count(long n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    private String paint(String code, String s) {
        return color ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }

    private String red(String s) {
        return paint("31", s);
    }

    private String green(String s) {
        return paint("32", s);
    }

    private String yellow(String s) {
        return paint("33", s);
    }

    private String bold(String s) {
        return paint("1", s);
    }

    private String dim(String s) {
        return paint("2", s);
    }
}
