package io.verops.core.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.verops.core.Topics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The schema of every topic's messages, loaded from {@code schemas/} (packaged on the classpath). A message
 * that does not validate is never produced, and a consumed one that does not goes to the dead-letter topic.
 */
public final class MessageSchemas {
    private static final Map<String, String> SCHEMA_OF_KIND = Map.of(
            "batches", "batch-request.json",
            "items", "item.json",
            "results", "result.json",
            "verdicts", "verdict.json",
            "audit", "audit-event.json",
            "control", "control.json",
            "batch-events", "batch-event.json",
            "executions", "execution.json",
            "dead-letter", "dead-letter.json");

    private static final Map<String, JsonSchema> CACHE = new ConcurrentHashMap<>();

    private MessageSchemas() {
    }

    /** The schema of a topic kind ("items", "results", ...). */
    public static JsonSchema forKind(String kind) {
        String file = SCHEMA_OF_KIND.get(kind);
        if (file == null) {
            throw new IllegalArgumentException("no message schema for topic kind '" + kind + "'");
        }
        return named(file);
    }

    /** A schema of {@code schemas/} by file name ("batch-report.json"). */
    public static JsonSchema named(String file) {
        return CACHE.computeIfAbsent(file, f -> JsonSchema.fromClasspath("schemas/" + f));
    }

    public static List<String> validate(Topics topics, String topic, JsonNode message) {
        return forKind(topics.kindOf(topic)).validate(message);
    }
}
