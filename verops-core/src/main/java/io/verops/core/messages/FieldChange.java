package io.verops.core.messages;

import java.util.Objects;

/**
 * One change ingest's normalisation made to a field of a row: the value as it arrived and the canonical value
 * that travels on ({@code 'bob@Example.COM'} to {@code 'bob@example.com'}). Only values that changed are recorded.
 */
public record FieldChange(String field, String original, String normalized) {
    public FieldChange {
        Objects.requireNonNull(field, "field == null");
        Objects.requireNonNull(original, "original == null");
        Objects.requireNonNull(normalized, "normalized == null");
    }
}
