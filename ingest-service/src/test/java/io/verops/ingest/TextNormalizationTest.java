package io.verops.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.verops.core.operation.FieldType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TextNormalizationTest {

    @ParameterizedTest(name = "email ''{0}'' becomes {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "bob@Example.COM|bob@example.com",
            "\"  Alice@x.io \"|Alice@x.io",
            "a.b+tag@Sub.Example.co.uk|a.b+tag@sub.example.co.uk",
            "o'brien@example.ie|o'brien@example.ie",
            "x@XN--P1AI.xn--p1ai|x@xn--p1ai.xn--p1ai"})
    void anEmailIsTrimmedAndItsDomainLowerCased(String raw, String expected) {
        assertThat(FieldNormalizers.normalize(Specs.of(FieldType.EMAIL), raw)).isEqualTo(Normalized.ok(expected));
    }

    @ParameterizedTest(name = "email ''{0}'' is refused: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "bob@|invalid email 'bob@': no domain after the '@'",
            "@example.com|nothing before the '@'",
            "bob|no '@'",
            "a@b@example.com|more than one '@'",
            "bob@localhost|has no dot",
            "bob@example..com|has an empty label",
            "a b@example.com|contains a space",
            "<bob@example.com>|without a display name",
            "mailto:bob@example.com|without 'mailto:'",
            "bob@bücher.de|non-ASCII characters are not accepted",
            ".bob@example.com|a dot cannot start or end",
            "bob@-x.com|cannot start or end with '-'",
            "bob@example.c0m|is not letters",
            "bob(x)@example.com|'(' is not allowed before the '@'"})
    void aMalformedEmailIsRefused(String raw, String fragment) {
        Normalized n = FieldNormalizers.normalize(Specs.of(FieldType.EMAIL), raw);
        assertThat(n.isValid()).isFalse();
        assertThat(n.problem()).contains(fragment);
    }

    @ParameterizedTest(name = "identifier ''{1}'' with case {0} becomes {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "lower|\" ACME-42 \"|acme-42",
            "upper|ab_c|AB_C",
            "preserve|MiXeD.Id|MiXeD.Id"})
    void anIdentifierIsTrimmedAndCasedByItsRule(String rule, String raw, String expected) {
        assertThat(FieldNormalizers.normalize(Specs.identifier(rule), raw)).isEqualTo(Normalized.ok(expected));
    }

    @Test
    void anIdentifierIsBroughtToUnicodeNfcSoThatOneNameHasOneSpelling() {
        assertThat(FieldNormalizers.normalize(Specs.identifier("preserve"), "cafe\u0301").value()).isEqualTo("caf\u00e9");
    }

    @Test
    void anIdentifierWithWhitespaceOrAControlCharacterIsRefused() {
        assertThat(FieldNormalizers.normalize(Specs.identifier("lower"), "acme 42").problem())
                .isEqualTo("invalid identifier 'acme 42': contains whitespace");
        assertThat(FieldNormalizers.normalize(Specs.identifier("lower"), "acme\u000742").problem())
                .isEqualTo("invalid identifier 'acme\\u000742': contains a control character");
    }

    @Test
    void anEnumValueIsMatchedCaseInsensitivelyToItsCanonicalSpelling() {
        assertThat(FieldNormalizers.normalize(Specs.enumOf("admin", "editor", "Viewer"), "ADMIN").value()).isEqualTo("admin");
        assertThat(FieldNormalizers.normalize(Specs.enumOf("admin", "editor", "Viewer"), " viewer ").value()).isEqualTo("Viewer");
        assertThat(FieldNormalizers.normalize(Specs.enumOf("admin", "editor", "Viewer"), "superuser").problem())
                .isEqualTo("invalid value 'superuser': not one of admin, editor, Viewer");
    }

    @Test
    void aStringIsTrimmedAndCheckedAgainstItsLengthAndPattern() {
        assertThat(FieldNormalizers.normalize(Specs.string(null, null), "  the \"night\" shift ").value())
                .isEqualTo("the \"night\" shift");
        assertThat(FieldNormalizers.normalize(Specs.string(4, null), "abcde").problem())
                .isEqualTo("too long: 5 characters, at most 4");
        assertThat(FieldNormalizers.normalize(Specs.string(null, "^[a-z]+$"), "abc1").problem())
                .isEqualTo("'abc1' does not match the pattern ^[a-z]+$");
    }

    @Test
    void aValueShownInAMessageIsShortenedAndItsLineBreaksEscaped() {
        String longValue = "x".repeat(200) + "@";
        assertThat(FieldNormalizers.normalize(Specs.of(FieldType.EMAIL), longValue).problem())
                .startsWith("invalid email '" + "x".repeat(77) + "...'");
        assertThat(FieldNormalizers.normalize(Specs.of(FieldType.DATE), "2026\n06").problem())
                .startsWith("invalid date '2026\\n06'");
    }

    @Test
    void aSecretFieldsValueNeverAppearsInItsProblem() {
        Normalized n = FieldNormalizers.normalize(Specs.secret(FieldType.EMAIL), "hunter2@");
        assertThat(n.problem()).doesNotContain("hunter2").contains("(secret value)");
    }
}
