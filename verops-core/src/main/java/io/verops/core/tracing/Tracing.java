package io.verops.core.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.header.Headers;

/**
 * The stages' tracing: one OpenTelemetry instance for the process (a no-op until one is installed: the services
 * install Quarkus's, {@code verops run} its own), and W3C trace context carried in Kafka record headers
 * ({@code traceparent}, {@code tracestate}) and in the {@code TRACEPARENT} environment variable of codex.
 * The wire format is always W3C Trace Context, whatever propagators the installed instance is configured with:
 * it is part of the messages' contract (docs/tracing.md).
 */
public final class Tracing {
    public static final String INSTRUMENTATION_SCOPE = "io.verops";
    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";

    // verops' own attributes
    public static final AttributeKey<String> BATCH_ID = AttributeKey.stringKey("verops.batch_id");
    public static final AttributeKey<String> ITEM_ID = AttributeKey.stringKey("verops.item_id");
    public static final AttributeKey<String> OPERATION = AttributeKey.stringKey("verops.operation");
    public static final AttributeKey<String> PHASE = AttributeKey.stringKey("verops.phase");
    public static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("verops.attempt");
    public static final AttributeKey<String> STATUS = AttributeKey.stringKey("verops.status");
    // OpenTelemetry messaging semantic conventions
    public static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
    public static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    public static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
    public static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
    /** The older convention's single attribute (publish, process), kept for dashboards that still query it. */
    public static final AttributeKey<String> MESSAGING_OPERATION = AttributeKey.stringKey("messaging.operation");
    public static final AttributeKey<String> PARTITION = AttributeKey.stringKey("messaging.destination.partition.id");
    public static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.kafka.offset");
    public static final AttributeKey<String> MESSAGE_KEY = AttributeKey.stringKey("messaging.kafka.message.key");
    public static final AttributeKey<String> CONSUMER_GROUP = AttributeKey.stringKey("messaging.consumer.group.name");

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static volatile OpenTelemetry openTelemetry = OpenTelemetry.noop();
    private static volatile Tracer tracer = openTelemetry.getTracer(INSTRUMENTATION_SCOPE);

    private Tracing() {
    }

    /** Makes {@code otel} the process's tracing from now on; returns the one it replaces. */
    public static synchronized OpenTelemetry install(OpenTelemetry otel) {
        Objects.requireNonNull(otel, "otel == null");
        OpenTelemetry previous = openTelemetry;
        openTelemetry = otel;
        tracer = otel.getTracer(INSTRUMENTATION_SCOPE, Tracing.class.getPackage().getImplementationVersion());
        return previous;
    }

    public static OpenTelemetry openTelemetry() {
        return openTelemetry;
    }

    public static Tracer tracer() {
        return tracer;
    }

    /**
     * Starts a span about one item, child of the current context, with the item's batch, id, operation and phase
     * (any of them may be null: left out).
     */
    public static Span startItemSpan(String name, String batchId, String itemId, String operation, String phase) {
        Span span = tracer.spanBuilder(name).startSpan();
        if (span.isRecording()) {
            setIfPresent(span, BATCH_ID, batchId);
            setIfPresent(span, ITEM_ID, itemId);
            setIfPresent(span, OPERATION, operation);
            setIfPresent(span, PHASE, phase);
        }
        return span;
    }

    /** Marks a span failed by {@code e}: the exception recorded, the status an error naming it. */
    public static void failed(Span span, Throwable e) {
        span.recordException(e);
        span.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR, e.toString());
    }

    private static void setIfPresent(Span span, AttributeKey<String> key, String value) {
        if (value != null) {
            span.setAttribute(key, value);
        }
    }

    /** The trace context a record's headers carry, as the parent of what handles it; root when there is none. */
    public static Context extract(Map<String, String> headers) {
        if (headers == null || !headers.containsKey(TRACEPARENT)) {
            return Context.root();
        }
        return W3C.extract(Context.root(), headers, MapGetter.INSTANCE);
    }

    /** The trace context raw Kafka headers carry (a record that could not be read still has them). */
    public static Context extract(Headers headers) {
        Map<String, String> m = new HashMap<>(2);
        for (String name : new String[] {TRACEPARENT, TRACESTATE}) {
            var h = headers.lastHeader(name);
            if (h != null && h.value() != null) {
                m.put(name, new String(h.value(), StandardCharsets.UTF_8));
            }
        }
        return extract(m);
    }

    /** Writes {@code context}'s span context into record headers; nothing when it has no valid span. */
    public static void inject(Context context, Headers headers) {
        if (!Span.fromContext(context).getSpanContext().isValid()) {
            return;
        }
        W3C.inject(context, headers, HeadersSetter.INSTANCE);
    }

    /**
     * The span context as W3C headers ({@code traceparent}, and {@code tracestate} when it has one): for the
     * {@code TRACEPARENT} and {@code TRACESTATE} variables of a child process. Empty for an invalid context.
     */
    public static Map<String, String> carrier(SpanContext span) {
        Map<String, String> out = new HashMap<>(2);
        if (span.isValid()) {
            W3C.inject(Context.root().with(Span.wrap(span)), out, Map::put);
        }
        return out;
    }

    private enum MapGetter implements TextMapGetter<Map<String, String>> {
        INSTANCE;

        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    }

    private enum HeadersSetter implements TextMapSetter<Headers> {
        INSTANCE;

        @Override
        public void set(Headers carrier, String key, String value) {
            if (carrier != null) {
                carrier.remove(key);
                carrier.add(key, value.getBytes(StandardCharsets.UTF_8));
            }
        }
    }
}
