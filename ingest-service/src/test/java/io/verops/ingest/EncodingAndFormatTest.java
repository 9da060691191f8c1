package io.verops.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EncodingAndFormatTest {

    @Test
    void latin1TextIsRefusedWithTheLineOfTheFirstBadByte() {
        byte[] latin1 = "id,team\na,ok\nb,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> BatchPlanner.read(new BatchInput("b.csv", BatchFormat.CSV, latin1)))
                .hasMessageStartingWith("b.csv: line 3: not valid UTF-8 text (byte 0xE9 at offset 18;");
    }

    @Test
    void utf16TextIsNamedAsSuch() {
        byte[] utf16 = "id\na\n".getBytes(StandardCharsets.UTF_16LE);
        byte[] withBom = new byte[utf16.length + 2];
        withBom[0] = (byte) 0xFF;
        withBom[1] = (byte) 0xFE;
        System.arraycopy(utf16, 0, withBom, 2, utf16.length);
        assertThatThrownBy(() -> BatchPlanner.read(new BatchInput("b.csv", BatchFormat.CSV, withBom)))
                .hasMessage("b.csv: UTF-16 text (little-endian byte-order mark), not UTF-8; save the file as UTF-8");
    }

    @Test
    void aNulCharacterMarksBinaryData() {
        byte[] bytes = "id\na\u0000b\n".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> BatchPlanner.read(new BatchInput("b.csv", BatchFormat.CSV, bytes)))
                .hasMessageStartingWith("b.csv: line 2: holds a NUL character: binary data");
    }

    @Test
    void aReplacementCharacterWrittenInTheFileIsValidText() {
        assertThat(BatchPlanner.read(TestOperations.csv("b.csv", "id\na\uFFFDb\n")).get(0).values().get("id"))
                .isEqualTo("a\uFFFDb");
    }

    @Test
    void anExplicitFormatWinsOverTheExtensionWhichWinsOverTheContentType() {
        assertThat(BatchFormat.select("jsonl", "batch.csv", "application/json")).isEqualTo(BatchFormat.JSONL);
        assertThat(BatchFormat.select("NDJSON", null, null)).isEqualTo(BatchFormat.JSONL);
        assertThat(BatchFormat.select(null, "batch.csv", "application/json")).isEqualTo(BatchFormat.CSV);
        assertThat(BatchFormat.select(null, "BATCH.JSON", null)).isEqualTo(BatchFormat.JSON);
        assertThat(BatchFormat.select(null, "b.ndjson", null)).isEqualTo(BatchFormat.JSONL);
        assertThat(BatchFormat.select(" ", "batch.txt", "application/x-ndjson; charset=utf-8")).isEqualTo(BatchFormat.JSONL);
        assertThat(BatchFormat.select(null, null, "text/csv")).isEqualTo(BatchFormat.CSV);
    }

    @Test
    void aBatchWhoseFormatCannotBeToldIsRefusedSayingHowToNameIt() {
        assertThatThrownBy(() -> BatchFormat.select(null, "batch.txt", "text/plain"))
                .isInstanceOf(BatchRefusedException.class)
                .hasMessage("cannot tell the format of the batch 'batch.txt': its name does not end in .csv, .json, "
                        + ".jsonl or .ndjson and its content type 'text/plain' is none of text/csv, application/json, "
                        + "application/x-ndjson; give the format explicitly: csv, json or jsonl");
        assertThatThrownBy(() -> BatchFormat.select(null, null, null))
                .hasMessage("cannot tell the format of the batch: it has no file name and no content type; give the "
                        + "format explicitly: csv, json or jsonl");
        assertThatThrownBy(() -> BatchFormat.select("xml", "b.csv", null))
                .hasMessage("format 'xml' is not one of csv, json, jsonl (or ndjson)");
    }
}
