package io.verops.core.messages;

import java.time.Instant;

/** A record that could not be read or processed, with the reason (topic {@code dead-letter}). */
public record DeadLetter(String topic, int partition, long offset, String key, String reason, String payload,
                         Instant at) {
}
