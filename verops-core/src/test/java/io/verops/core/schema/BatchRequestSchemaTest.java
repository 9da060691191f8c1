package io.verops.core.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.verops.core.Json;
import io.verops.core.Topics;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A batch request that gives no source, or several, is told the choices in one sentence. */
class BatchRequestSchemaTest {
    private static List<String> problems(String request) {
        Topics topics = Topics.withDefaultPrefix();
        return MessageSchemas.validate(topics, topics.batches(), Json.parse(request));
    }

    @Test
    void eachWayOfGivingTheRowsIsValid() {
        assertThat(problems("{\"operation\": \"x\", \"rows\": [{\"a\": 1}]}")).isEmpty();
        assertThat(problems("{\"operation\": \"x\", \"content\": \"a\\n1\\n\", \"format\": \"csv\"}")).isEmpty();
        assertThat(problems("{\"operation\": \"x\", \"file\": \"a.csv\", \"batch_id\": \"b-1\"}")).isEmpty();
    }

    @Test
    void aRequestWithoutRowsNamesTheThreeWays() {
        assertThat(problems("{\"operation\": \"x\"}")).containsExactly(
                "/: give exactly one of 'rows', 'content' with 'format', or 'file' (it gives none of them)");
    }

    @Test
    void aRequestWithTwoSourcesNamesBoth() {
        assertThat(problems("{\"operation\": \"x\", \"rows\": [], \"file\": \"a.csv\"}")).containsExactly(
                "/: give exactly one of 'rows', 'content' with 'format', or 'file' (it gives 'rows' and 'file')");
    }

    @Test
    void contentWithoutItsFormatSaysWhatIsMissing() {
        assertThat(problems("{\"operation\": \"x\", \"content\": \"a\"}")).containsExactly(
                "/: give exactly one of 'rows', 'content' with 'format', or 'file' (it gives 'content' without 'format')");
    }

    @Test
    void otherViolationsKeepTheirPointer() {
        assertThat(problems("{\"operation\": \"x\", \"rows\": [1]}")).containsExactly("/rows/0: integer found, object expected");
        assertThat(problems("{\"rows\": []}")).containsExactly("/: required property 'operation' not found");
    }
}
