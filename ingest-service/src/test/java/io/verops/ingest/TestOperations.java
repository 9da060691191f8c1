package io.verops.ingest;

import io.verops.core.operation.Operation;
import io.verops.core.operation.OperationCatalog;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** The test operations under src/test/resources/operations, and small helpers around the planner. */
final class TestOperations {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T10:00:00Z"), ZoneOffset.UTC);

    private TestOperations() {
    }

    static Path folder() {
        try {
            return Path.of(TestOperations.class.getResource("/operations").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static OperationCatalog catalog() {
        return OperationCatalog.load(folder());
    }

    static Operation everyType() {
        return catalog().require("every-type");
    }

    static BatchInput csv(String name, String text) {
        return new BatchInput(name, BatchFormat.CSV, text.getBytes(StandardCharsets.UTF_8));
    }

    static BatchInput json(String name, String text) {
        return new BatchInput(name, BatchFormat.JSON, text.getBytes(StandardCharsets.UTF_8));
    }

    static BatchInput jsonl(String name, String text) {
        return new BatchInput(name, BatchFormat.JSONL, text.getBytes(StandardCharsets.UTF_8));
    }
}
