package io.verops.core.kafka;

import java.util.List;

/** A message that does not validate against its topic's schema; it is never produced. */
public final class InvalidMessageException extends RuntimeException {
    private final List<String> errors;

    public InvalidMessageException(String topic, List<String> errors) {
        super("message for topic '" + topic + "' does not match its schema: " + String.join("; ", errors));
        this.errors = List.copyOf(errors);
    }

    public List<String> errors() {
        return errors;
    }
}
