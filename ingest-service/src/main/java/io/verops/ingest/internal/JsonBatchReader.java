package io.verops.ingest.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.verops.core.Json;
import io.verops.ingest.BatchRefusedException;
import io.verops.ingest.RawRow;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A JSON array of objects, or JSON Lines (one object per line). Values must be scalars. */
public final class JsonBatchReader {
    private JsonBatchReader() {
    }

    public static List<RawRow> readArray(String name, String text) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new BatchRefusedException(name + ": invalid JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw new BatchRefusedException(name + ": empty file: a JSON batch is an array of objects");
        }
        if (!root.isArray()) {
            throw new BatchRefusedException(name + ": a JSON batch must be an array of objects, found "
                    + kind(root));
        }
        List<RawRow> rows = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            rows.add(row(name, i + 1, 0, root.get(i), problems));
        }
        if (!problems.isEmpty()) {
            throw new BatchRefusedException(problems);
        }
        return rows;
    }

    public static List<RawRow> readLines(String name, String text) {
        List<RawRow> rows = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int l = 0; l < lines.length; l++) {
            String line = lines[l];
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = Json.mapper().readTree(line);
            } catch (JsonProcessingException e) {
                problems.add(name + ": row " + (rows.size() + 1) + " (line " + (l + 1) + "): invalid JSON: "
                        + e.getOriginalMessage());
                continue;
            }
            rows.add(row(name, rows.size() + 1, l + 1, node, problems));
        }
        if (rows.isEmpty() && problems.isEmpty()) {
            throw new BatchRefusedException(name + ": empty file: a JSON Lines batch holds one object per line");
        }
        if (!problems.isEmpty()) {
            throw new BatchRefusedException(problems);
        }
        return rows;
    }

    private static RawRow row(String name, int rowNo, int line, JsonNode node, List<String> problems) {
        String where = name + ": row " + rowNo + (line > 0 ? " (line " + line + ")" : "");
        Map<String, String> values = new LinkedHashMap<>();
        if (node == null || !node.isObject()) {
            problems.add(where + ": must be a JSON object, found " + kind(node));
            return new RawRow(rowNo, line, values);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.isNull()) {
                continue;
            }
            if (v.isContainerNode()) {
                problems.add(where + ", field '" + e.getKey() + "': must be a string, number or boolean, found " + kind(v));
                continue;
            }
            values.put(e.getKey(), v.isTextual() ? v.textValue() : v.asText());
        }
        return new RawRow(rowNo, line, values);
    }

    private static String kind(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "nothing";
        }
        if (n.isArray()) {
            return "an array";
        }
        if (n.isObject()) {
            return "an object";
        }
        if (n.isTextual()) {
            return "a string";
        }
        if (n.isNumber()) {
            return "a number";
        }
        if (n.isBoolean()) {
            return "a boolean";
        }
        return "null";
    }
}
