package io.verops.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.verops.core.operation.FieldType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AmountNormalizationTest {

    @ParameterizedTest(name = "amount ''{0}'' becomes {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "1,000.50 USD|1000.50 USD",
            "$12|12.00 USD",
            "12.5 EUR|12.50 EUR",
            "€3|3.00 EUR",
            "£3.1|3.10 GBP",
            "12 JPY|12 JPY",
            "1,000,000 JPY|1000000 JPY",
            "1,234.567 BHD|1234.567 BHD",
            "usd 5|5.00 USD",
            "12USD|12.00 USD",
            "US$ 7|7.00 USD",
            "-$12.30|-12.30 USD",
            "$-12.30|-12.30 USD",
            "- 4 EUR|-4.00 EUR",
            "1'000.50 CHF|1000.50 CHF",
            "1 000 000.25 USD|1000000.25 USD",
            "0.1 USD|0.10 USD",
            "007.5 USD|7.50 USD",
            "R$ 10,000.00|10000.00 BRL",
            "$12 USD|12.00 USD"})
    void anAmountBecomesAnExactDecimalWithItsCurrency(String raw, String expected) {
        assertThat(FieldNormalizers.normalize(Specs.of(FieldType.AMOUNT), raw)).isEqualTo(Normalized.ok(expected));
    }

    @ParameterizedTest(name = "with a decimal comma, amount ''{0}'' becomes {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "EUR 12,50|12.50 EUR",
            "€1.234,50|1234.50 EUR",
            "1 000,5 €|1000.50 EUR",
            "1.000.000 EUR|1000000.00 EUR"})
    void aDeclaredDecimalCommaIsHonoured(String raw, String expected) {
        assertThat(FieldNormalizers.normalize(Specs.amount(null, true), raw)).isEqualTo(Normalized.ok(expected));
    }

    @ParameterizedTest(name = "with currency {1}, amount ''{0}'' becomes {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "12.5|USD|12.50 USD",
            "¥500|JPY|500 JPY",
            "500 ¥|CNY|500.00 CNY",
            "$5|CAD|5.00 CAD",
            "kr 99|SEK|99.00 SEK",
            "12 usd|USD|12.00 USD"})
    void aDeclaredCurrencyResolvesBareNumbersAndSharedSymbols(String raw, String currency, String expected) {
        assertThat(FieldNormalizers.normalize(Specs.amount(currency, false), raw)).isEqualTo(Normalized.ok(expected));
    }

    @ParameterizedTest(name = "amount ''{0}'' is refused: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "1,000 USD|ambiguous amount '1,000 USD': ',' followed by three digits may group thousands or be a decimal separator",
            "1.000 EUR|ambiguous amount '1.000 EUR'",
            "12.500 BHD|ambiguous amount",
            "12,50 EUR|',' followed by 2 digits is a decimal separator, but this field uses a decimal point",
            "1.000,50 EUR|',' is used as the decimal separator, but this field uses a decimal point",
            "1.2.3 USD|'.' appears 2 times",
            "1,012.345 USD|USD has 2 decimal places, this value has 3",
            "12.5 JPY|JPY has no decimal places",
            "12|no currency",
            "¥500|'¥' is the symbol of several currencies (CNY, JPY)",
            "kr 5|is the symbol of several currencies",
            "12 XYZ|'XYZ' is not an ISO 4217 currency code",
            "12 XAU|XAU is not a currency that holds amounts",
            "12 dollars|'dollars' is not a currency code or a known symbol",
            "$12 EUR|names two currencies (USD and EUR)",
            "1e3 USD|not an amount",
            "(12.00) USD|not an amount",
            "12. USD|a number starts and ends with a digit",
            ".5 USD|a number starts and ends with a digit",
            "12,34,567.00 INR|digits are grouped irregularly",
            "1,000 000.00 USD|mixes ',' and ' ' to group digits",
            "USD|no number",
            "--12 USD|two signs"})
    void anAmbiguousOrMalformedAmountIsRefused(String raw, String fragment) {
        Normalized n = FieldNormalizers.normalize(Specs.of(FieldType.AMOUNT), raw);
        assertThat(n.isValid()).isFalse();
        assertThat(n.problem()).contains(fragment);
    }

    @ParameterizedTest(name = "with a decimal comma, amount ''{0}'' is refused: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "1,000.50 EUR|'.' is used as the decimal separator, but this field uses a decimal comma",
            "12.50 EUR|'.' followed by 2 digits is a decimal separator, but this field uses a decimal comma",
            "1.000 EUR|ambiguous amount"})
    void aDecimalPointIsRefusedWhereACommaIsDeclared(String raw, String fragment) {
        assertThat(FieldNormalizers.normalize(Specs.amount(null, true), raw).problem()).contains(fragment);
    }

    @ParameterizedTest(name = "with currency {1}, amount ''{0}'' is refused: {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "12 EUR|USD|is in EUR, but this field takes USD only",
            "€12|USD|'€' is not a symbol of USD, the only currency this field takes",
            "$12|EUR|'$' is not a symbol of EUR"})
    void anotherCurrencyThanTheDeclaredOneIsRefused(String raw, String currency, String fragment) {
        assertThat(FieldNormalizers.normalize(Specs.amount(currency, false), raw).problem()).contains(fragment);
    }

    @Test
    void anAmountOutsideTheDeclaredBoundsIsRefused() {
        assertThat(FieldNormalizers.normalize(Specs.bounded(FieldType.AMOUNT, "0", "1000"), "-5 USD").problem())
                .isEqualTo("invalid amount '-5 USD': -5.00 USD is below the minimum of 0");
        assertThat(FieldNormalizers.normalize(Specs.bounded(FieldType.AMOUNT, "0", "1000"), "1,000.01 USD").problem())
                .contains("1000.01 USD is above the maximum of 1000");
        assertThat(FieldNormalizers.normalize(Specs.bounded(FieldType.AMOUNT, "0", "1000"), "1,000.00 USD").value())
                .isEqualTo("1000.00 USD");
    }

    @Test
    void aLongDecimalKeepsEveryDigitBecauseNoFloatingPointIsInvolved() {
        assertThat(FieldNormalizers.normalize(Specs.of(FieldType.AMOUNT), "9,007,199,254,740,993.01 USD").value())
                .isEqualTo("9007199254740993.01 USD");
    }
}
