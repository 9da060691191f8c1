package io.verops.cli;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.verops.core.tracing.Tracing;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Tracing of {@code verops} itself: off (no-op) unless the standard OpenTelemetry variables ask for it
 * ({@code OTEL_EXPORTER_OTLP_ENDPOINT}, {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} or {@code OTEL_TRACES_EXPORTER});
 * then the SDK is configured from them (OTLP over HTTP by default, headers from {@code OTEL_EXPORTER_OTLP_HEADERS},
 * sampler from {@code OTEL_TRACES_SAMPLER}) with service name {@code verops} unless {@code OTEL_SERVICE_NAME} says
 * otherwise, and spans are flushed when the command ends. See docs/tracing.md.
 */
final class CliTracing implements AutoCloseable {
    private final OpenTelemetrySdk sdk;

    private CliTracing(OpenTelemetrySdk sdk) {
        this.sdk = sdk;
    }

    /** Installs tracing as the environment asks; closing flushes and ends it. */
    static CliTracing fromEnvironment(Map<String, String> env) {
        if (!requested(env)) {
            return new CliTracing(null);
        }
        Map<String, String> properties = new HashMap<>();
        // the OTEL_* variables given, as the SDK's properties (OTEL_EXPORTER_OTLP_ENDPOINT: otel.exporter.otlp.endpoint)
        env.forEach((k, v) -> {
            if (k.startsWith("OTEL_")) {
                properties.put(k.toLowerCase(Locale.ROOT).replace('_', '.'), v);
            }
        });
        properties.putIfAbsent("otel.service.name", "verops");
        // OTLP over HTTP through the JDK's client: the command carries no gRPC client
        properties.putIfAbsent("otel.exporter.otlp.protocol", "http/protobuf");
        // traces only: the services' metrics are Prometheus's, logs stay on stderr
        properties.putIfAbsent("otel.metrics.exporter", "none");
        properties.putIfAbsent("otel.logs.exporter", "none");
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> properties)
                .build().getOpenTelemetrySdk();
        Tracing.install(sdk);
        return new CliTracing(sdk);
    }

    static boolean requested(Map<String, String> env) {
        return notBlank(env.get("OTEL_EXPORTER_OTLP_ENDPOINT")) || notBlank(env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))
                || (notBlank(env.get("OTEL_TRACES_EXPORTER")) && !"none".equals(env.get("OTEL_TRACES_EXPORTER")));
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    @Override
    public void close() {
        if (sdk != null) {
            sdk.close(); // flushes what the batch processor holds
        }
    }
}
