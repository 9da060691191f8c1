package io.verops.codexsim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.verops.codexsim.internal.FaultBook;
import io.verops.codexsim.internal.PolicyRegistry;
import io.verops.codexsim.internal.ResponsesHandler;
import io.verops.codexsim.internal.SimEngine;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted model server on 127.0.0.1 speaking the OpenAI Responses API ({@code POST /v1/responses},
 * streaming SSE) well enough that the real codex CLI runs its loop against it. Only the model is scripted:
 * it reads the {@code -----BEGIN VEROPS ITEM-----} block of the prompt and answers per operation, with the
 * configured {@link Fault}s. Requests are served concurrently (one thread per open request).
 */
public final class CodexSim implements AutoCloseable {

    private final SimConfig config;
    private final HttpServer server;
    private final ExecutorService executor;
    private final ResponsesHandler handler;
    private final CountDownLatch closed = new CountDownLatch(1);

    private CodexSim(SimConfig config) throws IOException {
        this.config = config;
        SimEngine engine = new SimEngine(PolicyRegistry.defaults(), new FaultBook(config.faults()), new ObjectMapper());
        this.handler = new ResponsesHandler(engine, config.turnLatency(), closed);
        AtomicInteger threads = new AtomicInteger();
        // unbounded on purpose: a hung or slow request holds its thread, and others must not wait behind it
        this.executor = new ThreadPoolExecutor(8, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "codex-sim-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByAddress(new byte[]{127, 0, 0, 1}), config.port()), 512);
        server.createContext("/", handler);
        server.setExecutor(executor);
        server.start();
    }

    /** Starts a sim on 127.0.0.1 ({@code config.port()} 0 = an ephemeral port). */
    public static CodexSim start(SimConfig config) throws IOException {
        return new CodexSim(config == null ? SimConfig.defaults() : config);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:PORT/v1}, the value for {@code model_providers.<id>.base_url}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    public SimConfig config() {
        return config;
    }

    /** How many {@code POST /v1/responses} requests were received so far (including faulted ones). */
    public int requestCount() {
        return handler.requestCount();
    }

    /** The raw request bodies received, oldest first (a copy; at most the last 1000 are kept). */
    public List<String> requestBodies() {
        return handler.bodies();
    }

    /** Stops the server; hung and sleeping requests are released and their connections dropped. */
    @Override
    public void close() {
        if (closed.getCount() == 0) {
            return;
        }
        closed.countDown();
        server.stop(0);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
