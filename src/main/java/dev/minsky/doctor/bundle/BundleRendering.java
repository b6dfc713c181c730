package dev.minsky.doctor.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minsky.AppContext;
import dev.minsky.util.BuildVersion;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rendering, for {@code doctor --bundle}: the entries of the archive from the {@link BundleModel}
 * (the Markdown and HTML reports from FreeMarker templates, the JSON files) and the manifest that
 * lists them. Every rendered text gets one more sanitizer pass: a user template may print anything.
 */
final class BundleRendering {
    private BundleRendering() {}

    record Item(String name, byte[] data, String why, int redacted, int pseudonymized) {}

    /** The rendered or serialized text gets one more sanitizer pass (a user template may print anything). */
    static Item item(Sanitizer san, String name, String text, Sanitizer.Counter base, String why) {
        Sanitizer.Counter c = new Sanitizer.Counter();
        c.add(base);
        String clean = san.text(text, c);
        return new Item(name, clean.getBytes(StandardCharsets.UTF_8), why, c.redacted(), c.pseudonymized());
    }

    static String json(JsonNode node) {
        try {
            return Bundler.JSON.writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The entries for this model, report.md first. */
    static List<Item> items(AppContext ctx, Sanitizer san, BundleModel model) {
        Reports reports = new Reports(ctx.paths().userTemplates());
        Map<String, Object> data = model.templateData();
        List<Item> items = new ArrayList<>();
        items.add(item(san, "report.md", reports.render("bundle/report.md.ftl", data), model.reportCount,
                "the report in Markdown: paste it into an issue"));
        items.add(item(san, "report.html", reports.render("bundle/report.html.ftl", data), model.reportCount,
                "the same report as a page to open in a browser (no external resources)"));
        items.add(item(san, "findings.json", json(model.findings), model.findingsCount,
                "the doctor's result as 'doctor --json' prints it, without the facts"));
        items.add(item(san, "facts.json", json(model.facts), model.factsCount,
                "every fact the probes observed, which the findings were reasoned from"));
        if (model.sessions != null) {
            items.add(item(san, "sessions.json", json(model.sessions), model.sessionsCount,
                    "the session records, sanitized (asked for with --include-data)"));
        }
        return items;
    }

    static byte[] manifest(Sanitizer san, List<Item> items, KnownSecrets known, Instant now, String format,
                                   boolean includeData) {
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("bundleFormat", 1);
        m.put("minskyVersion", BuildVersion.version());
        m.put("createdAt", now.toString());
        m.put("archive", format);
        ArrayNode files = m.putArray("files");
        for (Item it : items) {
            ObjectNode f = files.addObject();
            f.put("name", it.name);
            f.put("bytes", it.data.length);
            f.put("sha256", Bundler.sha256(it.data));
            f.put("why", it.why);
            f.put("redacted", it.redacted);
            f.put("pseudonymized", it.pseudonymized);
        }
        files.addObject().put("name", "manifest.json").put("why", "this list");
        ObjectNode s = m.putObject("sanitizer");
        ArrayNode layers = s.putArray("layers");
        layers.add("by key name: values of anything named like a password, secret, token, key, credential or auth");
        layers.add("by exact value: every secret known at run time, plain, URL-encoded, JSON-escaped, HTML-escaped and base64");
        layers.add("by pattern: URL user-info, password pairs, Authorization and bearer headers, GitHub, AWS, Slack and JWT tokens, PEM blocks");
        layers.add("pseudonyms: user, home directory and host names replaced by keyed pseudonyms; the key and the mapping stay on the reporter's machine");
        layers.add("final scan: every entry and entry name checked again for every known secret and pattern before anything was written");
        ArrayNode sources = s.putArray("knownSecretSources");
        known.secrets().stream().map(KnownSecrets.Secret::label).distinct().forEach(sources::add);
        s.put("knownSecrets", known.secrets().size());
        s.put("pseudonymKeyStable", san.pseudonyms().keyStable());
        m.put("includesSessionRecords", includeData);
        Sanitizer.Counter c = new Sanitizer.Counter();
        return (san.text(json(m), c)).getBytes(StandardCharsets.UTF_8);
    }

}
