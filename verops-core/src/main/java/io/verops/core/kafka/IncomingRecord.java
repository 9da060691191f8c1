package io.verops.core.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** A consumed record whose value is JSON that validated against its topic's schema. */
public record IncomingRecord(String topic, int partition, long offset, String key, JsonNode json,
                             Map<String, String> headers) {
    public IncomingRecord {
        headers = Map.copyOf(headers);
    }
}
