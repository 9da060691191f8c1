package io.verops.core.operation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hides the values of an item's {@code secret} fields wherever they could appear in evidence: codex's events
 * (commands, outputs, messages), hook decisions, the agent's final message, field maps. Each occurrence of a
 * secret value inside a string becomes {@value #MASK}. Values shorter than {@value #MIN_LENGTH} characters are
 * not searched for inside other text (masking every "1" would destroy the evidence) but are still masked where
 * they are a whole value.
 */
public final class Redactor {
    public static final String MASK = "***";
    public static final int MIN_LENGTH = 4;
    private static final Redactor NONE = new Redactor(List.of(), List.of());

    private final List<String> values;
    private final List<String> secretFields;

    private Redactor(List<String> values, List<String> secretFields) {
        this.values = values;
        this.secretFields = secretFields;
    }

    /** The redactor of one item: its operation's secret fields and their values in {@code fields}. */
    public static Redactor of(Operation op, Map<String, String> fields) {
        if (op == null || fields == null) {
            return NONE;
        }
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (FieldSpec f : op.fields()) {
            if (f.secret()) {
                names.add(f.name());
                String v = fields.get(f.name());
                if (v != null && !v.isEmpty()) {
                    values.add(v);
                }
            }
        }
        if (names.isEmpty()) {
            return NONE;
        }
        values.sort(Comparator.comparingInt(String::length).reversed()); // a longer value first: no partial leftovers
        return new Redactor(List.copyOf(values), List.copyOf(names));
    }

    public boolean active() {
        return !secretFields.isEmpty();
    }

    /** The text with every secret value masked. */
    public String text(String s) {
        if (s == null || values.isEmpty()) {
            return s;
        }
        String out = s;
        for (String v : values) {
            if (out.equals(v)) {
                return MASK;
            }
            if (v.length() >= MIN_LENGTH) {
                out = out.replace(v, MASK);
            }
        }
        return out;
    }

    /** A copy of the JSON with every string (and every object key) masked; the input is not changed. */
    public JsonNode json(JsonNode node) {
        if (node == null || values.isEmpty()) {
            return node;
        }
        if (node.isTextual()) {
            String t = text(node.asText());
            return t.equals(node.asText()) ? node : TextNode.valueOf(t);
        }
        if (node.isArray()) {
            ArrayNode a = ((ArrayNode) node).arrayNode();
            node.forEach(e -> a.add(json(e)));
            return a;
        }
        if (node.isObject()) {
            ObjectNode o = ((ObjectNode) node).objectNode();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                o.set(text(e.getKey()), json(e.getValue()));
            }
            return o;
        }
        return node;
    }

    /** A copy of a field map with the secret fields' values masked (and secrets masked inside the others). */
    public Map<String, String> fields(Map<String, String> fields) {
        if (fields == null || !active()) {
            return fields;
        }
        Map<String, String> out = new LinkedHashMap<>();
        fields.forEach((k, v) -> out.put(k, secretFields.contains(k) && v != null && !v.isEmpty() ? MASK : text(v)));
        return out;
    }
}
