package dev.minsky.doctor.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minsky.config.Settings;
import dev.minsky.doctor.DoctorEnv;
import dev.minsky.doctor.model.DoctorReport;
import dev.minsky.log.MinskyLog;
import java.time.Instant;
import java.util.Map;

/**
 * The bundle's model: the sanitized trees the reports are rendered from and the JSON entries are
 * written from, with how many values each had redacted or replaced by pseudonyms. Built from what
 * {@link BundleCollector} gathered and the {@link StoreLook}; every value has passed the
 * {@link Sanitizer} once.
 */
final class BundleModel {
    final ObjectNode tree;
    final JsonNode findings;
    final JsonNode facts;
    /** The session records, only when asked for ({@code --include-data}); else null. */
    final JsonNode sessions;
    final Sanitizer.Counter reportCount = new Sanitizer.Counter();
    final Sanitizer.Counter findingsCount = new Sanitizer.Counter();
    final Sanitizer.Counter factsCount = new Sanitizer.Counter();
    final Sanitizer.Counter sessionsCount = new Sanitizer.Counter();

    private BundleModel(DoctorEnv env, DoctorReport report, Settings settings, Bundler.Options options, Instant now, StoreLook look,
                        MinskyLog log, Sanitizer san) {
        ObjectNode reportTree = Bundler.JSON.valueToTree(report);
        JsonNode rawFacts = reportTree.remove("facts");
        findings = san.tree(reportTree, findingsCount);
        facts = san.tree(rawFacts == null ? JsonNodeFactory.instance.arrayNode() : rawFacts, factsCount);
        reportCount.add(findingsCount);
        reportCount.add(factsCount);

        tree = JsonNodeFactory.instance.objectNode();
        tree.set("meta", san.tree(BundleCollector.meta(env, report, settings, options, now), reportCount));
        tree.set("report", findings);
        tree.set("facts", facts);
        tree.set("config", san.tree(BundleCollector.config(env.config()), reportCount));
        tree.set("environment", san.tree(BundleCollector.environment(env.ctx()), reportCount));
        tree.set("store", san.tree(Bundler.JSON.valueToTree(look.stats()), reportCount));
        tree.set("disk", san.tree(Bundler.JSON.valueToTree(look.disk()), reportCount));
        tree.set("logs", san.tree(BundleCollector.logs(log, san, reportCount), reportCount));
        tree.set("contents", contents(options.includeData()));

        if (options.includeData()) {
            ArrayNode raw = JsonNodeFactory.instance.arrayNode();
            look.sessions().forEach(r -> raw.add(r.toJson()));
            sessions = san.tree(raw, sessionsCount);
        } else {
            sessions = null;
        }
    }

    /** Sanitizes everything collected for this bundle into its model. */
    static BundleModel build(DoctorEnv env, DoctorReport report, Settings settings, Bundler.Options options, Instant now, StoreLook look,
                             MinskyLog log, Sanitizer san) {
        return new BundleModel(env, report, settings, options, now, look, log, san);
    }

    /** The model as the templates see it: maps, lists, strings, numbers. */
    @SuppressWarnings("unchecked")
    Map<String, Object> templateData() {
        return Bundler.JSON.convertValue(tree, Map.class);
    }

    private static ArrayNode contents(boolean includeData) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (String[] e : new String[][] {{"report.md", "this report in Markdown"}, {"report.html", "this report as a web page"},
                {"findings.json", "the doctor's findings and probe runs"}, {"facts.json", "the observed facts"},
                {"manifest.json", "every file, why it is here, how many values were redacted"}}) {
            a.addObject().put("name", e[0]).put("why", e[1]);
        }
        if (includeData) {
            a.addObject().put("name", "sessions.json").put("why", "the session records, sanitized");
        }
        return a;
    }

}
