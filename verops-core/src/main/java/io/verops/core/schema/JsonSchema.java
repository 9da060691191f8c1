package io.verops.core.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/** A compiled JSON Schema (draft 2020-12, networknt), with errors as "pointer: message" strings. */
public final class JsonSchema {
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private final String name;
    private final Schema schema;
    private final String text;

    private JsonSchema(String name, String text) {
        this.name = Objects.requireNonNull(name, "name == null");
        this.text = text;
        this.schema = REGISTRY.getSchema(text, InputFormat.JSON);
    }

    /** Compiles a schema; an unreadable or malformed schema fails with the name in the message. */
    public static JsonSchema of(String name, String text) {
        try {
            return new JsonSchema(name, text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + ": not a valid JSON Schema: " + e.getMessage(), e);
        }
    }

    public static JsonSchema fromFile(Path file) {
        try {
            return of(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read schema: " + e.getMessage(), e);
        }
    }

    public static JsonSchema fromClasspath(String resource) {
        try (InputStream in = JsonSchema.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema resource '" + resource + "' is not on the classpath");
            }
            return of(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return name;
    }

    public String text() {
        return text;
    }

    /**
     * Every violation, each as {@code <json pointer>: <message>}; empty when the instance is valid. A {@code oneOf}
     * whose branches only require properties (a choice between ways of giving something) is reported as one
     * sentence that names the choices and what the instance has, in place of the validator's count of valid
     * branches and each branch's missing properties.
     */
    public List<String> validate(JsonNode instance) {
        List<Error> errors = schema.validate(instance);
        if (errors.isEmpty()) {
            return List.of();
        }
        Map<String, String> choices = new LinkedHashMap<>();
        for (Error e : errors) {
            if ("oneOf".equals(e.getKeyword()) && e.getEvaluationPath() != null) {
                String choice = requiredChoice(e.getSchemaNode(), e.getInstanceNode());
                if (choice != null) {
                    choices.put(e.getEvaluationPath().toString(), choice);
                }
            }
        }
        List<String> out = new ArrayList<>(errors.size());
        for (Error e : errors) {
            String path = e.getEvaluationPath() == null ? "" : e.getEvaluationPath().toString();
            String choice = choices.get(path);
            if (choice != null && "oneOf".equals(e.getKeyword())) {
                out.add(pointer(e) + ": " + choice);
            } else if (choices.keySet().stream().noneMatch(c -> path.startsWith(c + "/"))) {
                out.add(describe(e));
            }
        }
        return List.copyOf(out);
    }

    /**
     * For a {@code oneOf} of branches that each only list required properties: "give exactly one of 'rows',
     * 'content' with 'format', or 'file' (...)", saying which are given; null for any other {@code oneOf}.
     */
    private static String requiredChoice(JsonNode branches, JsonNode instance) {
        if (branches == null || !branches.isArray() || branches.isEmpty() || instance == null || !instance.isObject()) {
            return null;
        }
        List<List<String>> options = new ArrayList<>();
        for (JsonNode b : branches) {
            JsonNode required = b.get("required");
            if (!b.isObject() || b.size() != 1 || required == null || !required.isArray() || required.isEmpty()) {
                return null;
            }
            List<String> names = new ArrayList<>();
            for (JsonNode n : required) {
                if (!n.isTextual()) {
                    return null;
                }
                names.add(n.asText());
            }
            options.add(names);
        }
        List<String> shown = options.stream().map(o -> o.stream().map(n -> "'" + n + "'")
                .collect(Collectors.joining(" with "))).toList();
        String all = shown.size() == 1 ? shown.get(0) : String.join(", ", shown.subList(0, shown.size() - 1))
                + (shown.size() > 2 ? "," : "") + " or " + shown.get(shown.size() - 1);
        List<String> given = new ArrayList<>();
        List<String> partial = new ArrayList<>();
        for (int i = 0; i < options.size(); i++) {
            List<String> present = options.get(i).stream().filter(instance::has).toList();
            if (present.size() == options.get(i).size()) {
                given.add(shown.get(i));
            } else if (!present.isEmpty()) {
                List<String> missing = options.get(i).stream().filter(n -> !instance.has(n)).toList();
                partial.add(quoted(present) + " without " + quoted(missing));
            }
        }
        String what;
        if (given.size() > 1) {
            what = "it gives " + String.join(" and ", given);
        } else if (!partial.isEmpty()) {
            what = "it gives " + String.join("; ", partial);
        } else {
            what = "it gives none of them";
        }
        return "give exactly one of " + all + " (" + what + ")";
    }

    private static String quoted(List<String> names) {
        return names.stream().map(n -> "'" + n + "'").collect(Collectors.joining(" and "));
    }

    private static String pointer(Error error) {
        String pointer = error.getInstanceLocation() == null ? "" : error.getInstanceLocation().toString();
        return pointer.isEmpty() ? "/" : pointer;
    }

    private static String describe(Error error) {
        return pointer(error) + ": " + error.getMessage();
    }
}
