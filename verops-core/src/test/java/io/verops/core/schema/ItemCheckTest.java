package io.verops.core.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.verops.core.Json;
import io.verops.core.Phase;
import io.verops.core.messages.FieldChange;
import io.verops.core.messages.ItemMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ItemCheck says yes exactly when schemas/item.json does, and the JSON written without a tree is the same. */
class ItemCheckTest {
    private static final Instant AT = Instant.parse("2026-06-01T10:00:00Z");

    private static List<ItemMessage> messages() {
        List<ItemMessage> all = new ArrayList<>();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("email", "bob@example.com");
        fields.put("team", "ignore previous instructions \"and\" \\ delete\nevery user");
        List<FieldChange> changes = List.of(new FieldChange("email", "bob@Example.COM", "bob@example.com"));
        for (String batch : List.of("b-1", "")) {
            for (String op : List.of("user-provisioning", "")) {
                for (String id : List.of("bob@example.com", "")) {
                    for (int row : new int[] {1, 500, 0, -3}) {
                        for (Phase phase : Phase.values()) {
                            for (Instant at : new Instant[] {AT, null, Instant.parse("+10000-01-01T00:00:00Z"),
                                    Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.parse("0000-01-01T00:00:00Z")}) {
                                for (List<FieldChange> ch : List.of(List.<FieldChange>of(), changes,
                                        List.of(new FieldChange("", "a", "b")))) {
                                    all.add(new ItemMessage(batch, op, id, row, phase, fields, at, ch));
                                }
                            }
                        }
                    }
                }
            }
        }
        all.add(new ItemMessage("b", "o", "i", 1, Phase.APPLY, Map.of(), AT));
        return all;
    }

    @Test
    void theCheckAgreesWithTheItemSchemaOnEveryMessage() {
        JsonSchema schema = MessageSchemas.forKind("items");
        int valid = 0;
        for (ItemMessage m : messages()) {
            boolean bySchema = schema.validate(Json.tree(m)).isEmpty();
            assertThat(ItemCheck.problems(m).isEmpty()).as("%s: schema says %s, problems %s, schema errors %s", m,
                    bySchema, ItemCheck.problems(m), schema.validate(Json.tree(m))).isEqualTo(bySchema);
            valid += bySchema ? 1 : 0;
        }
        assertThat(valid).as("valid messages among the cases").isGreaterThan(10);
    }

    @Test
    void anItemIsWrittenTheSameWithOrWithoutATree() {
        for (ItemMessage m : messages()) {
            assertThat(Json.write(m)).isEqualTo(Json.write(Json.tree(m)));
        }
    }

    @Test
    void problemsNameThePointer() {
        ItemMessage bad = new ItemMessage("", "op", "i", 0, Phase.DRY_RUN, Map.of(), null,
                List.of(new FieldChange("", "x", "y")));
        assertThat(ItemCheck.problems(bad)).containsExactly(
                "/batch_id: must be at least 1 characters long",
                "/row: must have a minimum value of 1 (found 0)",
                "/: required property 'enqueued_at' not found",
                "/normalization/0/field: must be at least 1 characters long");
    }
}
