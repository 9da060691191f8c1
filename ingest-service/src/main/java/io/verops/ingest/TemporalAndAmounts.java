package io.verops.ingest;

import io.verops.core.operation.FieldSpec;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** Dates, date-times and amounts. */
final class TemporalAndAmounts {
    private TemporalAndAmounts() {
    }

    static Normalized normalize(FieldSpec spec, String v) {
        return switch (spec.type()) {
            case DATE -> date(v);
            case DATETIME -> dateTime(v);
            default -> Normalized.invalid("'" + FieldNormalizers.shorten(v) + "' is not an amount");
        };
    }

    static Normalized date(String v) {
        try {
            return Normalized.ok(LocalDate.parse(v, DateTimeFormatter.ISO_LOCAL_DATE).toString());
        } catch (DateTimeParseException e) {
            return Normalized.invalid("invalid date '" + FieldNormalizers.shorten(v) + "'");
        }
    }

    static Normalized dateTime(String v) {
        try {
            return Normalized.ok(OffsetDateTime.parse(v).withOffsetSameInstant(ZoneOffset.UTC)
                    .truncatedTo(ChronoUnit.SECONDS).toInstant().toString());
        } catch (DateTimeParseException e) {
            return Normalized.invalid("invalid date-time '" + FieldNormalizers.shorten(v) + "'");
        }
    }
}
