package io.verops.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RFC 4180, read hard: every row's values exactly as written, and every malformation refused with its line. */
class CsvReadingTest {

    private static List<RawRow> read(String text) {
        return BatchPlanner.read(TestOperations.csv("b.csv", text));
    }

    @Test
    void quotedFieldsHoldCommasDoubledQuotesAndLineBreaks() {
        List<RawRow> rows = read("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"line1\nline2\"\nplain,\"\",last\n");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).values()).isEqualTo(Map.of("a", "x, y", "b", "say \"hi\"", "c", "line1\nline2"));
        assertThat(rows.get(1).values()).isEqualTo(Map.of("a", "plain", "b", "", "c", "last"));
        assertThat(rows.get(1).line()).isEqualTo(4);
    }

    @Test
    void crlfLfAndLoneCrEndRecordsAndALineBreakInsideQuotesIsKeptAsWritten() {
        List<RawRow> rows = read("a,b\r\n1,\"x\r\ny\"\r\n2,z\n3,w\r4,v");
        assertThat(rows).extracting(r -> r.values().get("a")).containsExactly("1", "2", "3", "4");
        assertThat(rows.get(0).values().get("b")).isEqualTo("x\r\ny");
        assertThat(rows).extracting(RawRow::line).containsExactly(2, 4, 5, 6);
    }

    @Test
    void aUtf8ByteOrderMarkIsDroppedFromTheFirstColumnName() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = "id,email\nx,y@example.com\n".getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, all, 0, 3);
        System.arraycopy(body, 0, all, 3, body.length);
        List<RawRow> rows = BatchPlanner.read(new BatchInput("b.csv", BatchFormat.CSV, all));
        assertThat(rows.get(0).values()).containsOnlyKeys("id", "email");
    }

    @Test
    void blankLinesAreSkippedButAQuotedEmptyValueIsARow() {
        List<RawRow> rows = read("a\n\n1\n\n\"\"\n\n");
        assertThat(rows).extracting(r -> r.values().get("a")).containsExactly("1", "");
        assertThat(rows).extracting(RawRow::row).containsExactly(1, 2);
    }

    @Test
    void aTrailingCommaIsAnEmptyLastFieldAndValuesKeepTheirSpaces() {
        List<RawRow> rows = read("a,b,c\n x ,y,");
        assertThat(rows.get(0).values()).isEqualTo(Map.of("a", " x ", "b", "y", "c", ""));
    }

    @Test
    void headerNamesAreTrimmed() {
        assertThat(read(" a , b \n1,2").get(0).values()).containsOnlyKeys("a", "b");
    }

    @Test
    void aQuoteThatIsNeverClosedIsRefusedWithTheLineWhereItOpens() {
        assertThatThrownBy(() -> read("a,b\n1,2\n3,\"open\n4,5\n"))
                .isInstanceOf(BatchRefusedException.class)
                .hasMessage("b.csv: line 3: a quoted field is never closed (a '\"' is missing)");
    }

    @Test
    void textAfterAClosingQuoteIsRefused() {
        assertThatThrownBy(() -> read("a,b\n\"x\"y,2\n"))
                .hasMessageStartingWith("b.csv: line 2: text after a closing quote");
    }

    @Test
    void aQuoteInsideAnUnquotedFieldIsRefused() {
        assertThatThrownBy(() -> read("a,b\n5'10\",2\n"))
                .hasMessageStartingWith("b.csv: line 2: a quote inside an unquoted field");
    }

    @Test
    void raggedRowsAreAllListedWithRowAndLine() {
        assertThatThrownBy(() -> read("a,b,c\n1,2,3\n1,2\n\"x\ny\",2,3,4\n"))
                .isInstanceOfSatisfying(BatchRefusedException.class, e -> assertThat(e.problems()).containsExactly(
                        "b.csv: row 2 (line 3): has 2 fields, the header has 3",
                        "b.csv: row 3 (line 4): has 4 fields, the header has 3"));
    }

    @Test
    void aRefusalListsTwentyProblemsAndSummarisesTheRest() {
        StringBuilder sb = new StringBuilder("a,b\n");
        for (int i = 0; i < 30; i++) {
            sb.append("only-one\n");
        }
        assertThatThrownBy(() -> read(sb.toString()))
                .isInstanceOfSatisfying(BatchRefusedException.class, e -> {
                    assertThat(e.problems()).hasSize(21);
                    assertThat(e.problems().get(20)).isEqualTo("(more problems not listed)");
                });
    }

    @Test
    void aColumnNameTwiceOrAnEmptyColumnNameIsRefused() {
        assertThatThrownBy(() -> read("id,email,id,\n1,2,3,4\n"))
                .isInstanceOfSatisfying(BatchRefusedException.class, e -> assertThat(e.problems()).containsExactly(
                        "b.csv: header (line 1): column 'id' appears twice (columns 1 and 3)",
                        "b.csv: header (line 1), column 4: empty column name"));
    }

    @Test
    void anEmptyFileIsRefused() {
        assertThatThrownBy(() -> read("")).hasMessageStartingWith("b.csv: empty file");
        assertThatThrownBy(() -> read("\n\r\n  \n")).hasMessageStartingWith("b.csv: empty file");
    }

    @Test
    void aValueOverTheCellLimitIsRefusedWithRowLineAndField() {
        String big = "x".repeat(70_000);
        assertThatThrownBy(() -> read("a,b\n1,2\n3," + big + "\n"))
                .hasMessage("b.csv: row 2 (line 3), field 'b': a value of 70,000 characters is longer than the limit of 65,536");
    }
}
