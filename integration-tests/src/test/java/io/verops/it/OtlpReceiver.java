package io.verops.it;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * A collector for tests: takes OTLP/HTTP trace exports (protobuf) on 127.0.0.1 and keeps each span's ids, name,
 * kind, service and string attributes. It reads the protobuf wire format itself (the fields of
 * opentelemetry-proto's ExportTraceServiceRequest it needs), so the test depends on no generated classes.
 */
final class OtlpReceiver implements AutoCloseable {
    /** One received span; {@code parentSpanId} is empty for a root span. */
    record ReceivedSpan(String service, String traceId, String spanId, String parentSpanId, String name, int kind,
                        Map<String, String> attributes) {
    }

    private final HttpServer server;
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
    /** What each request was: path, content type, bytes, and how its decoding ended. */
    private final List<String> requests = new CopyOnWriteArrayList<>();

    OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = new byte[0];
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
                if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                    body = new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes();
                }
                int before = spans.size();
                request(new Wire(body));
                requests.add(exchange.getRequestURI().getPath() + " " + exchange.getRequestHeaders()
                        .getFirst("Content-Type") + " " + body.length + " bytes: " + (spans.size() - before) + " spans");
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, -1);
            } catch (RuntimeException e) {
                requests.add(exchange.getRequestURI().getPath() + " " + exchange.getRequestHeaders()
                        .getFirst("Content-Type") + " " + exchange.getRequestHeaders().getFirst("Content-Encoding")
                        + ": not decoded: " + e + ": " + HexFormat.of().formatHex(body, 0, Math.min(24, body.length)));
                exchange.sendResponseHeaders(400, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    /** The requests taken so far, for a failure's message. */
    List<String> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
    private void request(Wire w) {
        while (w.more()) {
            int tag = w.tag();
            if (tag >>> 3 == 1 && (tag & 7) == 2) {
                resourceSpans(w.message());
            } else {
                w.skip(tag);
            }
        }
    }

    // ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
    private void resourceSpans(Wire w) {
        String service = "";
        List<Wire> scopes = new java.util.ArrayList<>();
        while (w.more()) {
            int tag = w.tag();
            if (tag >>> 3 == 1 && (tag & 7) == 2) {
                service = attributes(w.message(), 1).getOrDefault("service.name", "");
            } else if (tag >>> 3 == 2 && (tag & 7) == 2) {
                scopes.add(w.message());
            } else {
                w.skip(tag);
            }
        }
        for (Wire scope : scopes) {
            // ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; }
            while (scope.more()) {
                int tag = scope.tag();
                if (tag >>> 3 == 2 && (tag & 7) == 2) {
                    spans.add(span(service, scope.message()));
                } else {
                    scope.skip(tag);
                }
            }
        }
    }

    // Span { bytes trace_id = 1; bytes span_id = 2; bytes parent_span_id = 4; string name = 5; SpanKind kind = 6;
    //        repeated KeyValue attributes = 9; }
    private static ReceivedSpan span(String service, Wire w) {
        String trace = "", id = "", parent = "", name = "";
        int kind = 0;
        Map<String, String> attributes = new HashMap<>();
        while (w.more()) {
            int tag = w.tag();
            switch (tag >>> 3) {
                case 1 -> trace = HexFormat.of().formatHex(w.bytes());
                case 2 -> id = HexFormat.of().formatHex(w.bytes());
                case 4 -> parent = HexFormat.of().formatHex(w.bytes());
                case 5 -> name = new String(w.bytes(), StandardCharsets.UTF_8);
                case 6 -> kind = (int) w.varint();
                case 9 -> attributes.putAll(keyValue(w.message()));
                default -> w.skip(tag);
            }
        }
        return new ReceivedSpan(service, trace, id, parent, name, kind, Map.copyOf(attributes));
    }

    private static Map<String, String> attributes(Wire w, int field) {
        Map<String, String> out = new HashMap<>();
        while (w.more()) {
            int tag = w.tag();
            if (tag >>> 3 == field && (tag & 7) == 2) {
                out.putAll(keyValue(w.message()));
            } else {
                w.skip(tag);
            }
        }
        return out;
    }

    // KeyValue { string key = 1; AnyValue value = 2; }; AnyValue { string_value = 1; bool_value = 2; int_value = 3; }
    private static Map<String, String> keyValue(Wire w) {
        String key = null, value = null;
        while (w.more()) {
            int tag = w.tag();
            if (tag >>> 3 == 1) {
                key = new String(w.bytes(), StandardCharsets.UTF_8);
            } else if (tag >>> 3 == 2) {
                Wire any = w.message();
                while (any.more()) {
                    int t = any.tag();
                    switch (t >>> 3) {
                        case 1 -> value = new String(any.bytes(), StandardCharsets.UTF_8);
                        case 2 -> value = Boolean.toString(any.varint() != 0);
                        case 3 -> value = Long.toString(any.varint());
                        default -> any.skip(t);
                    }
                }
            } else {
                w.skip(tag);
            }
        }
        return key == null || value == null ? Map.of() : Map.of(key, value);
    }

    /** A reader of the protobuf wire format over one message's bytes. */
    private static final class Wire {
        private final byte[] b;
        private int pos;
        private final int end;

        Wire(byte[] b) {
            this(b, 0, b.length);
        }

        private Wire(byte[] b, int from, int to) {
            this.b = b;
            this.pos = from;
            this.end = to;
        }

        boolean more() {
            return pos < end;
        }

        int tag() {
            return (int) varint();
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte x = b[pos++];
                v |= (long) (x & 0x7f) << shift;
                if ((x & 0x80) == 0) {
                    return v;
                }
            }
            throw new IllegalArgumentException("malformed varint");
        }

        byte[] bytes() {
            int n = (int) varint();
            byte[] out = java.util.Arrays.copyOfRange(b, pos, pos + n);
            pos += n;
            return out;
        }

        Wire message() {
            int n = (int) varint();
            Wire m = new Wire(b, pos, pos + n);
            pos += n;
            return m;
        }

        void skip(int tag) {
            switch (tag & 7) {
                case 0 -> varint();
                case 1 -> pos += 8;
                case 2 -> {
                    int n = (int) varint(); // read before pos is: "pos += varint()" would add to the old position
                    pos += n;
                }
                case 5 -> pos += 4;
                default -> throw new IllegalArgumentException("unsupported wire type " + (tag & 7));
            }
        }
    }
}
