package io.verops.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.verops.core.operation.FieldType;
import io.verops.core.operation.Operation;
import io.verops.core.operation.OperationCatalog;
import io.verops.core.operation.OperationDefinitionException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Field declarations as operation.json gives them: what loads, and what is refused with file and problem. */
class OperationDefinitionTest {
    @TempDir
    Path dir;

    private Path operation(String fields) throws IOException {
        return operation("t", "id", "{\"name\": \"id\", \"type\": \"identifier\", \"required\": true}, " + fields);
    }

    /** An operation named {@code name} whose identity is the field {@code identity}, with these field declarations. */
    private Path operation(String name, String identity, String fields) throws IOException {
        Path op = Files.createDirectories(dir.resolve("ops").resolve(name));
        Files.writeString(op.resolve("instructions.md"), "Do it.");
        Files.writeString(op.resolve("out.json"), "{\"type\": \"object\", \"additionalProperties\": false, "
                + "\"required\": [\"item_id\"], \"properties\": {\"item_id\": {\"type\": \"string\"}}}");
        Files.writeString(op.resolve("operation.json"), "{\"name\": \"" + name + "\", \"instructions\": "
                + "\"instructions.md\", \"output_schema\": \"out.json\", \"identity\": [\"" + identity + "\"], "
                + "\"fields\": [" + fields + "]}");
        return op;
    }

    @Test
    void everyDeclarationKeyLoadsIntoTheFieldSpec() throws IOException {
        Operation op = OperationCatalog.loadOne(operation(
                "{\"name\": \"q\", \"type\": \"amount\", \"currency\": \"EUR\", \"decimal_comma\": true, "
                        + "\"minimum\": 0, \"maximum\": \"1000000.50\", \"required\": true}, "
                        + "{\"name\": \"d\", \"type\": \"date\", \"date_order\": \"dmy\"}"));
        var q = op.field("q").orElseThrow();
        assertThat(q.type()).isEqualTo(FieldType.AMOUNT);
        assertThat(q.currency()).isEqualTo("EUR");
        assertThat(q.decimalComma()).isTrue();
        assertThat(q.minimum()).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(q.maximum()).isEqualByComparingTo(new BigDecimal("1000000.50"));
        assertThat(op.field("d").orElseThrow().dateOrder()).isEqualTo("DMY");
        assertThat(op.field("id").orElseThrow().caseRule()).isEqualTo("preserve");
    }

    @Test
    void aBadFieldDeclarationIsRefusedWithEveryProblemNamingTheFile() throws IOException {
        Path op = operation(
                "{\"name\": \"a\", \"type\": \"money\"}, "
                        + "{\"name\": \"b\", \"type\": \"string\", \"pattern\": \"([a-z\"}, "
                        + "{\"name\": \"c\", \"type\": \"amount\", \"curency\": \"USD\"}, "
                        + "{\"name\": \"d\", \"type\": \"amount\", \"date_order\": \"DMY\"}, "
                        + "{\"name\": \"e\", \"type\": \"amount\", \"currency\": \"usd\"}, "
                        + "{\"name\": \"f\", \"type\": \"amount\", \"currency\": \"XYZ\"}, "
                        + "{\"name\": \"g\", \"type\": \"amount\", \"currency\": \"XAU\"}, "
                        + "{\"name\": \"h\", \"type\": \"integer\", \"minimum\": 10, \"maximum\": 1}, "
                        + "{\"name\": \"i\", \"type\": \"integer\", \"minimum\": \"ten\"}, "
                        + "{\"name\": \"j\", \"type\": \"enum\", \"values\": [\"Admin\", \"admin\"]}, "
                        + "{\"name\": \"k\", \"type\": \"date\", \"date_order\": \"YMD\"}");
        Files.delete(op.resolve("out.json"));
        OperationDefinitionException e = catchThrowableOfType(OperationDefinitionException.class,
                () -> OperationCatalog.loadOne(op));
        String file = op.resolve("operation.json").toString();
        assertThat(e.problems()).allSatisfy(p -> assertThat(p).startsWith(file));
        assertThat(String.join("\n", e.problems()))
                .contains("output schema 'out.json' does not exist")
                .contains("field 'a': unknown field type 'money'")
                .contains("field 'b': bad pattern '([a-z'")
                .contains("field 'c': unknown key 'curency'")
                .contains("field 'd': 'date_order' does not apply to a field of type amount (only to date)")
                .contains("field 'e': currency must be an upper-case ISO 4217 code such as USD or EUR (found 'usd')")
                .contains("field 'f': currency 'XYZ' is not an ISO 4217 code")
                .contains("field 'g': currency 'XAU' has no decimal places defined")
                .contains("field 'h': minimum 10 is greater than maximum 1")
                .contains("field 'i': 'minimum' must be a number")
                .contains("field 'j': enum value 'admin' is declared twice (values match case-insensitively)")
                .contains("field 'k': date_order must be DMY or MDY (found 'YMD')");
    }

    @Test
    void anIdentityFieldMarkedSecretIsRefused() throws IOException {
        Path op = operation("s", "token",
                "{\"name\": \"token\", \"type\": \"string\", \"required\": true, \"secret\": true}");
        OperationDefinitionException e = catchThrowableOfType(OperationDefinitionException.class,
                () -> OperationCatalog.loadOne(op));
        assertThat(e.problems()).containsExactly(op.resolve("operation.json") + ": identity field 'token' cannot be "
                + "secret: the item's identity names it in every message key, report row, log line and trace; make "
                + "another field the identity or remove \"secret\": true");
    }

    @Test
    void theShippedOperationsLoad() {
        OperationCatalog catalog = OperationCatalog.load(Path.of(System.getProperty("verops.root", "..")).resolve("operations"));
        assertThat(catalog.all()).extracting(Operation::name)
                .contains("user-provisioning", "quota-change", "migration-followup");
        assertThat(catalog.require("migration-followup").apply().enabled()).isFalse();
        assertThat(catalog.require("migration-followup").sandbox()).isEqualTo("read-only");
    }
}
