package io.verops.core.tracing;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.MDC;

/**
 * The ids a log line of the stages carries in its logging context (MDC) while a record is handled: {@code traceId}
 * and {@code spanId} (the names Quarkus's OpenTelemetry logging uses), {@code batchId} and {@code itemId}. The
 * services' JSON log lines show them (docs/services.md). Closing restores what was there before.
 */
public final class LogContext implements AutoCloseable {
    public static final String TRACE_ID = "traceId";
    public static final String SPAN_ID = "spanId";
    public static final String BATCH_ID = "batchId";
    public static final String ITEM_ID = "itemId";

    private final Map<String, String> previous = new LinkedHashMap<>(4);

    private LogContext() {
    }

    /** The span's ids, and the batch and item ids of a message ({@code batch_id}, {@code item_id}) when it has them. */
    public static LogContext of(Span span, JsonNode message) {
        LogContext c = new LogContext();
        SpanContext sc = span.getSpanContext();
        if (sc.isValid()) {
            c.put(TRACE_ID, sc.getTraceId());
            c.put(SPAN_ID, sc.getSpanId());
        }
        if (message != null) {
            c.put(BATCH_ID, text(message, "batch_id"));
            c.put(ITEM_ID, text(message, "item_id"));
        }
        return c;
    }

    private static String text(JsonNode message, String field) {
        JsonNode v = message.get(field);
        return v == null || !v.isTextual() ? null : v.asText();
    }

    private void put(String key, String value) {
        if (value == null) {
            return;
        }
        previous.put(key, MDC.get(key));
        MDC.put(key, value);
    }

    @Override
    public void close() {
        previous.forEach((k, v) -> {
            if (v == null) {
                MDC.remove(k);
            } else {
                MDC.put(k, v);
            }
        });
    }
}
