package io.verops.archiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.verops.archiver.internal.Csv;
import io.verops.archiver.internal.Dsse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PureFormatsTest {
    @Test
    void paeIsTheDsseSpecificationsEncoding() {
        // the example of the DSSE v1 protocol document
        byte[] pae = Dsse.pae("http://example.com/HelloWorld", "hello world".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(pae, StandardCharsets.UTF_8)).isEqualTo("DSSEv1 29 http://example.com/HelloWorld 11 hello world");
    }

    @Test
    void paeCountsBytesNotCharacters() {
        byte[] pae = Dsse.pae("t", "é".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(pae, StandardCharsets.UTF_8)).isEqualTo("DSSEv1 1 t 2 é");
    }

    @Test
    void csvCellsRoundTripThroughTheParser() {
        List<String> cells = List.of("plain", "a, b", "say \"hi\"", "two\nlines", "", "=1+1");
        String line = String.join(",", cells.stream().map(Csv::cell).toList()) + "\r\n";
        assertThat(Csv.parse(line)).containsExactly(cells);
    }

    @Test
    void anUnclosedQuoteIsNamed() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Csv.parse("a\r\n\"b,c\r\n"))
                .hasMessage("record 2: a quoted cell is not closed");
    }

    @Test
    void needsInputCsvFallsBackToTheRowsOwnFieldsWhenTheOperationIsUnknown() {
        BatchReport.Entry e = new BatchReport.Entry("row-3", 3, io.verops.core.ItemStatus.NEEDS_INPUT, "needs input", false,
                0, null, 0, null, java.util.Map.of("team", "ops"),
                List.of(new io.verops.core.messages.BatchEvent.FieldProblem("email", "missing")), List.of(), null);
        assertThat(NeedsInputCsv.render(List.of(), List.of(e))).isEqualTo("team,email\r\nops,\r\n");
    }

    @Test
    void needsInputCsvIsNullWhenNoRowNeedsInput() {
        assertThat(NeedsInputCsv.render(List.of("email"), List.of())).isNull();
    }

    @Test
    void keySettingsPreferPropertiesThenEnvironmentThenTheHome() {
        java.nio.file.Path home = java.nio.file.Path.of("/srv/verops");
        assertThat(KeySettings.from(home, java.util.Map.of(), k -> null))
                .isEqualTo(new KeySettings(java.nio.file.Path.of("/srv/verops/var/keys"), null));
        assertThat(KeySettings.from(home, java.util.Map.of("VEROPS_KEY_DIR", "/k", "VEROPS_SIGNING_KEY", "/s.pem"), k -> null))
                .isEqualTo(new KeySettings(java.nio.file.Path.of("/k"), java.nio.file.Path.of("/s.pem")));
        assertThat(KeySettings.from(home, java.util.Map.of("VEROPS_KEY_DIR", "/k"),
                k -> k.equals("verops.keys.dir") ? "/p" : null).keyDir()).isEqualTo(java.nio.file.Path.of("/p"));
    }
}
