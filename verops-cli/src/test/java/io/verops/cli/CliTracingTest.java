package io.verops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.verops.core.tracing.Tracing;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** verops' own tracing: off unless the OpenTelemetry variables ask for it, then exported over OTLP/HTTP. */
class CliTracingTest {

    @Test
    void withoutOtelVariablesNothingIsInstalled() {
        OpenTelemetry before = Tracing.openTelemetry();
        try (CliTracing t = CliTracing.fromEnvironment(Map.of("PATH", "/usr/bin", "OTEL_TRACES_EXPORTER", "none"))) {
            assertThat(Tracing.openTelemetry()).isSameAs(before);
        }
    }

    @Test
    void anOtlpEndpointGetsTheSpansOverHttpWhenTheCommandEnds() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                    + exchange.getRequestHeaders().getFirst("Content-Type") + " " + body.length + " "
                    + exchange.getRequestHeaders().getFirst("X-Collector-Token"));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        OpenTelemetry before = Tracing.openTelemetry();
        try {
            String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
            try (CliTracing t = CliTracing.fromEnvironment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint,
                    "OTEL_EXPORTER_OTLP_HEADERS", "X-Collector-Token=abc"))) {
                Span span = Tracing.tracer().spanBuilder("ingest item").startSpan();
                assertThat(span.getSpanContext().isSampled()).isTrue();
                span.end();
            }
            assertThat(received).hasSize(1);
            assertThat(received.get(0)).startsWith("POST /v1/traces application/x-protobuf ").endsWith(" abc");
            assertThat(Integer.parseInt(received.get(0).split(" ")[3])).isPositive();
        } finally {
            Tracing.install(before);
            server.stop(0);
        }
    }
}
