package io.verops.core.schema;

import io.verops.core.messages.FieldChange;
import io.verops.core.messages.ItemMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules of {@code schemas/item.json} checked on an {@link ItemMessage} itself, without building a JSON tree:
 * the items topic is the hot one (one message per row), and a general JSON Schema validation costs more per
 * message than everything else ingest does for it. What the record's types already guarantee (an object of
 * string fields with no null, a phase from the enum, an instant written as a date-time, no other properties) is
 * not checked again; what they do not is: the non-empty strings, the row number, the presence of the enqueue
 * time, the normalisation entries. (Like the schema validator, it treats "format" as an annotation.) A test keeps this check and
 * the schema in agreement. Problems are worded as {@code <json pointer>: <message>}, like {@link JsonSchema}'s.
 */
public final class ItemCheck {
    private ItemCheck() {
    }

    /** Every rule of item.json the message breaks; empty when it would validate against the schema. */
    public static List<String> problems(ItemMessage m) {
        List<String> problems = null;
        problems = nonEmpty(problems, "/batch_id", m.batchId());
        problems = nonEmpty(problems, "/operation", m.operation());
        problems = nonEmpty(problems, "/item_id", m.itemId());
        if (m.row() < 1) {
            problems = add(problems, "/row: must have a minimum value of 1 (found " + m.row() + ")");
        }
        if (m.phase() == null) {
            problems = add(problems, "/: required property 'phase' not found");
        }
        if (m.enqueuedAt() == null) {
            problems = add(problems, "/: required property 'enqueued_at' not found");
        }
        List<FieldChange> changes = m.normalization();
        for (int i = 0; i < changes.size(); i++) {
            problems = nonEmpty(problems, "/normalization/" + i + "/field", changes.get(i).field());
        }
        return problems == null ? List.of() : problems;
    }

    private static List<String> nonEmpty(List<String> problems, String pointer, String value) {
        return value == null || value.isEmpty() ? add(problems, pointer + ": must be at least 1 characters long")
                : problems;
    }

    private static List<String> add(List<String> problems, String problem) {
        List<String> p = problems == null ? new ArrayList<>(2) : problems;
        p.add(problem);
        return p;
    }
}
