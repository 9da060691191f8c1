package io.verops.core.schema;

import io.verops.core.Json;
import io.verops.core.messages.BatchEvent;
import io.verops.core.messages.FieldChange;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules of {@code schemas/batch-event.json} checked on a {@link BatchEvent}. The event itself is validated
 * against the schema as a JSON tree, as every message is, but without the entries of {@code items}: an accepted
 * event lists every item of its batch (thousands of entries), and validating them in a tree cost more per row
 * than writing the row's item message. Each entry is checked on the record instead, like {@link ItemCheck} does
 * for the items topic: what the record's types already guarantee (an object of string fields with no null, the
 * normalisation entries' strings, no other properties) is not checked again; what they do not is (the item id's
 * presence, the row number, the non-empty field names of the normalisation). A test keeps this check and the
 * schema in agreement. Problems are worded as the schema validator words them.
 */
public final class BatchEventCheck {
    private BatchEventCheck() {
    }

    /** Every rule of batch-event.json the event breaks; empty when it would validate against the schema. */
    public static List<String> problems(BatchEvent e) {
        JsonSchema schema = MessageSchemas.forKind("batch-events");
        List<BatchEvent.PlannedItem> items = e.items();
        if (items == null || items.isEmpty()) {
            return schema.validate(Json.tree(e));
        }
        BatchEvent withoutEntries = new BatchEvent(e.type(), e.batchId(), e.operation(), e.phase(), e.at(), e.input(),
                e.totalItems(), List.of(), e.notExecuted(), e.bundle(), e.counts(), e.approval());
        List<String> problems = null;
        List<String> ofEvent = schema.validate(Json.tree(withoutEntries));
        if (!ofEvent.isEmpty()) {
            problems = new ArrayList<>(ofEvent);
        }
        for (int i = 0, n = items.size(); i < n; i++) {
            BatchEvent.PlannedItem item = items.get(i);
            if (item.row() < 1) {
                problems = add(problems, "/items/" + i + "/row: must have a minimum value of 1");
            }
            List<FieldChange> changes = item.normalization();
            for (int c = 0; c < changes.size(); c++) {
                if (changes.get(c).field().isEmpty()) {
                    problems = add(problems, "/items/" + i + "/normalization/" + c + "/field: must be at least 1 "
                            + "characters long");
                }
            }
            if (item.itemId() == null) {
                problems = add(problems, "/items/" + i + ": required property 'item_id' not found");
            }
        }
        return problems == null ? List.of() : List.copyOf(problems);
    }

    private static List<String> add(List<String> problems, String problem) {
        List<String> p = problems == null ? new ArrayList<>(2) : problems;
        p.add(problem);
        return p;
    }
}
