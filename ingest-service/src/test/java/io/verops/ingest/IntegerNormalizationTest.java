package io.verops.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.verops.core.operation.FieldType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IntegerNormalizationTest {

    @ParameterizedTest(name = "integer ''{0}'' becomes {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "42|42",
            "+7|7",
            "007|7",
            "-0|0",
            "-15|-15",
            "1,000,000|1000000",
            "1 000|1000",
            "\" 12 \"|12",
            "123456789012345678901234567890|123456789012345678901234567890"})
    void anIntegerBecomesPlainDigits(String raw, String expected) {
        assertThat(FieldNormalizers.normalize(Specs.of(FieldType.INTEGER), raw)).isEqualTo(Normalized.ok(expected));
    }

    @Test
    void aDeclaredDecimalCommaMakesTheDotGroupThousands() {
        assertThat(FieldNormalizers.normalize(Specs.integer(true), "1.000.000").value()).isEqualTo("1000000");
        assertThat(FieldNormalizers.normalize(Specs.integer(true), "1,5").problem()).contains("not a whole number");
    }

    @ParameterizedTest(name = "integer ''{0}'' is refused: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "1,000|ambiguous integer '1,000'",
            "1.000|ambiguous integer '1.000'",
            "12.5|invalid integer '12.5': not a whole number",
            "12.0|not a whole number",
            "1e3|unexpected character 'e'",
            "twelve|invalid integer 'twelve': not a number",
            "-|no digits",
            "1.000.000|'.' appears 2 times",
            "12345678901234567890123456789012345678901|more than 40 digits"})
    void aNonIntegerIsRefused(String raw, String fragment) {
        Normalized n = FieldNormalizers.normalize(Specs.of(FieldType.INTEGER), raw);
        assertThat(n.isValid()).isFalse();
        assertThat(n.problem()).contains(fragment);
    }

    @Test
    void anIntegerOutsideTheDeclaredBoundsIsRefused() {
        assertThat(FieldNormalizers.normalize(Specs.bounded(FieldType.INTEGER, "1", "10"), "0").problem())
                .isEqualTo("invalid integer '0': 0 is below the minimum of 1");
        assertThat(FieldNormalizers.normalize(Specs.bounded(FieldType.INTEGER, "1", "10"), "11").problem())
                .isEqualTo("invalid integer '11': 11 is above the maximum of 10");
        assertThat(FieldNormalizers.normalize(Specs.bounded(FieldType.INTEGER, "1", "10"), "10").value()).isEqualTo("10");
    }
}
