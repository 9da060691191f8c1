package io.verops.core.operation;

import com.fasterxml.jackson.databind.JsonNode;
import io.verops.core.Json;
import io.verops.core.internal.Digests;
import io.verops.core.schema.JsonSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/**
 * The operations under one folder: each sub-folder holding an {@code operation.json} is an operation.
 * Every definition is checked at load, and all of its problems are reported at once, each naming the file.
 */
public final class OperationCatalog {
    public static final String DEFINITION_FILE = "operation.json";
    private static final Set<String> CASE_RULES = Set.of("lower", "upper", "preserve");
    private static final Set<String> EFFORTS = Set.of("minimal", "low", "medium", "high", "xhigh");
    /** The keys of a field declaration, each with the types it applies to (empty: every type). */
    private static final Map<String, Set<FieldType>> FIELD_KEYS = Map.ofEntries(
            Map.entry("name", Set.of()), Map.entry("type", Set.of()), Map.entry("required", Set.of()),
            Map.entry("description", Set.of()), Map.entry("secret", Set.of()), Map.entry("pattern", Set.of()),
            Map.entry("max_length", Set.of()),
            Map.entry("values", Set.of(FieldType.ENUM)),
            Map.entry("case", Set.of(FieldType.IDENTIFIER)),
            Map.entry("date_order", Set.of(FieldType.DATE)),
            Map.entry("decimal_comma", Set.of(FieldType.AMOUNT, FieldType.INTEGER)),
            Map.entry("currency", Set.of(FieldType.AMOUNT)),
            Map.entry("minimum", Set.of(FieldType.AMOUNT, FieldType.INTEGER)),
            Map.entry("maximum", Set.of(FieldType.AMOUNT, FieldType.INTEGER)));
    private static final Set<String> KNOWN_KEYS = Set.of("name", "description", "instructions", "output_schema",
            "identity", "fields", "apply", "sandbox", "model", "limits", "target", "policy", "post_conditions",
            "gates", "retry");
    private static final Set<String> POLICY_KEYS = Set.of("allowed_commands", "forbidden", "write_patterns",
            "error_flood_limit");
    private static final Set<String> RULE_KEYS = Set.of("name", "pattern", "unless");
    private static final Pattern PROGRAM_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._+/-]*");

    private final Path folder;
    private final Map<String, Operation> operations;

    private OperationCatalog(Path folder, Map<String, Operation> operations) {
        this.folder = folder;
        this.operations = operations;
    }

    /**
     * Loads every operation under {@code folder}; fails with all problems of all definitions. An operation that
     * declares {@code danger-full-access} is one of them ({@link SandboxBypass#REFUSED}).
     */
    public static OperationCatalog load(Path folder) {
        return load(folder, SandboxBypass.REFUSED);
    }

    /**
     * Loads every operation under {@code folder}; fails with all problems of all definitions. {@code bypass} says
     * whether an operation may declare {@code danger-full-access}: where codex runs, only when the deployment
     * allows it.
     */
    public static OperationCatalog load(Path folder, SandboxBypass bypass) {
        Objects.requireNonNull(bypass, "bypass == null");
        if (!Files.isDirectory(folder)) {
            throw new OperationDefinitionException(List.of(folder + ": operations folder does not exist"));
        }
        Map<String, Operation> ops = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        try (Stream<Path> children = Files.list(folder)) {
            for (Path dir : children.sorted().toList()) {
                if (Files.isRegularFile(dir.resolve(DEFINITION_FILE))) {
                    try {
                        Operation op = loadOne(dir, bypass);
                        ops.put(op.name(), op);
                    } catch (OperationDefinitionException e) {
                        problems.addAll(e.problems());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(folder + ": cannot list operations: " + e.getMessage(), e);
        }
        if (!problems.isEmpty()) {
            throw new OperationDefinitionException(problems);
        }
        return new OperationCatalog(folder, Map.copyOf(ops));
    }

    public Path folder() {
        return folder;
    }

    public Collection<Operation> all() {
        return operations.values();
    }

    public Optional<Operation> find(String name) {
        return Optional.ofNullable(operations.get(name));
    }

    /** The operation, or an exception that lists the known ones. */
    public Operation require(String name) {
        Operation op = operations.get(name);
        if (op == null) {
            throw new IllegalArgumentException("unknown operation '" + name + "' (known: "
                    + String.join(", ", new TreeMap<>(operations).keySet()) + ")");
        }
        return op;
    }

    /** Loads and checks one operation folder, refusing {@code danger-full-access} ({@link SandboxBypass#REFUSED}). */
    public static Operation loadOne(Path dir) {
        return loadOne(dir, SandboxBypass.REFUSED);
    }

    /** Loads and checks one operation folder; {@code bypass} says whether it may declare {@code danger-full-access}. */
    public static Operation loadOne(Path dir, SandboxBypass bypass) {
        Objects.requireNonNull(bypass, "bypass == null");
        Path file = dir.resolve(DEFINITION_FILE);
        List<String> problems = new ArrayList<>();
        JsonNode def;
        String defText;
        try {
            defText = Files.readString(file, StandardCharsets.UTF_8);
            def = Json.mapper().readTree(defText);
        } catch (IOException e) {
            throw new OperationDefinitionException(List.of(file + ": cannot read: " + e.getMessage()));
        }
        if (def == null || !def.isObject()) {
            throw new OperationDefinitionException(List.of(file + ": must hold a JSON object"));
        }
        for (Iterator<String> it = def.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KNOWN_KEYS.contains(key)) {
                problems.add(file + ": unknown key '" + key + "' (known: " + String.join(", ", new java.util.TreeSet<>(KNOWN_KEYS)) + ")");
            }
        }
        String name = text(def, "name");
        if (name == null || !name.matches("[a-z0-9][a-z0-9-]*")) {
            problems.add(file + ": 'name' must be lower-case letters, digits and dashes (found " + quote(name) + ")");
        } else if (!name.equals(dir.getFileName().toString())) {
            problems.add(file + ": 'name' is '" + name + "' but the folder is '" + dir.getFileName() + "'");
        }

        String instructions = null;
        String instructionsFile = text(def, "instructions");
        if (instructionsFile == null) {
            problems.add(file + ": 'instructions' (a file beside operation.json) is required");
        } else {
            Path p = dir.resolve(instructionsFile);
            if (!Files.isRegularFile(p)) {
                problems.add(file + ": instructions file '" + instructionsFile + "' does not exist");
            } else {
                instructions = readQuietly(p, problems);
            }
        }

        JsonSchema outputSchema = null;
        JsonNode outputSchemaJson = null;
        Path outputSchemaFile = null;
        String schemaName = text(def, "output_schema");
        if (schemaName == null) {
            problems.add(file + ": 'output_schema' (a JSON Schema file beside operation.json) is required");
        } else {
            outputSchemaFile = dir.resolve(schemaName);
            if (!Files.isRegularFile(outputSchemaFile)) {
                problems.add(file + ": output schema '" + schemaName + "' does not exist");
            } else {
                String text = readQuietly(outputSchemaFile, problems);
                if (text != null) {
                    try {
                        outputSchemaJson = Json.mapper().readTree(text);
                        outputSchema = JsonSchema.of(outputSchemaFile.toString(), text);
                        problems.addAll(StrictModeCheck.problems(outputSchemaFile, outputSchemaJson));
                    } catch (IOException | IllegalArgumentException e) {
                        problems.add(outputSchemaFile + ": not a valid JSON Schema: " + e.getMessage());
                    }
                }
            }
        }

        List<FieldSpec> fields = new ArrayList<>();
        JsonNode fieldsNode = def.get("fields");
        if (fieldsNode == null || !fieldsNode.isArray() || fieldsNode.isEmpty()) {
            problems.add(file + ": 'fields' must be a non-empty array");
        } else {
            for (int i = 0; i < fieldsNode.size(); i++) {
                FieldSpec f = field(file, i, fieldsNode.get(i), problems);
                if (f != null) {
                    if (fields.stream().anyMatch(x -> x.name().equals(f.name()))) {
                        problems.add(file + ": fields[" + i + "]: field '" + f.name() + "' is declared twice");
                    }
                    fields.add(f);
                }
            }
        }

        List<String> identity = new ArrayList<>();
        JsonNode idNode = def.get("identity");
        if (idNode == null || !idNode.isArray() || idNode.isEmpty()) {
            problems.add(file + ": 'identity' must list the field or fields that make two rows the same item");
        } else {
            for (JsonNode n : idNode) {
                String f = n.asText();
                identity.add(f);
                if (fields.stream().noneMatch(x -> x.name().equals(f) && x.required())) {
                    problems.add(file + ": identity field '" + f + "' must be a declared, required field");
                } else if (fields.stream().anyMatch(x -> x.name().equals(f) && x.secret())) {
                    problems.add(file + ": identity field '" + f + "' cannot be secret: the item's identity names it in "
                            + "every message key, report row, log line and trace; make another field the identity or "
                            + "remove \"secret\": true");
                }
            }
        }

        JsonNode apply = def.path("apply");
        Operation.ApplyPolicy applyPolicy = new Operation.ApplyPolicy(apply.path("enabled").asBoolean(true),
                apply.path("irreversible").asBoolean(true), apply.path("idempotent").asBoolean(false),
                apply.path("auto_approve").asBoolean(false));
        if (applyPolicy.irreversible() && applyPolicy.autoApprove()) {
            problems.add(file + ": apply.auto_approve cannot be true for an irreversible apply (set irreversible to false or remove auto_approve)");
        }
        String sandbox = def.path("sandbox").asText(SandboxMode.WORKSPACE_WRITE.wire());
        Optional<SandboxMode> mode = SandboxMode.parse(sandbox);
        if (mode.isEmpty()) {
            problems.add(file + ": 'sandbox' must be one of read-only, workspace-write, danger-full-access (found '"
                    + sandbox + "')");
        } else if (mode.get().bypassesSandbox() && bypass == SandboxBypass.REFUSED) {
            problems.add(file + ": 'sandbox' is 'danger-full-access', which runs codex without a sandbox, and this "
                    + "deployment does not allow that: declare 'workspace-write' (or 'read-only'), or, where the pod "
                    + "itself is the sandbox, set verops.executor.allow-sandbox-bypass=true on the executor");
        }
        JsonNode model = def.path("model");
        Operation.ModelChoice modelChoice = new Operation.ModelChoice(model.path("name").asText("gpt-5.5"),
                model.path("reasoning_effort").asText("medium"));
        if (!EFFORTS.contains(modelChoice.reasoningEffort())) {
            problems.add(file + ": model.reasoning_effort must be one of " + EFFORTS + " (found '"
                    + modelChoice.reasoningEffort() + "')");
        }
        JsonNode limits = def.path("limits");
        Operation.Limits lim = new Operation.Limits(
                limits.path("batch_cap").asInt(Operation.Limits.DEFAULT_BATCH_CAP),
                limits.path("failure_threshold").asDouble(Operation.Limits.DEFAULT_FAILURE_THRESHOLD),
                limits.path("timeout_seconds").asInt(Operation.Limits.DEFAULT_TIMEOUT_SECONDS));
        if (lim.batchCap() < 1) {
            problems.add(file + ": limits.batch_cap must be at least 1 (found " + lim.batchCap() + ")");
        }
        if (lim.failureThreshold() < 0 || lim.failureThreshold() > 1) {
            problems.add(file + ": limits.failure_threshold must be a ratio between 0 and 1 (found "
                    + lim.failureThreshold() + ")");
        }
        if (lim.timeoutSeconds() < 1) {
            problems.add(file + ": limits.timeout_seconds must be at least 1 (found " + lim.timeoutSeconds() + ")");
        }
        Operation.Target target = null;
        JsonNode t = def.get("target");
        if (t != null) {
            String db = text(t, "database");
            Path setup = null;
            if (db == null) {
                problems.add(file + ": target.database (the SQLite file the agent works on) is required when 'target' is given");
            }
            String setupName = text(t, "setup");
            if (setupName != null) {
                setup = dir.resolve(setupName);
                if (!Files.isRegularFile(setup)) {
                    problems.add(file + ": target.setup file '" + setupName + "' does not exist");
                }
            }
            target = new Operation.Target(db, setup);
        }
        Operation.CommandPolicy policy = policy(file, def.get("policy"), problems);
        List<Operation.PostCondition> postConditions = VerificationDefinitions.postConditions(file,
                def.get("post_conditions"), fields, target != null, problems);
        Operation.Gates gates = VerificationDefinitions.gates(file, def.get("gates"), problems);
        Operation.Retry retry = retry(file, def.get("retry"), problems);
        if (!problems.isEmpty()) {
            throw new OperationDefinitionException(problems);
        }
        String digest = Digests.sha256Hex(defText.getBytes(StandardCharsets.UTF_8));
        return new Operation(name, text(def, "description"), dir, instructions, outputSchema, outputSchemaFile,
                outputSchemaJson, fields, identity, applyPolicy, sandbox, modelChoice, lim, target, digest, policy,
                postConditions, gates, retry);
    }

    /** Reads {@code retry}: the backoff before the one retry of a transient failure; null when not declared. */
    private static Operation.Retry retry(Path file, JsonNode node, List<String> problems) {
        if (node == null || node.isNull()) {
            return null;
        }
        long base = node.path("base_ms").asLong(1000);
        double factor = node.path("factor").asDouble(2.0);
        long cap = node.path("cap_ms").asLong(30_000);
        if (base < 0) {
            problems.add(file + ": retry.base_ms must be 0 or more (found " + base + ")");
        }
        if (factor < 1) {
            problems.add(file + ": retry.factor must be at least 1 (found " + factor + ")");
        }
        if (cap < base) {
            problems.add(file + ": retry.cap_ms must be at least retry.base_ms (found " + cap + " < " + base + ")");
        }
        return new Operation.Retry(base, factor, cap);
    }

    /** Reads {@code policy}: the command policy the hooks enforce. Every pattern must be portable POSIX ERE. */
    private static Operation.CommandPolicy policy(Path file, JsonNode node, List<String> problems) {
        if (node == null || node.isNull()) {
            return Operation.CommandPolicy.NONE;
        }
        if (!node.isObject()) {
            problems.add(file + ": 'policy' must be an object with allowed_commands, forbidden, write_patterns, "
                    + "error_flood_limit");
            return Operation.CommandPolicy.NONE;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!POLICY_KEYS.contains(key)) {
                problems.add(file + ": unknown key 'policy." + key + "' (known: "
                        + String.join(", ", new java.util.TreeSet<>(POLICY_KEYS)) + ")");
            }
        }
        List<String> allowed = new ArrayList<>();
        JsonNode allowedNode = node.get("allowed_commands");
        if (allowedNode != null) {
            if (!allowedNode.isArray() || allowedNode.isEmpty()) {
                problems.add(file + ": policy.allowed_commands must be a non-empty array of program names "
                        + "(leave it out to allow any program)");
            } else {
                for (int i = 0; i < allowedNode.size(); i++) {
                    JsonNode n = allowedNode.get(i);
                    String program = n.isTextual() ? n.asText() : null;
                    if (program == null || !PROGRAM_NAME.matcher(program).matches()) {
                        problems.add(file + ": policy.allowed_commands[" + i + "]: " + (program == null ? n.toString()
                                : quote(program)) + " is not a program name (letters, digits, '.', '_', '+', '-', '/')");
                    } else if (allowed.contains(program)) {
                        problems.add(file + ": policy.allowed_commands[" + i + "]: '" + program + "' is listed twice");
                    } else {
                        allowed.add(program);
                    }
                }
            }
        }
        List<Operation.PatternRule> forbidden = rules(file, "forbidden", node.get("forbidden"), problems);
        List<Operation.PatternRule> writes = rules(file, "write_patterns", node.get("write_patterns"), problems);
        int limit = Operation.CommandPolicy.DEFAULT_ERROR_FLOOD_LIMIT;
        JsonNode limitNode = node.get("error_flood_limit");
        if (limitNode != null) {
            if (!limitNode.canConvertToInt() || !limitNode.isIntegralNumber() || limitNode.asInt() < 1) {
                problems.add(file + ": policy.error_flood_limit must be a whole number of at least 1 (found "
                        + limitNode + ")");
            } else {
                limit = limitNode.asInt();
            }
        }
        return new Operation.CommandPolicy(allowed, forbidden, writes, limit);
    }

    /**
     * A list of rules, each a pattern string (named after itself) or {"name", "pattern", "unless"}; a pattern that
     * does not compile or is not portable ERE is refused, naming the file and the pattern.
     */
    private static List<Operation.PatternRule> rules(Path file, String key, JsonNode node, List<String> problems) {
        List<Operation.PatternRule> rules = new ArrayList<>();
        if (node == null) {
            return rules;
        }
        if (!node.isArray()) {
            problems.add(file + ": policy." + key + " must be an array of patterns");
            return rules;
        }
        for (int i = 0; i < node.size(); i++) {
            String where = file + ": policy." + key + "[" + i + "]";
            JsonNode n = node.get(i);
            String name;
            String pattern;
            String unless = null;
            if (n.isTextual()) {
                pattern = n.asText();
                name = pattern;
            } else if (n.isObject()) {
                for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                    String k = it.next();
                    if (!RULE_KEYS.contains(k)) {
                        problems.add(where + ": unknown key '" + k + "' (known: name, pattern, unless)");
                    }
                }
                pattern = text(n, "pattern");
                name = text(n, "name") != null ? text(n, "name") : pattern;
                unless = text(n, "unless");
            } else {
                problems.add(where + ": must be a pattern string or an object with 'pattern' (found " + n + ")");
                continue;
            }
            if (pattern == null) {
                problems.add(where + ": 'pattern' is required");
                continue;
            }
            boolean ok = checkPattern(where, pattern, problems);
            if (unless != null) {
                ok &= checkPattern(where + ".unless", unless, problems);
            }
            if (n.isObject() && n.has("name") && (name.isBlank() || name.chars().anyMatch(ch -> ch < 0x20))) {
                problems.add(where + ": 'name' must be printable text (found " + quote(name) + ")");
                ok = false;
            }
            final String ruleName = name;
            if (rules.stream().anyMatch(r -> r.name().equals(ruleName))) {
                problems.add(where + ": rule name '" + name + "' is used twice in policy." + key);
                ok = false;
            }
            if (ok) {
                rules.add(new Operation.PatternRule(name, pattern, unless));
            }
        }
        return rules;
    }

    private static boolean checkPattern(String where, String pattern, List<String> problems) {
        List<String> found = PortablePattern.problems(pattern);
        for (String p : found) {
            problems.add(where + ": bad pattern " + quote(pattern) + ": " + p);
        }
        return found.isEmpty();
    }

    private static FieldSpec field(Path file, int i, JsonNode n, List<String> problems) {
        String where = file + ": fields[" + i + "]";
        if (n == null || !n.isObject()) {
            problems.add(where + ": must be an object with at least 'name' and 'type'");
            return null;
        }
        String name = text(n, "name");
        if (name == null || name.isBlank()) {
            problems.add(where + ": 'name' is required");
            return null;
        }
        where = file + ": field '" + name + "'";
        FieldType type;
        try {
            type = FieldType.fromWire(n.path("type").asText("string"));
        } catch (IllegalArgumentException e) {
            problems.add(where + ": " + e.getMessage());
            return null;
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            Set<FieldType> applies = FIELD_KEYS.get(key);
            if (applies == null) {
                problems.add(where + ": unknown key '" + key + "' (known: "
                        + String.join(", ", new java.util.TreeSet<>(FIELD_KEYS.keySet())) + ")");
            } else if (!applies.isEmpty() && !applies.contains(type)) {
                problems.add(where + ": '" + key + "' does not apply to a field of type " + type.wire()
                        + " (only to " + applies.stream().map(FieldType::wire).sorted()
                        .collect(java.util.stream.Collectors.joining(", ")) + ")");
            }
        }
        List<String> values = new ArrayList<>();
        n.path("values").forEach(v -> values.add(v.asText()));
        if (type == FieldType.ENUM && values.isEmpty()) {
            problems.add(where + ": an enum needs 'values'");
        }
        Set<String> folded = new java.util.HashSet<>();
        for (String v : values) {
            if (v.isBlank() || !v.equals(v.strip())) {
                problems.add(where + ": enum value '" + v + "' must be non-blank without surrounding spaces");
            } else if (!folded.add(v.toLowerCase(Locale.ROOT))) {
                problems.add(where + ": enum value '" + v + "' is declared twice (values match case-insensitively)");
            }
        }
        Pattern pattern = null;
        String regex = text(n, "pattern");
        if (regex != null) {
            try {
                pattern = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                problems.add(where + ": bad pattern " + quote(regex) + ": " + e.getDescription());
            }
        }
        Integer maxLength = n.has("max_length") ? n.get("max_length").asInt() : null;
        if (maxLength != null && maxLength < 1) {
            problems.add(where + ": max_length must be at least 1");
        }
        String caseRule = n.path("case").asText(type == FieldType.IDENTIFIER ? "preserve" : null);
        if (caseRule != null && !CASE_RULES.contains(caseRule)) {
            problems.add(where + ": 'case' must be one of " + CASE_RULES + " (found '" + caseRule + "')");
        }
        String dateOrder = text(n, "date_order");
        if (dateOrder != null) {
            dateOrder = dateOrder.toUpperCase(Locale.ROOT);
            if (!dateOrder.equals("DMY") && !dateOrder.equals("MDY")) {
                problems.add(where + ": date_order must be DMY or MDY (found '" + dateOrder + "')");
            }
        }
        String currency = text(n, "currency");
        if (currency != null) {
            String problem = currencyProblem(currency);
            if (problem != null) {
                problems.add(where + ": " + problem);
            }
        }
        BigDecimal minimum = decimal(n, "minimum", where, problems);
        BigDecimal maximum = decimal(n, "maximum", where, problems);
        if (minimum != null && maximum != null && minimum.compareTo(maximum) > 0) {
            problems.add(where + ": minimum " + minimum.toPlainString() + " is greater than maximum "
                    + maximum.toPlainString());
        }
        return new FieldSpec(name, type, n.path("required").asBoolean(false), values, maxLength, pattern, caseRule,
                dateOrder, n.path("decimal_comma").asBoolean(false), currency, n.path("secret").asBoolean(false),
                text(n, "description"), minimum, maximum);
    }

    /** Null when {@code code} is an ISO 4217 currency with a number of decimals, else why not. */
    private static String currencyProblem(String code) {
        if (!code.matches("[A-Z]{3}")) {
            return "currency must be an upper-case ISO 4217 code such as USD or EUR (found '" + code + "')";
        }
        try {
            if (java.util.Currency.getInstance(code).getDefaultFractionDigits() < 0) {
                return "currency '" + code + "' has no decimal places defined (a metal or test code), it cannot hold an amount";
            }
            return null;
        } catch (IllegalArgumentException e) {
            return "currency '" + code + "' is not an ISO 4217 code";
        }
    }

    private static BigDecimal decimal(JsonNode n, String key, String where, List<String> problems) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        try {
            return new BigDecimal(v.asText());
        } catch (NumberFormatException e) {
            problems.add(where + ": '" + key + "' must be a number (found " + v + ")");
            return null;
        }
    }

    private static String readQuietly(Path p, List<String> problems) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            problems.add(p + ": cannot read: " + e.getMessage());
            return null;
        }
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String quote(String s) {
        return s == null ? "nothing" : "'" + s + "'";
    }
}
