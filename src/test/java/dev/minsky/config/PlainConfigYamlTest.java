package dev.minsky.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plain config form read without YAML gives what the YAML parser gives, and anything else is left to it. */
class PlainConfigYamlTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static Map<String, String> viaYaml(String text) throws Exception {
        JsonNode root = YAML.readTree(text);
        Map<String, String> out = new LinkedHashMap<>();
        if (root != null && !root.isMissingNode() && !root.isNull()) {
            flatten("", root, out);
        }
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue().isObject()) {
                flatten(key, e.getValue(), out);
            } else if (!e.getValue().isNull()) {
                out.put(key, e.getValue().asText());
            }
        }
    }

    @Test
    void plain_files_read_as_yaml_reads_them() throws Exception {
        List<String> plain = List.of(
                "",
                "# only a comment\n",
                "sessiondb:\n  backend: sqlite\n",
                "sessiondb:\n  backend: postgres\n  postgres:\n    url: postgresql://minsky@db.example.com:5432/minsky\n    pool: 8\n"
                        + "  sqlite:\n    path: /var/lib/minsky/sessions.db\nlog:\n  level: debug\n",
                "a:\n  b:\n  c: x\nd: 0\n",
                "# head\nsessiondb:\n\n  # inner\n  backend: \"json\"\n  json:\n    baseDir: '~/state dir'\n",
                "  indented:\n    whole: doc\n",
                "sessiondb:\n  backend: sqlite\n  sqlite:\n    path: ~/x/sessions.db\nempty:\n");
        for (String text : plain) {
            Map<String, String> mine = PlainConfigYaml.flat(text);
            assertNotNull(mine, "plain: " + text);
            assertEquals(viaYaml(text), mine, text);
        }
    }

    @Test
    void anything_else_is_left_to_the_yaml_parser() {
        List<String> other = List.of(
                "a: yes\n", "a: on\n", "a: true\n", "a: null\n", "a: ~\n", "a: 1.50\n", "a: 0755\n", "a: 0x1F\n", "a: 1_000\n",
                "a: -3\n", "a: .inf\n", "a: x # comment\n", "a: [1, 2]\n", "a:\n  - x\n", "a: {b: c}\n", "a: &x y\n", "a: *x\n",
                "a: \"x\\ty\"\n", "a: 'it''s'\n", "a: x\n  b: y\n", "a:\n    b: x\n  c: y\n", "a: x\na: y\n", "a:\tx\n",
                "a: x\r\n", "---\na: x\n", "a: |\n  text\n", "a: foo:\n", "a.b: x\n", "on: x\n", "a: multi\n  line\n",
                "\uFEFFa: x\n", "a: !!str x\n", "just a string\n", "a: 12345678901\n", "? a\n: b\n");
        for (String text : other) {
            assertNull(PlainConfigYaml.flat(text), "not plain: " + text);
        }
    }
}
