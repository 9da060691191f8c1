package io.verops.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.verops.core.operation.FieldType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DateNormalizationTest {

    @ParameterizedTest(name = "date ''{0}'' becomes {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "2026-06-01|2026-06-01",
            "  2026-06-01  |2026-06-01",
            "2026/06/01|2026-06-01",
            "2026.6.1|2026-06-01",
            "1 Jun 2026|2026-06-01",
            "1 June 2026|2026-06-01",
            "01-Jun-2026|2026-06-01",
            "1st June 2026|2026-06-01",
            "June 1, 2026|2026-06-01",
            "jun 1 2026|2026-06-01",
            "Sept 30, 2026|2026-09-30",
            "29 Feb 2028|2028-02-29",
            "13/01/2026|2026-01-13",
            "01/13/2026|2026-01-13",
            "05/05/2026|2026-05-05",
            "31.12.2026|2026-12-31"})
    void anUnambiguousDateIsAcceptedInIsoForm(String raw, String expected) {
        assertThat(FieldNormalizers.normalize(Specs.of(FieldType.DATE), raw)).isEqualTo(Normalized.ok(expected));
    }

    @ParameterizedTest(name = "date ''{0}'' with date_order {1} becomes {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "06/01/2026|DMY|2026-01-06",
            "06/01/2026|MDY|2026-06-01",
            "6-1-2026|MDY|2026-06-01",
            "31/12/2026|DMY|2026-12-31"})
    void aDeclaredDateOrderSettlesTheDayAndMonth(String raw, String order, String expected) {
        assertThat(FieldNormalizers.normalize(Specs.date(order), raw)).isEqualTo(Normalized.ok(expected));
    }

    @ParameterizedTest(name = "date ''{0}'' is refused: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "06/01/2026|ambiguous date '06/01/2026': 6 January 2026 (day first) or 1 June 2026 (month first)",
            "2026-02-30|invalid date '2026-02-30': February 2026 has 28 days",
            "2028-02-30|February 2028 has 29 days",
            "31 Apr 2026|April has 30 days",
            "31/31/2026|invalid date '31/31/2026': not a date with the day first",
            "2026-13-01|there is no month 13",
            "0000-01-01|there is no year 0",
            "06/01/26|a two-digit year is refused",
            "tomorrow|not a recognised date; write it as YYYY-MM-DD",
            "1 Foo 2026|'Foo' is not an English month name",
            "2026-06-01T10:00:00Z|a date and time, not a date",
            "20260601|not a recognised date"})
    void anAmbiguousOrImpossibleDateIsRefused(String raw, String fragment) {
        Normalized n = FieldNormalizers.normalize(Specs.of(FieldType.DATE), raw);
        assertThat(n.isValid()).isFalse();
        assertThat(n.problem()).contains(fragment);
    }

    @ParameterizedTest(name = "date ''{0}'' with date_order {1} is refused: {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "01/31/2026|DMY|there is no month 31 (the field's date_order is DMY)",
            "31/01/2026|MDY|there is no month 31 (the field's date_order is MDY)"})
    void aDateAgainstTheDeclaredOrderIsRefused(String raw, String order, String fragment) {
        assertThat(FieldNormalizers.normalize(Specs.date(order), raw).problem()).contains(fragment);
    }

    @ParameterizedTest(name = "date-time ''{0}'' becomes {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "2026-06-01T10:00:00Z|2026-06-01T10:00:00Z",
            "2026-06-01T12:00:00+02:00|2026-06-01T10:00:00Z",
            "2026-06-01T12:00:00+0200|2026-06-01T10:00:00Z",
            "2026-06-01T00:30:00+01:00|2026-05-31T23:30:00Z",
            "2026-06-01T23:30:00-05:30|2026-06-02T05:00:00Z",
            "2026-06-01 10:00Z|2026-06-01T10:00:00Z",
            "2026-06-01t10:00:00z|2026-06-01T10:00:00Z",
            "2026-06-01T10:00:00.5Z|2026-06-01T10:00:00.500Z",
            "2026-06-01T10:00:00,123456789Z|2026-06-01T10:00:00.123456789Z",
            "2026-06-01T10:00:00 UTC|2026-06-01T10:00:00Z",
            "Mon, 1 Jun 2026 10:00:00 GMT|2026-06-01T10:00:00Z"})
    void aDateTimeWithAnOffsetIsConvertedToUtc(String raw, String expected) {
        assertThat(FieldNormalizers.normalize(Specs.of(FieldType.DATETIME), raw)).isEqualTo(Normalized.ok(expected));
    }

    @ParameterizedTest(name = "date-time ''{0}'' is refused: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "2026-06-01T10:00:00|invalid date-time '2026-06-01T10:00:00': no UTC offset",
            "2026-06-01|a date without a time",
            "2026-06-01T25:00:00Z|no such time of day",
            "2026-06-01T10:60:00Z|no such time of day",
            "2026-02-30T10:00:00Z|February 2026 has 28 days",
            "2026-06-01T10:00:00+19:00|no such UTC offset",
            "1780000000|a bare number",
            "next tuesday|not a recognised date-time"})
    void aDateTimeWithoutAKnownInstantIsRefused(String raw, String fragment) {
        Normalized n = FieldNormalizers.normalize(Specs.of(FieldType.DATETIME), raw);
        assertThat(n.isValid()).isFalse();
        assertThat(n.problem()).contains(fragment);
    }
}
