package dev.minsky.doctor.render;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.minsky.doctor.model.AppliedFix;
import dev.minsky.doctor.model.DoctorReport;
import dev.minsky.doctor.model.Evidence;
import dev.minsky.doctor.model.Fact;
import dev.minsky.doctor.model.Finding;
import dev.minsky.doctor.model.PlaybookError;
import dev.minsky.doctor.model.ProbeRun;
import dev.minsky.doctor.model.Remediation;
import dev.minsky.model.JsonTrees;
import dev.minsky.model.SessionJson;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The {@code doctor --json} document written with jackson-core's generator, byte for byte as
 * {@code SessionJson.mapper().writeValueAsString(report)} writes the records (issue 12: the
 * mapper's bean introspection of the report's eight record types was most of what the JSON cost a
 * cold JVM). The mapper's rules, spelled out: fields in the records' component order, the report's
 * null fields left out ({@code @JsonInclude(NON_NULL)}), a finding's empty {@code fixAfter} and
 * an evidence's null {@code note} left out, enums as their {@code json()}. A value this writer does
 * not know (a fact or evidence value that is not a Boolean, number or String) leaves the whole
 * document to the mapper. {@code ReportJsonTest} compares the two on varied reports.
 */
public final class ReportJson {
    private ReportJson() {}

    /** Signals a value only the mapper can write. */
    private static final class Unknown extends RuntimeException {
        Unknown() {
            super(null, null, false, false);
        }
    }

    /** The report as the mapper writes it, pretty-printed. */
    public static String write(DoctorReport report) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JsonTrees.FACTORY.createGenerator(w)) {
            g.setPrettyPrinter(new DefaultPrettyPrinter());
            report(g, report);
        } catch (Unknown e) {
            return byMapper(report);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report", e); // a StringWriter does not fail
        }
        return w.toString();
    }

    private static String byMapper(DoctorReport report) {
        try {
            return SessionJson.mapper().writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void report(JsonGenerator g, DoctorReport r) throws IOException {
        g.writeStartObject();
        g.writeNumberField("schemaVersion", r.schemaVersion());
        if (r.backend() != null) {
            g.writeStringField("backend", r.backend());
        }
        if (r.store() != null) {
            g.writeStringField("store", r.store());
        }
        g.writeBooleanField("healthy", r.healthy());
        array(g, "findings", r.findings(), IfNull.LEFT_OUT, ReportJson::finding);
        array(g, "probes", r.probes(), IfNull.LEFT_OUT, ReportJson::probe);
        array(g, "facts", r.facts(), IfNull.LEFT_OUT, ReportJson::fact);
        array(g, "applied", r.applied(), IfNull.LEFT_OUT, ReportJson::applied);
        if (r.after() != null) {
            g.writeFieldName("after");
            report(g, r.after());
        }
        array(g, "playbookErrors", r.playbookErrors(), IfNull.LEFT_OUT, ReportJson::playbookError);
        g.writeEndObject();
    }

    /** How {@link #array} writes a null list: the report's own fields are left out (NON_NULL), a finding's are null. */
    private enum IfNull { LEFT_OUT, AS_NULL }

    /** Writes one element of an array. */
    @FunctionalInterface
    private interface Element<T> {
        void write(JsonGenerator g, T value) throws IOException;
    }

    /** A list field: each element by {@code element}; a null list left out or written as null. */
    private static <T> void array(JsonGenerator g, String name, List<T> items, IfNull ifNull, Element<T> element) throws IOException {
        if (items == null) {
            if (ifNull == IfNull.AS_NULL) {
                g.writeNullField(name);
            }
            return;
        }
        g.writeArrayFieldStart(name);
        for (T item : items) {
            element.write(g, item);
        }
        g.writeEndArray();
    }

    private static void playbookError(JsonGenerator g, PlaybookError e) throws IOException {
        g.writeStartObject();
        string(g, "file", e.file());
        g.writeNumberField("line", e.line());
        string(g, "field", e.field());
        string(g, "message", e.message());
        g.writeEndObject();
    }

    private static void finding(JsonGenerator g, Finding f) throws IOException {
        g.writeStartObject();
        string(g, "cause", f.cause());
        string(g, "code", f.code());
        string(g, "severity", f.severity() == null ? null : f.severity().json());
        g.writeNumberField("confidence", f.confidence());
        string(g, "title", f.title());
        string(g, "area", f.area());
        array(g, "evidence", f.evidence(), IfNull.AS_NULL, ReportJson::evidence);
        array(g, "remediations", f.remediations(), IfNull.AS_NULL, ReportJson::remediation);
        if (!f.fixAfter().isEmpty()) {
            strings(g, "fixAfter", f.fixAfter());
        }
        g.writeEndObject();
    }

    private static void evidence(JsonGenerator g, Evidence e) throws IOException {
        g.writeStartObject();
        string(g, "fact", e.fact());
        g.writeFieldName("value");
        value(g, e.value());
        g.writeBooleanField("supports", e.supports());
        g.writeNumberField("weight", e.weight());
        if (e.note() != null) {
            g.writeStringField("note", e.note());
        }
        g.writeEndObject();
    }

    private static void remediation(JsonGenerator g, Remediation m) throws IOException {
        g.writeStartObject();
        string(g, "id", m.id());
        string(g, "safety", m.safety() == null ? null : m.safety().json());
        string(g, "summary", m.summary());
        string(g, "command", m.command());
        string(g, "warning", m.warning());
        g.writeEndObject();
    }

    private static void probe(JsonGenerator g, ProbeRun p) throws IOException {
        g.writeStartObject();
        string(g, "id", p.id());
        string(g, "status", p.status());
        g.writeNumberField("millis", p.millis());
        string(g, "detail", p.detail());
        g.writeEndObject();
    }

    private static void fact(JsonGenerator g, Fact f) throws IOException {
        g.writeStartObject();
        string(g, "id", f.id());
        g.writeFieldName("value");
        value(g, f.value());
        string(g, "probe", f.probe());
        g.writeEndObject();
    }

    private static void applied(JsonGenerator g, AppliedFix a) throws IOException {
        g.writeStartObject();
        string(g, "remediation", a.remediation());
        string(g, "cause", a.cause());
        string(g, "result", a.result());
        string(g, "backup", a.backup());
        string(g, "detail", a.detail());
        string(g, "journalId", a.journalId());
        g.writeEndObject();
    }

    private static void strings(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String s : values) {
            if (s == null) {
                g.writeNull();
            } else {
                g.writeString(s);
            }
        }
        g.writeEndArray();
    }

    /** A field whose null the mapper writes as {@code null}. */
    private static void string(JsonGenerator g, String name, String value) throws IOException {
        g.writeFieldName(name);
        if (value == null) {
            g.writeNull();
        } else {
            g.writeString(value);
        }
    }

    private static void value(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof Integer i) {
            g.writeNumber(i);
        } else if (v instanceof Double d) {
            g.writeNumber(d);
        } else {
            throw new Unknown();
        }
    }
}
