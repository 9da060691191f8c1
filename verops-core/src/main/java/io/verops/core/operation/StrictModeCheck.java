package io.verops.core.operation;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks an output schema against OpenAI's strict structured-output rules, which codex sends it under: every
 * object has {@code additionalProperties: false} and lists every property in {@code required}, and only
 * supported keywords appear. The API refuses such a schema at run time with HTTP 400; verops refuses it at
 * load, naming the file and the JSON pointer.
 */
final class StrictModeCheck {
    private static final Set<String> UNSUPPORTED = Set.of("patternProperties", "unevaluatedProperties",
            "propertyNames", "minProperties", "maxProperties", "unevaluatedItems", "contains", "minContains",
            "maxContains", "uniqueItems", "if", "then", "else", "dependentRequired", "dependentSchemas", "not",
            "allOf", "oneOf");

    private StrictModeCheck() {
    }

    static List<String> problems(Path file, JsonNode schema) {
        List<String> problems = new ArrayList<>();
        if (!schema.isObject()) {
            problems.add(file + ": the output schema must be a JSON object");
            return problems;
        }
        if (!"object".equals(schema.path("type").asText())) {
            problems.add(file + " at /: strict mode needs the root to be of type \"object\"");
        }
        walk(file, schema, "", problems);
        return problems;
    }

    private static void walk(Path file, JsonNode node, String pointer, List<String> problems) {
        if (!node.isObject()) {
            return;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (UNSUPPORTED.contains(key)) {
                problems.add(file + " at " + at(pointer) + ": keyword '" + key + "' is not supported by OpenAI strict mode");
            }
        }
        boolean isObject = "object".equals(node.path("type").asText()) || node.has("properties");
        if (isObject) {
            JsonNode ap = node.get("additionalProperties");
            if (ap == null || !ap.isBoolean() || ap.asBoolean()) {
                problems.add(file + " at " + at(pointer) + ": an object must declare \"additionalProperties\": false");
            }
            Set<String> required = new HashSet<>();
            node.path("required").forEach(r -> required.add(r.asText()));
            JsonNode props = node.path("properties");
            for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!required.contains(e.getKey())) {
                    problems.add(file + " at " + at(pointer + "/properties/" + escape(e.getKey()))
                            + ": property '" + e.getKey() + "' must be listed in \"required\" (strict mode; make it nullable instead of optional)");
                }
                walk(file, e.getValue(), pointer + "/properties/" + escape(e.getKey()), problems);
            }
        }
        JsonNode items = node.get("items");
        if (items != null) {
            walk(file, items, pointer + "/items", problems);
        }
        for (String k : List.of("anyOf", "prefixItems")) {
            JsonNode arr = node.get(k);
            if (arr != null && arr.isArray()) {
                for (int i = 0; i < arr.size(); i++) {
                    walk(file, arr.get(i), pointer + "/" + k + "/" + i, problems);
                }
            }
        }
        for (String k : List.of("$defs", "definitions")) {
            JsonNode defs = node.get(k);
            if (defs != null) {
                for (Iterator<Map.Entry<String, JsonNode>> it = defs.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    walk(file, e.getValue(), pointer + "/" + k + "/" + escape(e.getKey()), problems);
                }
            }
        }
    }

    private static String at(String pointer) {
        return pointer.isEmpty() ? "/" : pointer;
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
