package io.verops.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.verops.core.messages.BatchEvent;
import io.verops.core.messages.FieldChange;
import io.verops.core.messages.ItemMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The hand-written serialisers of the row messages (io.verops.core.internal.RowMessageSerializers) write what data
 * binding writes for the same records, byte for byte, and the records have the components they know of.
 */
class RowMessageJsonTest {
    private static final ObjectMapper DATA_BINDING = Json.dataBinding().build();
    private static final String AWKWARD = "quote \" backslash \\ slash / newline\n tab\t cr\r bell\u0007 nul\u0000 "
            + "del\u007f é ü 中文 emoji \uD83D\uDE00 lone \uD800 line-sep \u2028 <script>&'";

    private static List<Map<String, String>> fieldMaps() {
        Map<String, String> ordered = new LinkedHashMap<>();
        ordered.put("email", "bob@example.com");
        ordered.put("team", AWKWARD);
        ordered.put(AWKWARD, "");
        return List.of(Map.of(), Map.of("account", "acct_1"), ordered,
                Map.of("a", "1", "b", "2", "c", "3", "d", "4"));
    }

    private static List<List<FieldChange>> changeLists() {
        return List.of(List.of(), List.of(new FieldChange("email", "bob@Example.COM", "bob@example.com")),
                List.of(new FieldChange("quota", "1234.5 EUR", "1234.50 EUR"), new FieldChange("", AWKWARD, ""),
                        new FieldChange("secret", "***", "***")));
    }

    private static List<Instant> instants() {
        return Arrays.asList(Instant.parse("2026-06-01T10:00:00Z"), Instant.parse("2026-06-01T10:00:00.100Z"),
                Instant.parse("2026-06-01T10:00:00.000100Z"), Instant.parse("2026-06-01T10:00:00.000000100Z"),
                Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999999999Z"),
                Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("-0001-06-01T00:00:00.5Z"), Instant.EPOCH,
                Instant.now(), null);
    }

    private static List<ItemMessage> items() {
        List<ItemMessage> all = new ArrayList<>();
        for (String text : List.of("b-1", "", AWKWARD)) {
            for (int row : new int[] {1, 0, -3, Integer.MAX_VALUE}) {
                for (Phase phase : Phase.values()) {
                    for (Map<String, String> fields : fieldMaps()) {
                        for (List<FieldChange> changes : changeLists()) {
                            for (Instant at : instants()) {
                                all.add(new ItemMessage(text, "op-" + text, text + "/id", row, phase, fields, at, changes));
                            }
                        }
                    }
                }
            }
        }
        return all;
    }

    private static List<BatchEvent.PlannedItem> plannedItems() {
        List<BatchEvent.PlannedItem> all = new ArrayList<>();
        for (String id : Arrays.asList("acct_1", "", AWKWARD, null)) {
            for (int row : new int[] {1, 0, 77}) {
                for (Map<String, String> fields : fieldMaps()) {
                    for (List<FieldChange> changes : changeLists()) {
                        all.add(new BatchEvent.PlannedItem(id, row, fields, changes));
                    }
                }
                all.add(new BatchEvent.PlannedItem(id, row, null, null));
            }
        }
        return all;
    }

    @Test
    void anItemIsWrittenAsDataBindingWritesIt() throws Exception {
        for (ItemMessage m : items()) {
            assertThat(Json.write(m)).as("%s", m).isEqualTo(DATA_BINDING.writeValueAsString(m));
            assertThat(Json.tree(m)).isEqualTo(DATA_BINDING.valueToTree(m));
        }
    }

    @Test
    void anAcceptedEventWithItsPlannedItemsIsWrittenAsDataBindingWritesIt() throws Exception {
        List<BatchEvent.PlannedItem> planned = plannedItems();
        BatchEvent.RowOutcome skipped = new BatchEvent.RowOutcome(3, "acct_1#row-3", ItemStatus.SKIPPED,
                "duplicate of row 1", Map.of("account", "acct_1"), List.of(), changeLists().get(1));
        BatchEvent accepted = new BatchEvent(BatchEvent.Type.ACCEPTED, "b-1", "quota-change", Phase.APPLY,
                Instant.parse("2026-06-01T10:00:00.123Z"), new BatchEvent.InputInfo("in.csv", "csv", "0".repeat(64), 9),
                planned.size(), planned, List.of(skipped), null, null, null);
        assertThat(Json.write(accepted)).isEqualTo(DATA_BINDING.writeValueAsString(accepted));
        assertThat(Json.pretty(accepted)).isEqualTo(DATA_BINDING.writerWithDefaultPrettyPrinter().writeValueAsString(accepted));
        assertThat(Json.tree(accepted)).isEqualTo(DATA_BINDING.valueToTree(accepted));
        for (BatchEvent.PlannedItem p : planned) {
            assertThat(Json.write(p)).as("%s", p).isEqualTo(DATA_BINDING.writeValueAsString(p));
        }
    }

    /**
     * What a Kafka record's value holds: the UTF-8 of the text, except that a lone surrogate (not Unicode, which
     * encoding the text would turn into '?') is escaped, so the value reads back as the record.
     */
    @Test
    void theUtf8OfAMessageIsTheUtf8OfItsText() throws Exception {
        int lone = 0;
        for (ItemMessage m : items()) {
            String text = DATA_BINDING.writeValueAsString(m);
            if (text.codePoints().noneMatch(c -> c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE)) {
                assertThat(Json.writeUtf8(m)).as("%s", m).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
            } else {
                lone++;
                assertThat(Json.read(new String(Json.writeUtf8(m), StandardCharsets.UTF_8), ItemMessage.class))
                        .isEqualTo(m);
            }
        }
        assertThat(lone).as("messages with a lone surrogate among the cases").isPositive();
    }

    @Test
    void aPrettyItemIsWrittenAsDataBindingWritesIt() throws Exception {
        ItemMessage m = items().get(items().size() / 2);
        assertThat(Json.pretty(m)).isEqualTo(DATA_BINDING.writerWithDefaultPrettyPrinter().writeValueAsString(m));
    }

    @Test
    void writtenItemsReadBackAsTheSameRecords() {
        for (ItemMessage m : items()) {
            assertThat(Json.read(Json.write(m), ItemMessage.class)).isEqualTo(m);
        }
    }

    /** A component added to one of these records must be added to the serialiser too (else it is not written). */
    @Test
    void theSerialisersKnowEveryComponentOfTheRecords() {
        assertThat(components(ItemMessage.class)).containsExactly("batchId", "operation", "itemId", "row", "phase",
                "fields", "enqueuedAt", "normalization");
        assertThat(components(BatchEvent.PlannedItem.class)).containsExactly("itemId", "row", "fields", "normalization");
        assertThat(components(FieldChange.class)).containsExactly("field", "original", "normalized");
    }

    private static List<String> components(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents()).map(java.lang.reflect.RecordComponent::getName).toList();
    }
}
