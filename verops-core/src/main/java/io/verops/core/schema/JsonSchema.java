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
import java.util.List;
import java.util.Objects;

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

    /** Every violation, each as {@code <json pointer>: <message>}; empty when the instance is valid. */
    public List<String> validate(JsonNode instance) {
        List<Error> errors = schema.validate(instance);
        return errors.stream().map(JsonSchema::describe).toList();
    }

    private static String describe(Error error) {
        String pointer = error.getInstanceLocation() == null ? "" : error.getInstanceLocation().toString();
        String message = error.getMessage();
        return (pointer.isEmpty() ? "/" : pointer) + ": " + message;
    }
}
