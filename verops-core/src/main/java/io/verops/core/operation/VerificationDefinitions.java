package io.verops.core.operation;

import com.fasterxml.jackson.databind.JsonNode;
import io.verops.core.Phase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads an operation's {@code post_conditions} and {@code gates} (see docs/verification.md), adding every problem,
 * each with the file and the JSON pointer of the bad value.
 */
final class VerificationDefinitions {
    private static final Set<String> POST_CONDITION_KEYS = Set.of("name", "description", "phase", "query", "expect");
    private static final Set<String> GATE_KEYS = Set.of("failure_ratio", "destructive_output");
    private static final Set<String> FAILURE_RATIO_KEYS = Set.of("min_sample");
    private static final Set<String> DESTRUCTIVE_KEYS = Set.of("allowed");

    private VerificationDefinitions() {
    }

    static List<Operation.PostCondition> postConditions(Path file, JsonNode node, List<FieldSpec> fields,
                                                        boolean hasTarget, List<String> problems) {
        List<Operation.PostCondition> result = new ArrayList<>();
        if (node == null || node.isNull()) {
            return result;
        }
        if (!node.isArray()) {
            problems.add(file + " at /post_conditions: must be an array of checks {name, phase, query, expect}");
            return result;
        }
        if (!node.isEmpty() && !hasTarget) {
            problems.add(file + " at /post_conditions: post-conditions query the operation's target, so 'target' "
                    + "(its database) is required");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String at = file + " at /post_conditions/" + i;
            JsonNode pc = node.get(i);
            if (!pc.isObject()) {
                problems.add(at + ": must be an object {name, phase, query, expect} (found " + pc + ")");
                continue;
            }
            unknownKeys(at, pc, POST_CONDITION_KEYS, problems);
            int before = problems.size();
            String name = pc.path("name").isTextual() ? pc.get("name").asText() : null;
            if (name == null || name.isBlank() || name.chars().anyMatch(ch -> ch < 0x20)) {
                problems.add(at + "/name: must be printable text (found " + pc.get("name") + ")");
            } else if (!names.add(name)) {
                problems.add(at + "/name: '" + name + "' is used by another post-condition");
            }
            Phase phase = null;
            String phaseText = pc.path("phase").asText(null);
            if ("apply".equals(phaseText)) {
                phase = Phase.APPLY;
            } else if ("dry_run".equals(phaseText)) {
                phase = Phase.DRY_RUN;
            } else {
                problems.add(at + "/phase: must be \"apply\" (the change is there) or \"dry_run\" (nothing changed) "
                        + "(found " + pc.get("phase") + ")");
            }
            SqlTemplate query = null;
            JsonNode q = pc.get("query");
            if (q == null || !q.isTextual()) {
                problems.add(at + "/query: a read-only SQL query (SELECT ...) with :field parameters is required");
            } else {
                List<String> found = SqlTemplate.problems(q.asText());
                for (String p : found) {
                    problems.add(at + "/query: " + p);
                }
                if (found.isEmpty()) {
                    query = SqlTemplate.of(q.asText());
                    for (String param : query.parameters()) {
                        if (fields.stream().noneMatch(f -> f.name().equals(param))) {
                            problems.add(at + "/query: parameter ':" + param + "' is not a declared field (fields: "
                                    + String.join(", ", fields.stream().map(FieldSpec::name).toList()) + ")");
                        }
                    }
                }
            }
            List<Map<String, JsonNode>> expect = expect(at + "/expect", pc.get("expect"), fields, problems);
            if (problems.size() == before) {
                result.add(new Operation.PostCondition(name, pc.path("description").asText(null), phase, query,
                        expect));
            }
        }
        return result;
    }

    private static List<Map<String, JsonNode>> expect(String at, JsonNode node, List<FieldSpec> fields,
                                                      List<String> problems) {
        List<Map<String, JsonNode>> rows = new ArrayList<>();
        if (node == null || !node.isArray()) {
            problems.add(at + ": the rows the query must return are required, as an array of objects (column: value); "
                    + "[] expects no row");
            return rows;
        }
        for (int r = 0; r < node.size(); r++) {
            JsonNode row = node.get(r);
            if (!row.isObject() || row.isEmpty()) {
                problems.add(at + "/" + r + ": a row must be an object of column: value (found " + row + ")");
                continue;
            }
            Map<String, JsonNode> values = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = row.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode v = e.getValue();
                String where = at + "/" + r + "/" + e.getKey().replace("~", "~0").replace("/", "~1");
                if (!v.isValueNode()) {
                    problems.add(where + ": a value must be a string, number, boolean or null (found " + v + ")");
                    continue;
                }
                String field = Operation.PostCondition.fieldReference(v);
                if (field != null && fields.stream().noneMatch(f -> f.name().equals(field))) {
                    problems.add(where + ": '" + v.asText() + "' refers to no declared field (fields: "
                            + String.join(", ", fields.stream().map(FieldSpec::name).toList()) + ")");
                }
                values.put(e.getKey(), v);
            }
            rows.add(values);
        }
        return rows;
    }

    static Operation.Gates gates(Path file, JsonNode node, List<String> problems) {
        if (node == null || node.isNull()) {
            return Operation.Gates.DEFAULT;
        }
        String at = file + " at /gates";
        if (!node.isObject()) {
            problems.add(at + ": must be an object {failure_ratio: {min_sample}, destructive_output: {allowed}}");
            return Operation.Gates.DEFAULT;
        }
        unknownKeys(at, node, GATE_KEYS, problems);
        int minSample = Operation.Gates.DEFAULT_MIN_SAMPLE;
        JsonNode fr = node.get("failure_ratio");
        if (fr != null) {
            if (!fr.isObject()) {
                problems.add(at + "/failure_ratio: must be an object {min_sample} (the threshold is limits.failure_threshold)");
            } else {
                unknownKeys(at + "/failure_ratio", fr, FAILURE_RATIO_KEYS, problems);
                JsonNode ms = fr.get("min_sample");
                if (ms != null) {
                    if (!ms.isIntegralNumber() || !ms.canConvertToInt() || ms.asInt() < 1) {
                        problems.add(at + "/failure_ratio/min_sample: must be a whole number of at least 1 (found "
                                + ms + ")");
                    } else {
                        minSample = ms.asInt();
                    }
                }
            }
        }
        boolean allowed = false;
        JsonNode d = node.get("destructive_output");
        if (d != null) {
            if (!d.isObject()) {
                problems.add(at + "/destructive_output: must be an object {allowed}");
            } else {
                unknownKeys(at + "/destructive_output", d, DESTRUCTIVE_KEYS, problems);
                JsonNode a = d.get("allowed");
                if (a != null && !a.isBoolean()) {
                    problems.add(at + "/destructive_output/allowed: must be true or false (found " + a + ")");
                } else if (a != null) {
                    allowed = a.asBoolean();
                }
            }
        }
        return new Operation.Gates(minSample, allowed);
    }

    private static void unknownKeys(String at, JsonNode node, Set<String> known, List<String> problems) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                problems.add(at + ": unknown key '" + key + "' (known: " + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
    }
}
