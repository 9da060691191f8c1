package io.verops.core;

import java.util.List;
import java.util.Objects;

/**
 * The Kafka topics of verops, under one configurable prefix. Each topic carries one kind of message,
 * validated against its schema in {@code schemas/} (see {@link io.verops.core.schema.MessageSchemas}).
 */
public record Topics(String prefix) {
    public static final String DEFAULT_PREFIX = "verops.";

    public Topics {
        Objects.requireNonNull(prefix, "prefix == null");
    }

    public static Topics withDefaultPrefix() {
        return new Topics(DEFAULT_PREFIX);
    }

    public String batches() {
        return prefix + "batches";
    }

    public String items() {
        return prefix + "items";
    }

    public String results() {
        return prefix + "results";
    }

    public String verdicts() {
        return prefix + "verdicts";
    }

    public String audit() {
        return prefix + "audit";
    }

    public String control() {
        return prefix + "control";
    }

    public String batchEvents() {
        return prefix + "batch-events";
    }

    /** Compacted: the executor's durable record that an item's run started and how it finished. */
    public String executions() {
        return prefix + "executions";
    }

    public String deadLetter() {
        return prefix + "dead-letter";
    }

    public List<String> all() {
        return List.of(batches(), items(), results(), verdicts(), audit(), control(), batchEvents(), executions(),
                deadLetter());
    }

    /** The name without prefix ("items"), used to pick the message schema of a topic. */
    public String kindOf(String topic) {
        if (!topic.startsWith(prefix)) {
            throw new IllegalArgumentException("topic '" + topic + "' does not start with prefix '" + prefix + "'");
        }
        return topic.substring(prefix.length());
    }
}
