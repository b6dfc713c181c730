package dev.minsky.doctor.engine;

import dev.minsky.doctor.model.Fact;
import dev.minsky.doctor.model.PlaybookError;
import dev.minsky.doctor.model.Safety;
import dev.minsky.doctor.model.Severity;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The built-in knowledge base, parsed and checked when minsky is built (issue 12): the build runs
 * {@link #main} on {@code knowledge-base/}, which loads the playbooks with {@link PlaybookLoader}
 * (the same parser and checks as a user's playbook), fails the build with the loader's message when
 * one does not validate, and writes the loaded playbooks as {@link #RESOURCE}, a compact binary form
 * that a run reads back without Jackson or YAML. The form records the CRC of each playbook's YAML
 * text: a run whose jar holds other texts (a stale build) parses the YAML as before.
 */
public final class BuiltInKb {
    /** Where the pre-checked form is, on the class path. */
    public static final String RESOURCE = "knowledge-base/builtin.kb";
    private static final int MAGIC = 0x4d4b4231; // "MKB1"
    private static final int VERSION = 1;

    private BuiltInKb() {}

    /**
     * The build step: {@code BuiltInKb <knowledge-base dir> <output file>}. Throws (so that Maven's
     * exec plugin fails the build) with every error of every playbook that does not validate.
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: BuiltInKb <knowledge-base dir> <output file>");
        }
        Path dir = Path.of(args[0]);
        Path out = Path.of(args[1]);
        byte[] bytes = compile(dir);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Thrown when a built-in playbook does not validate: the build fails with this message. */
    public static final class InvalidKnowledgeBase extends RuntimeException {
        private final List<PlaybookError> errors;

        InvalidKnowledgeBase(List<PlaybookError> errors) {
            super("the built-in knowledge base does not validate (" + errors.size() + " error" + (errors.size() == 1 ? "" : "s")
                    + "):\n  " + String.join("\n  ", errors.stream().map(PlaybookError::toString).toList()));
            this.errors = List.copyOf(errors);
        }

        public List<PlaybookError> errors() {
            return errors;
        }
    }

    /** Loads and checks the playbooks {@code dir/index.list} names, and returns their pre-checked form. */
    public static byte[] compile(Path dir) throws IOException {
        Path index = dir.resolve("index.list");
        if (!Files.isRegularFile(index)) {
            throw new InvalidKnowledgeBase(List.of(new PlaybookError(index.toString(), 0, "", "missing: it lists the built-in playbooks")));
        }
        List<String> names = PlaybookLoader.indexNames(Files.readString(index, StandardCharsets.UTF_8));
        List<PlaybookError> errors = new ArrayList<>();
        List<PlaybookLoader.Text> texts = new ArrayList<>();
        List<byte[]> raw = new ArrayList<>();
        try (var files = Files.newDirectoryStream(dir, "*.{yaml,yml}")) {
            for (Path f : files) {
                if (!names.contains(f.getFileName().toString())) {
                    errors.add(new PlaybookError(f.toString(), 0, "", "not listed in " + index + " (a playbook the jar would never load)"));
                }
            }
        }
        for (String name : names) {
            Path f = dir.resolve(name);
            if (!Files.isRegularFile(f)) {
                errors.add(new PlaybookError(index.toString(), 0, "", name + " is listed but missing"));
                continue;
            }
            byte[] b = Files.readAllBytes(f);
            raw.add(b);
            texts.add(new PlaybookLoader.Text("jar:knowledge-base/" + name, new String(b, StandardCharsets.UTF_8)));
        }
        PlaybookLoader.Loaded loaded = PlaybookLoader.load(false, texts, List.of());
        for (PlaybookError e : loaded.errors()) {
            // name the file in the checkout, and the line the run-time error could not give for a jar entry
            String file = e.file().startsWith("jar:knowledge-base/") ? dir.resolve(e.file().substring("jar:knowledge-base/".length())).toString() : e.file();
            String text = texts.stream().filter(t -> t.source().equals(e.file())).map(PlaybookLoader.Text::text).findFirst().orElse(null);
            PlaybookError named = new PlaybookError(file, e.line(), e.field(), e.message());
            errors.add(text == null || e.field() == null || e.field().isEmpty() ? named : PlaybookPositions.of(text).refine(named));
        }
        if (!errors.isEmpty()) {
            throw new InvalidKnowledgeBase(errors);
        }
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bos)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(names.size());
            for (int i = 0; i < names.size(); i++) {
                str(out, "knowledge-base/" + names.get(i));
                out.writeLong(crc(raw.get(i)));
            }
            out.writeInt(loaded.playbooks().size());
            for (Playbook p : loaded.playbooks()) {
                playbook(out, p);
            }
        }
        return bos.toByteArray();
    }

    /**
     * The built-in playbooks from {@link #RESOURCE}, in load order; null when the resource is
     * missing, unreadable, or made from other YAML texts than the jar's (the caller then parses them).
     */
    public static List<Playbook> load(ClassLoader cl, List<String> builtInNames) {
        try (InputStream in = cl.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return null;
            }
            DataInputStream d = new DataInputStream(new java.io.BufferedInputStream(in, 1 << 16));
            if (d.readInt() != MAGIC || d.readInt() != VERSION) {
                return null;
            }
            int n = d.readInt();
            if (n != builtInNames.size()) {
                return null;
            }
            for (int i = 0; i < n; i++) {
                String name = d.readUTF();
                long crc = d.readLong();
                if (!name.equals(builtInNames.get(i)) || crc != crcOf(cl, name)) {
                    return null;
                }
            }
            int books = d.readInt();
            List<Playbook> out = new ArrayList<>(books);
            for (int i = 0; i < books; i++) {
                out.add(playbook(d));
            }
            return List.copyOf(out);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The CRC-32 of the YAML text {@code name}: in a jar, the one its directory holds (the same
     * CRC-32 of the same bytes, with nothing inflated: reading the eleven texts cost a doctor run
     * about a third of loading this form); elsewhere (a classes directory) computed from the text.
     */
    private static long crcOf(ClassLoader cl, String name) throws IOException {
        java.net.URL url = cl.getResource(name);
        if (url == null) {
            return -1;
        }
        java.net.URLConnection conn = url.openConnection();
        if (conn instanceof java.net.JarURLConnection jar) {
            java.util.jar.JarEntry entry = jar.getJarEntry();
            if (entry != null && entry.getCrc() != -1) {
                return entry.getCrc();
            }
        }
        try (InputStream in = conn.getInputStream()) {
            return crc(in.readAllBytes());
        }
    }

    private static long crc(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return c.getValue();
    }

    // ---- writing

    private static void str(DataOutputStream o, String s) throws IOException {
        o.writeUTF(s);
    }

    private static void nstr(DataOutputStream o, String s) throws IOException {
        o.writeBoolean(s != null);
        if (s != null) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            o.writeInt(b.length);
            o.write(b);
        }
    }

    private static void strs(DataOutputStream o, List<String> l) throws IOException {
        o.writeInt(l.size());
        for (String s : l) {
            nstr(o, s);
        }
    }

    private static void value(DataOutputStream o, Object v) throws IOException {
        if (v == null) {
            o.writeByte(0);
        } else if (v instanceof String s) {
            o.writeByte(1);
            nstr(o, s);
        } else if (v instanceof Boolean b) {
            o.writeByte(2);
            o.writeBoolean(b);
        } else if (v instanceof Integer i) {
            o.writeByte(3);
            o.writeInt(i);
        } else if (v instanceof Long l) {
            o.writeByte(4);
            o.writeLong(l);
        } else if (v instanceof Double x) {
            o.writeByte(5);
            o.writeDouble(x);
        } else if (v instanceof BigInteger bi) {
            o.writeByte(6);
            nstr(o, bi.toString());
        } else if (v instanceof List<?> list) {
            o.writeByte(7);
            o.writeInt(list.size());
            for (Object e : list) {
                value(o, e);
            }
        } else {
            throw new IllegalArgumentException("a playbook value of type " + v.getClass().getName() + " cannot be stored: " + v);
        }
    }

    private static void condition(DataOutputStream o, Condition c) throws IOException {
        str(o, c.fact());
        o.writeByte(c.op().ordinal());
        value(o, c.operand());
    }

    private static void conditions(DataOutputStream o, List<Condition> l) throws IOException {
        o.writeInt(l.size());
        for (Condition c : l) {
            condition(o, c);
        }
    }

    private static void playbook(DataOutputStream o, Playbook p) throws IOException {
        nstr(o, p.source());
        nstr(o, p.area());
        nstr(o, p.description());
        o.writeInt(p.causes().size());
        for (CauseDef c : p.causes()) {
            str(o, c.id());
            nstr(o, c.code());
            nstr(o, c.title());
            o.writeByte(c.severity().ordinal());
            nstr(o, c.area());
            conditions(o, c.when());
            o.writeInt(c.evidence().size());
            for (EvidenceDef e : c.evidence()) {
                condition(o, e.condition());
                o.writeBoolean(e.supports());
                o.writeDouble(e.weight());
                nstr(o, e.note());
            }
            strs(o, c.probes());
            o.writeDouble(c.threshold());
            o.writeDouble(c.prior());
            o.writeInt(c.remediations().size());
            for (RemediationDef r : c.remediations()) {
                nstr(o, r.action());
                o.writeByte(r.safety().ordinal());
                nstr(o, r.summary());
                nstr(o, r.command());
                nstr(o, r.warning());
                conditions(o, r.when());
            }
            strs(o, c.after());
            nstr(o, c.why());
            nstr(o, c.fixDoes());
        }
        o.writeInt(p.fixtures().size());
        for (FixtureDef f : p.fixtures()) {
            nstr(o, f.name());
            o.writeInt(f.facts().size());
            for (Fact fact : f.facts()) {
                str(o, fact.id());
                value(o, fact.value());
                nstr(o, fact.probe());
            }
            strs(o, f.expect());
            strs(o, f.absent());
            nstr(o, f.extendsName());
        }
    }

    // ---- reading

    private static String nstr(DataInputStream d) throws IOException {
        if (!d.readBoolean()) {
            return null;
        }
        byte[] b = new byte[d.readInt()];
        d.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static List<String> strs(DataInputStream d) throws IOException {
        int n = d.readInt();
        List<String> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            l.add(nstr(d));
        }
        return List.copyOf(l);
    }

    private static Object value(DataInputStream d) throws IOException {
        int tag = d.readByte();
        return switch (tag) {
            case 0 -> null;
            case 1 -> nstr(d);
            case 2 -> d.readBoolean();
            case 3 -> d.readInt();
            case 4 -> d.readLong();
            case 5 -> d.readDouble();
            case 6 -> new BigInteger(nstr(d));
            case 7 -> {
                int n = d.readInt();
                List<Object> l = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    l.add(value(d));
                }
                yield List.copyOf(l);
            }
            default -> throw new IOException("bad value tag " + tag);
        };
    }

    private static Condition condition(DataInputStream d) throws IOException {
        String fact = d.readUTF();
        Condition.Op op = Condition.Op.values()[d.readByte()];
        return new Condition(fact, op, value(d));
    }

    private static List<Condition> conditions(DataInputStream d) throws IOException {
        int n = d.readInt();
        List<Condition> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            l.add(condition(d));
        }
        return List.copyOf(l);
    }

    private static Playbook playbook(DataInputStream d) throws IOException {
        String source = nstr(d);
        String area = nstr(d);
        String description = nstr(d);
        int nc = d.readInt();
        List<CauseDef> causes = new ArrayList<>(nc);
        for (int i = 0; i < nc; i++) {
            String id = d.readUTF();
            String code = nstr(d);
            String title = nstr(d);
            Severity sev = Severity.values()[d.readByte()];
            String carea = nstr(d);
            List<Condition> when = conditions(d);
            int ne = d.readInt();
            List<EvidenceDef> evidence = new ArrayList<>(ne);
            for (int k = 0; k < ne; k++) {
                Condition c = condition(d);
                boolean supports = d.readBoolean();
                double weight = d.readDouble();
                evidence.add(new EvidenceDef(c, supports, weight, nstr(d)));
            }
            List<String> probes = strs(d);
            double threshold = d.readDouble();
            double prior = d.readDouble();
            int nr = d.readInt();
            List<RemediationDef> rems = new ArrayList<>(nr);
            for (int k = 0; k < nr; k++) {
                String action = nstr(d);
                Safety safety = Safety.values()[d.readByte()];
                String summary = nstr(d);
                String command = nstr(d);
                String warning = nstr(d);
                rems.add(new RemediationDef(action, safety, summary, command, warning, conditions(d)));
            }
            List<String> after = strs(d);
            String why = nstr(d);
            String fixDoes = nstr(d);
            causes.add(new CauseDef(id, code, title, sev, carea, when, List.copyOf(evidence), probes, threshold, prior,
                    List.copyOf(rems), after, why, fixDoes));
        }
        int nf = d.readInt();
        List<FixtureDef> fixtures = new ArrayList<>(nf);
        for (int i = 0; i < nf; i++) {
            String name = nstr(d);
            int nfacts = d.readInt();
            List<Fact> facts = new ArrayList<>(nfacts);
            for (int k = 0; k < nfacts; k++) {
                String id = d.readUTF();
                Object v = value(d);
                facts.add(new Fact(id, v, nstr(d)));
            }
            fixtures.add(new FixtureDef(name, List.copyOf(facts), strs(d), strs(d), nstr(d)));
        }
        return new Playbook(source, area, description, List.copyOf(causes), List.copyOf(fixtures));
    }
}
