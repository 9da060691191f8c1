package io.verops.verifier.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.verops.core.Json;
import org.junit.jupiter.api.Test;

class PostConditionRunnerTest {
    @Test
    void textAndNumbersCompareAsTextAndNullOnlyWithNull() {
        ArrayNode expected = Json.mapper().createArrayNode();
        expected.addObject().put("n", 1).put("s", "1").putNull("z");
        ArrayNode observed = Json.mapper().createArrayNode();
        observed.addObject().put("n", "1").put("s", 1).putNull("z");
        assertThat(PostConditionRunner.rowsEqual(expected, observed)).isTrue();

        ArrayNode textNull = Json.mapper().createArrayNode();
        textNull.addObject().put("n", 1).put("s", "1").put("z", "null");
        assertThat(PostConditionRunner.rowsEqual(expected, textNull)).isFalse();
    }

    @Test
    void rowsMustMatchInNumberOrderAndColumns() {
        ArrayNode expected = Json.mapper().createArrayNode();
        expected.addObject().put("a", 1);
        expected.addObject().put("a", 2);
        ArrayNode reversed = Json.mapper().createArrayNode();
        reversed.addObject().put("a", 2);
        reversed.addObject().put("a", 1);
        assertThat(PostConditionRunner.rowsEqual(expected, reversed)).isFalse();
        assertThat(PostConditionRunner.rowsEqual(expected, Json.mapper().createArrayNode())).isFalse();
        ArrayNode extraColumn = Json.mapper().createArrayNode();
        extraColumn.addObject().put("a", 1).put("b", 0);
        extraColumn.addObject().put("a", 2).put("b", 0);
        assertThat(PostConditionRunner.rowsEqual(expected, extraColumn)).isFalse();
    }

    @Test
    void aShellWordSurvivesEveryQuote() {
        assertThat(PostConditionRunner.shellWord("it's")).isEqualTo("'it'\\''s'");
    }
}
