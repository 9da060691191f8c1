package io.verops.codexsim.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

/** HTTP side of the sim: {@code POST .../responses} answered by the {@link SimEngine}; {@code GET /healthz}. */
public final class ResponsesHandler implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ResponsesHandler.class);

    /** A hung request is released after this long even if the sim is not closed. */
    public static final Duration HANG_LIMIT = Duration.ofMinutes(10);
    /** How many raw request bodies are kept for {@link #bodies()} (the oldest are dropped). */
    public static final int KEPT_BODIES = 1000;

    private final SimEngine engine;
    private final Duration latency;
    private final CountDownLatch closed;
    private final AtomicInteger requests = new AtomicInteger();
    private final Deque<String> bodies = new ArrayDeque<>();

    public ResponsesHandler(SimEngine engine, Duration latency, CountDownLatch closed) {
        this.engine = engine;
        this.latency = latency;
        this.closed = closed;
    }

    public int requestCount() {
        return requests.get();
    }

    public List<String> bodies() {
        synchronized (bodies) {
            return new ArrayList<>(bodies);
        }
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath();
            if (method.equals("GET") && (path.equals("/healthz") || path.equals("/v1/healthz"))) {
                send(ex, 200, "text/plain; charset=utf-8", "ok\n");
                return;
            }
            if (!path.endsWith("/responses")) {
                send(ex, 404, "application/json", errorJson("codex-sim serves POST /v1/responses only, not " + path));
                return;
            }
            if (!method.equals("POST")) {
                ex.getResponseHeaders().add("Allow", "POST");
                send(ex, 405, "application/json", errorJson("use POST for " + path));
                return;
            }
            String encoding = ex.getRequestHeaders().getFirst("Content-Encoding");
            if (encoding != null && !encoding.equalsIgnoreCase("identity") && !encoding.equalsIgnoreCase("gzip")) {
                send(ex, 415, "application/json", errorJson("codex-sim cannot read Content-Encoding " + encoding));
                return;
            }
            byte[] body;
            try (InputStream in = "gzip".equalsIgnoreCase(encoding)
                    ? new GZIPInputStream(ex.getRequestBody()) : ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            int n = requests.incrementAndGet();
            synchronized (bodies) {
                bodies.addLast(new String(body, StandardCharsets.UTF_8));
                while (bodies.size() > KEPT_BODIES) {
                    bodies.removeFirst();
                }
            }
            Reply reply = engine.reply(body, n);
            if (reply instanceof Reply.Hang) {
                LOG.debug("request {} hangs", n);
                await(HANG_LIMIT);
                return; // close without an answer: the connection is dropped
            }
            if (!latency.isZero() && await(latency)) {
                return; // the sim is closing
            }
            if (reply instanceof Reply.Error e) {
                send(ex, e.status(), "application/json", e.json());
            } else if (reply instanceof Reply.Stream s) {
                ex.getResponseHeaders().add("Cache-Control", "no-cache");
                send(ex, 200, "text/event-stream", s.sse());
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("request failed: {}", e.toString());
        } finally {
            ex.close();
        }
    }

    /** Waits; returns true if the sim closed meanwhile. */
    private boolean await(Duration d) {
        try {
            return closed.await(d.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private static void send(HttpExchange ex, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", contentType);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String errorJson(String message) {
        String quoted = new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(message));
        return "{\"error\":{\"message\":\"" + quoted + "\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}";
    }
}
