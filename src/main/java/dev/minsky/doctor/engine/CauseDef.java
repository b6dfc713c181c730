package dev.minsky.doctor.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.minsky.doctor.model.Severity;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A cause as a playbook describes it.
 *
 * @param id the stable id from the catalogue, e.g. {@code sqlite.stale-wal}
 * @param code the guide's error code, or null
 * @param when conditions that must all hold for the cause to be considered at all
 * @param evidence weighted evidence for and against; the confidence comes from it
 * @param probes probes whose failure makes this cause less certain
 * @param threshold the confidence below which the cause is not reported
 * @param prior the confidence before any evidence
 * @param after causes that must be fixed before this one when both are found (its fixes cannot
 *     work, or would do harm, while they are there); the loader checks that each is a known cause
 *     and that they form no cycle
 * @param why optional: why the problem matters, for the human view's paragraph (null when not written)
 * @param fixDoes optional: what the offered fix does and whether it can be undone (null when not written)
 */
public record CauseDef(String id, String code, String title, Severity severity, String area, List<Condition> when,
                       List<EvidenceDef> evidence, List<String> probes, double threshold, double prior,
                       List<RemediationDef> remediations, List<String> after, String why, String fixDoes) {

    /** A cause without the human view's texts. */
    public CauseDef(String id, String code, String title, Severity severity, String area, List<Condition> when,
                    List<EvidenceDef> evidence, List<String> probes, double threshold, double prior,
                    List<RemediationDef> remediations, List<String> after) {
        this(id, code, title, severity, area, when, evidence, probes, threshold, prior, remediations, after, null, null);
    }

    static final Pattern CAUSE_ID = Pattern.compile("[a-z][a-z0-9]*(\\.[a-z0-9][a-z0-9-]*)+");
    /** The areas about every store; each backend adds its own ({@link dev.minsky.store.StoreProvider#area()}). */
    static final Set<String> CORE_AREAS = Set.of("config", "store", "sessions", "perf", "backup", "doctor");

    /**
     * The known areas: the core's and every loaded backend's; a playbook may also name a new one (a
     * plugin's), any {@link #AREA_ID}.
     */
    static Set<String> areas() {
        Set<String> all = new java.util.LinkedHashSet<>(CORE_AREAS);
        all.addAll(dev.minsky.store.Stores.areas());
        return all;
    }
    /** What an area id looks like: lower case, e.g. {@code acme} or {@code acme-cache}. */
    static final Pattern AREA_ID = Pattern.compile("[a-z][a-z0-9-]{0,39}");

    @JsonCreator
    static CauseDef fromYaml(@JsonProperty("id") String id, @JsonProperty("code") String code,
                             @JsonProperty("title") String title, @JsonProperty("severity") String severity,
                             @JsonProperty("area") String area, @JsonProperty("when") List<Condition> when,
                             @JsonProperty("evidence") List<EvidenceDef> evidence, @JsonProperty("probes") List<String> probes,
                             @JsonProperty("threshold") Double threshold, @JsonProperty("prior") Double prior,
                             @JsonProperty("remediations") List<RemediationDef> remediations,
                             @JsonProperty("after") List<String> after,
                             @JsonProperty("why") String why, @JsonProperty("fixDoes") String fixDoes) {
        if (id == null || !CAUSE_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("'id' must be a cause id like store.split-brain, was " + (id == null ? "missing" : "'" + id + "'"));
        }
        if (title == null || title.isBlank()) {
            throw new IllegalArgumentException("cause " + id + ": 'title' is required");
        }
        Severity sev;
        try {
            sev = Severity.of(severity == null ? "" : severity);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cause " + id + ": 'severity' must be error, warning or info, was "
                    + (severity == null ? "missing" : "'" + severity + "'"));
        }
        if (area != null && !AREA_ID.matcher(area).matches()) {
            throw new IllegalArgumentException("cause " + id + ": area '" + area + "' is not an area id: one of "
                    + String.join(", ", areas().stream().sorted().toList()) + ", or a new one in lower case letters, digits and '-'");
        }
        if (when == null || when.isEmpty()) {
            throw new IllegalArgumentException("cause " + id + ": 'when' needs at least one condition");
        }
        if (evidence == null || evidence.stream().noneMatch(EvidenceDef::supports)) {
            throw new IllegalArgumentException("cause " + id + ": 'evidence' needs at least one piece that supports it");
        }
        double t = threshold == null ? 0.5 : threshold;
        double p = prior == null ? 0.0 : prior;
        if (t < 0 || t > 1 || p < 0 || p >= 1) {
            throw new IllegalArgumentException("cause " + id + ": 'threshold' must be in [0, 1] and 'prior' in [0, 1)");
        }
        // A cause without remediations is diagnosis only: it is reported, and --fix has nothing to do for it.
        List<String> before = after == null ? List.of() : List.copyOf(new LinkedHashSet<>(after));
        for (String b : before) {
            if (b == null || !CAUSE_ID.matcher(b).matches()) {
                throw new IllegalArgumentException("cause " + id + ": 'after' must list cause ids, was '" + b + "'");
            }
            if (b.equals(id)) {
                throw new IllegalArgumentException("cause " + id + ": 'after' names the cause itself");
            }
        }
        return new CauseDef(id, code, title.strip(), sev, area, List.copyOf(when), List.copyOf(evidence),
                probes == null ? List.of() : List.copyOf(new LinkedHashSet<>(probes)), t, p,
                remediations == null ? List.of() : List.copyOf(remediations), before,
                blankToNull(why), blankToNull(fixDoes));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip().replaceAll("\\s+", " ");
    }

    /** The area shown in the one-line-per-area view: declared, else the id's first part. */
    public String areaOrDefault() {
        if (area != null) {
            return area;
        }
        String first = id.substring(0, id.indexOf('.'));
        return CORE_AREAS.contains(first) || dev.minsky.store.Stores.areas().contains(first) ? first : "store";
    }

    /** Every fact id the cause reads, for documentation and the bundle. */
    public Set<String> reads() {
        Set<String> r = new LinkedHashSet<>();
        when.forEach(c -> r.add(c.fact()));
        evidence.forEach(e -> r.add(e.condition().fact()));
        remediations.forEach(rd -> rd.when().forEach(c -> r.add(c.fact())));
        return r;
    }
}
