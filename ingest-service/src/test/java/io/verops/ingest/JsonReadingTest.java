package io.verops.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReadingTest {

    private static List<RawRow> array(String text) {
        return BatchPlanner.read(TestOperations.json("b.json", text));
    }

    private static List<RawRow> lines(String text) {
        return BatchPlanner.read(TestOperations.jsonl("b.jsonl", text));
    }

    @Test
    void anArrayOfObjectsGivesOneRowPerObjectWithItsLine() {
        List<RawRow> rows = array("[\n {\"id\": \"a\", \"count\": 12},\n {\"id\": \"b\", \"ok\": true, \"gone\": null}\n]");
        assertThat(rows).extracting(RawRow::row).containsExactly(1, 2);
        assertThat(rows).extracting(RawRow::line).containsExactly(2, 3);
        assertThat(rows.get(0).values()).isEqualTo(Map.of("id", "a", "count", "12"));
        assertThat(rows.get(1).values()).isEqualTo(Map.of("id", "b", "ok", "true"));
    }

    @Test
    void aNumberIsKeptExactlyAsWrittenNeverThroughFloatingPoint() {
        List<RawRow> rows = array("[{\"a\": 1000.10, \"b\": 9007199254740993, \"c\": 0.1, \"d\": 1e3, \"e\": -0.0}]");
        assertThat(rows.get(0).values())
                .isEqualTo(Map.of("a", "1000.10", "b", "9007199254740993", "c", "0.1", "d", "1e3", "e", "-0.0"));
    }

    @Test
    void somethingOtherThanAnArrayIsRefusedNamingWhatItIs() {
        assertThatThrownBy(() -> array("{\"id\": \"a\"}"))
                .hasMessage("b.json: a JSON batch must be an array of objects, found an object (for one object per line, "
                        + "use JSON Lines: .jsonl)");
        assertThatThrownBy(() -> array("\"text\"")).hasMessage("b.json: a JSON batch must be an array of objects, found a string");
    }

    @Test
    void anArrayElementThatIsNotAnObjectIsRefusedWithItsRow() {
        assertThatThrownBy(() -> array("[{\"id\": \"a\"},\n 42,\n [1]]"))
                .isInstanceOfSatisfying(BatchRefusedException.class, e -> assertThat(e.problems()).containsExactly(
                        "b.json: row 2 (line 2): must be a JSON object, found a number",
                        "b.json: row 3 (line 3): must be a JSON object, found an array"));
    }

    @Test
    void aNestedValueOrARepeatedKeyIsRefusedWithRowAndField() {
        assertThatThrownBy(() -> array("[{\"id\": {\"x\": 1}},\n{\"id\": \"a\", \"id\": \"b\"}]"))
                .isInstanceOfSatisfying(BatchRefusedException.class, e -> assertThat(e.problems()).containsExactly(
                        "b.json: row 1 (line 1), field 'id': must be a string, number or boolean, found an object",
                        "b.json: row 2 (line 2), field 'id': appears twice in the object"));
    }

    @Test
    void invalidJsonIsRefusedWithLineAndColumn() {
        assertThatThrownBy(() -> array("[\n{\"id\": \"a\",}\n]"))
                .hasMessageStartingWith("b.json: invalid JSON at line 2, column 12:");
        assertThatThrownBy(() -> array("[{\"id\": \"a\"}")).hasMessageStartingWith("b.json: invalid JSON");
        assertThatThrownBy(() -> array("[{\"id\": \"a\"}] [")).hasMessage(
                "b.json: line 1: more content after the end of the array (a batch is one JSON array)");
    }

    @Test
    void jsonLinesGiveOneRowPerNonBlankLine() {
        List<RawRow> rows = lines("{\"id\": \"a\"}\r\n\n{\"id\": \"b\", \"n\": 2.50}\n");
        assertThat(rows).extracting(RawRow::line).containsExactly(1, 3);
        assertThat(rows.get(1).values()).isEqualTo(Map.of("id", "b", "n", "2.50"));
    }

    @Test
    void aJsonLineThatIsNotOneObjectIsRefusedWithItsRowAndLine() {
        assertThatThrownBy(() -> lines("{\"id\": \"a\"}\n[1]\n{\"id\": \"c\"} {\"id\": \"d\"}\n{\"id\": \n"))
                .isInstanceOfSatisfying(BatchRefusedException.class, e -> {
                    assertThat(e.problems()).hasSize(3);
                    assertThat(e.problems().get(0)).isEqualTo("b.jsonl: row 2 (line 2): must be a JSON object, found an array");
                    assertThat(e.problems().get(1)).isEqualTo(
                            "b.jsonl: row 3 (line 3): more than one JSON value on the line (JSON Lines holds one object per line)");
                    assertThat(e.problems().get(2)).startsWith("b.jsonl: row 4 (line 4): invalid JSON at column");
                });
    }

    @Test
    void emptyJsonInputsAreRefused() {
        assertThatThrownBy(() -> array("  ")).hasMessageStartingWith("b.json: empty file");
        assertThatThrownBy(() -> lines("\n\n")).hasMessageStartingWith("b.jsonl: empty file");
    }

    @Test
    void aStringOverTheCellLimitIsRefusedWithItsRow() {
        String big = "x".repeat(70_000);
        assertThatThrownBy(() -> array("[{\"id\": \"a\"}, {\"id\": \"" + big + "\"}]"))
                .hasMessage("b.json: row 2 (line 1): a value longer than the limit of 65,536 characters");
        assertThatThrownBy(() -> lines("{\"id\": \"" + big + "\"}"))
                .hasMessage("b.jsonl: row 1 (line 1): a value longer than the limit of 65,536 characters");
    }
}
