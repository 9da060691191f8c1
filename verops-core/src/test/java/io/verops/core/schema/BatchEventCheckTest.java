package io.verops.core.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.verops.core.ItemStatus;
import io.verops.core.Json;
import io.verops.core.Phase;
import io.verops.core.messages.BatchEvent;
import io.verops.core.messages.FieldChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * BatchEventCheck finds exactly the problems that schemas/batch-event.json finds, worded the same, and an event is
 * written the same without a tree.
 */
class BatchEventCheckTest {
    private static final Instant AT = Instant.parse("2026-06-01T10:00:00Z");
    private static final String SHA = "0123456789abcdef".repeat(4);

    private static List<List<BatchEvent.PlannedItem>> itemLists() {
        List<BatchEvent.PlannedItem> entries = new ArrayList<>();
        for (String id : Arrays.asList("acct_1", "", null)) {
            for (int row : new int[] {1, 2, 0, -1}) {
                for (List<FieldChange> changes : List.of(List.<FieldChange>of(),
                        List.of(new FieldChange("quota", "1234.5 EUR", "1234.50 EUR")),
                        List.of(new FieldChange("", "a", "b"), new FieldChange("x", "", ""), new FieldChange("", "", "")))) {
                    for (Map<String, String> fields : Arrays.asList(Map.of("account", "acct_1"), Map.<String, String>of(), null)) {
                        entries.add(new BatchEvent.PlannedItem(id, row, fields, changes));
                    }
                }
            }
        }
        List<List<BatchEvent.PlannedItem>> lists = new ArrayList<>();
        lists.add(null);
        lists.add(List.of());
        entries.forEach(e -> lists.add(List.of(e)));
        lists.add(entries);
        return lists;
    }

    private static List<BatchEvent> events() {
        BatchEvent.InputInfo input = new BatchEvent.InputInfo("in.csv", "csv", SHA, 3);
        BatchEvent.InputInfo badInput = new BatchEvent.InputInfo("in.csv", "csv", "not a digest", -1);
        BatchEvent.RowOutcome skipped = new BatchEvent.RowOutcome(3, "acct_1#row-3", ItemStatus.SKIPPED, "duplicate",
                Map.of("account", "acct_1"), List.of());
        BatchEvent.RowOutcome bad = new BatchEvent.RowOutcome(0, null, null, null, Map.of(),
                List.of(new BatchEvent.FieldProblem("quota", "missing")), List.of(new FieldChange("", "a", "b")));
        List<BatchEvent> all = new ArrayList<>();
        for (List<BatchEvent.PlannedItem> items : itemLists()) {
            all.add(new BatchEvent(BatchEvent.Type.ACCEPTED, "b-1", "quota-change", Phase.DRY_RUN, AT, input, 3,
                    items, List.of(skipped), null, null, null));
            all.add(new BatchEvent(BatchEvent.Type.ACCEPTED, "", "quota-change", Phase.APPLY, null, badInput, -1,
                    items, List.of(skipped, bad), null, null, null));
            all.add(new BatchEvent(BatchEvent.Type.ACCEPTED, "b-1", "", null, AT, null, null, items, null, null, null,
                    null));
            all.add(new BatchEvent(BatchEvent.Type.COMPLETED, "b-1", "quota-change", Phase.APPLY, AT, null, null, items,
                    null, "bundle.zip", Map.of("success", 3), null));
            all.add(new BatchEvent(BatchEvent.Type.COMPLETED, "b-1", "quota-change", Phase.APPLY, AT, null, null, items,
                    null, null, Map.of("success", -3), new BatchEvent.Approval("maybe", null, null, null)));
        }
        return all;
    }

    @Test
    void theCheckFindsWhatTheBatchEventSchemaFindsOnEveryEvent() {
        JsonSchema schema = MessageSchemas.forKind("batch-events");
        int valid = 0;
        int invalid = 0;
        for (BatchEvent e : events()) {
            List<String> bySchema = schema.validate(Json.tree(e));
            assertThat(BatchEventCheck.problems(e)).as("%s", Json.write(e)).containsExactlyInAnyOrderElementsOf(bySchema);
            if (bySchema.isEmpty()) {
                valid++;
            } else {
                invalid++;
            }
        }
        assertThat(valid).as("valid events among the cases").isGreaterThan(10);
        assertThat(invalid).as("invalid events among the cases").isGreaterThan(100);
    }

    /** The publisher writes a batch event without building its tree first: the same JSON. */
    @Test
    void anEventIsWrittenTheSameWithOrWithoutATree() {
        for (BatchEvent e : events()) {
            assertThat(Json.write(e)).isEqualTo(Json.write(Json.tree(e)));
        }
    }

    @Test
    void problemsOfAnEntryNameItsPointer() {
        BatchEvent e = new BatchEvent(BatchEvent.Type.ACCEPTED, "b-1", "quota-change", Phase.DRY_RUN, AT,
                new BatchEvent.InputInfo("in.csv", "csv", SHA, 2), 2,
                List.of(new BatchEvent.PlannedItem("acct_1", 1, Map.of()),
                        new BatchEvent.PlannedItem(null, 0, Map.of(), List.of(new FieldChange("", "a", "b")))),
                List.of(), null, null, null);
        assertThat(BatchEventCheck.problems(e)).containsExactly(
                "/items/1/row: must have a minimum value of 1",
                "/items/1/normalization/0/field: must be at least 1 characters long",
                "/items/1: required property 'item_id' not found");
    }
}
