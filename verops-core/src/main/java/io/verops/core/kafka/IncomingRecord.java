package io.verops.core.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import io.verops.core.Json;
import java.util.Map;

/**
 * A consumed record whose value is JSON that validated against its topic's schema.
 *
 * @param value the record's value exactly as it arrived, for a stage that must read part of it as written (a
 *              JSON number such as {@code 1000.10} loses its trailing zero in {@link #json()})
 */
public record IncomingRecord(String topic, int partition, long offset, String key, JsonNode json,
                             Map<String, String> headers, String value) {
    public IncomingRecord {
        headers = Map.copyOf(headers);
        if (value == null && json != null) {
            value = Json.write(json);
        }
    }

    /** A record built from its JSON tree (its value is the tree written out). */
    public IncomingRecord(String topic, int partition, long offset, String key, JsonNode json,
                          Map<String, String> headers) {
        this(topic, partition, offset, key, json, headers, null);
    }
}
