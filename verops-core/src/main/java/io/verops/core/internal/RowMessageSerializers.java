package io.verops.core.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.verops.core.Phase;
import io.verops.core.messages.BatchEvent;
import io.verops.core.messages.FieldChange;
import io.verops.core.messages.ItemMessage;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Serialisers for the messages that exist once per row of a batch: {@link ItemMessage} (the items topic) and
 * {@link BatchEvent.PlannedItem} (an entry of the accepted event). They write through the generator what data
 * binding would write for these records (snake_case names in component order, nulls left out, an empty
 * normalisation left out, an instant as ISO-8601) without reflection per property: ingest writes each row twice,
 * and the bean serialiser cost more per row than everything else ingest does for it. A test holds their output to
 * the data-binding output of the same records, byte for byte, and fails when a record gains a component.
 */
public final class RowMessageSerializers {
    private static final SerializableString BATCH_ID = new SerializedString("batch_id");
    private static final SerializableString OPERATION = new SerializedString("operation");
    private static final SerializableString ITEM_ID = new SerializedString("item_id");
    private static final SerializableString ROW = new SerializedString("row");
    private static final SerializableString PHASE = new SerializedString("phase");
    private static final SerializableString FIELDS = new SerializedString("fields");
    private static final SerializableString ENQUEUED_AT = new SerializedString("enqueued_at");
    private static final SerializableString NORMALIZATION = new SerializedString("normalization");
    private static final SerializableString FIELD = new SerializedString("field");
    private static final SerializableString ORIGINAL = new SerializedString("original");
    private static final SerializableString NORMALIZED = new SerializedString("normalized");
    private static final String[] PHASE_WIRE = new String[Phase.values().length];

    static {
        for (Phase p : Phase.values()) {
            PHASE_WIRE[p.ordinal()] = p.wire();
        }
    }

    /** The last instant written and its text: the items of a batch share their enqueue time. */
    private static volatile Written lastInstant = new Written(Instant.EPOCH, Instant.EPOCH.toString());

    private RowMessageSerializers() {
    }

    /** The module that registers them (on the one mapper of {@link io.verops.core.Json}). */
    public static SimpleModule module() {
        SimpleModule m = new SimpleModule("verops-row-messages");
        m.addSerializer(ItemMessage.class, new ItemSerializer());
        m.addSerializer(BatchEvent.PlannedItem.class, new PlannedItemSerializer());
        return m;
    }

    static final class ItemSerializer extends StdSerializer<ItemMessage> {
        ItemSerializer() {
            super(ItemMessage.class);
        }

        @Override
        public void serialize(ItemMessage m, JsonGenerator g, SerializerProvider provider) throws IOException {
            g.writeStartObject(m);
            g.writeFieldName(BATCH_ID);
            g.writeString(m.batchId());
            g.writeFieldName(OPERATION);
            g.writeString(m.operation());
            g.writeFieldName(ITEM_ID);
            g.writeString(m.itemId());
            g.writeFieldName(ROW);
            g.writeNumber(m.row());
            g.writeFieldName(PHASE);
            g.writeString(PHASE_WIRE[m.phase().ordinal()]);
            fields(g, m.fields());
            if (m.enqueuedAt() != null) {
                g.writeFieldName(ENQUEUED_AT);
                g.writeString(text(m.enqueuedAt()));
            }
            normalization(g, m.normalization());
            g.writeEndObject();
        }
    }

    static final class PlannedItemSerializer extends StdSerializer<BatchEvent.PlannedItem> {
        PlannedItemSerializer() {
            super(BatchEvent.PlannedItem.class);
        }

        @Override
        public void serialize(BatchEvent.PlannedItem p, JsonGenerator g, SerializerProvider provider) throws IOException {
            g.writeStartObject(p);
            if (p.itemId() != null) {
                g.writeFieldName(ITEM_ID);
                g.writeString(p.itemId());
            }
            g.writeFieldName(ROW);
            g.writeNumber(p.row());
            fields(g, p.fields());
            normalization(g, p.normalization());
            g.writeEndObject();
        }
    }

    /** A map of fields (left out when null, as the mapper leaves out nulls); the records hold no null value. */
    private static void fields(JsonGenerator g, Map<String, String> fields) throws IOException {
        if (fields == null) {
            return;
        }
        g.writeFieldName(FIELDS);
        g.writeStartObject(fields);
        for (Map.Entry<String, String> e : fields.entrySet()) {
            g.writeFieldName(e.getKey());
            g.writeString(e.getValue());
        }
        g.writeEndObject();
    }

    /** The normalisation changes, left out when there are none (the records' {@code NON_EMPTY}). */
    private static void normalization(JsonGenerator g, List<FieldChange> changes) throws IOException {
        if (changes == null || changes.isEmpty()) {
            return;
        }
        g.writeFieldName(NORMALIZATION);
        g.writeStartArray(changes, changes.size());
        for (int i = 0, n = changes.size(); i < n; i++) {
            FieldChange c = changes.get(i);
            g.writeStartObject(c);
            g.writeFieldName(FIELD);
            g.writeString(c.field());
            g.writeFieldName(ORIGINAL);
            g.writeString(c.original());
            g.writeFieldName(NORMALIZED);
            g.writeString(c.normalized());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** An instant as the mapper writes it ({@link java.time.format.DateTimeFormatter#ISO_INSTANT}). */
    static String text(Instant t) {
        Written last = lastInstant;
        if (!last.instant().equals(t)) {
            last = new Written(t, t.toString());
            lastInstant = last;
        }
        return last.text();
    }

    private record Written(Instant instant, String text) {
    }
}
