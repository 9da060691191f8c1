package io.verops.ingest;

import java.util.Locale;
import java.util.Optional;

/** The formats a batch may come in. */
public enum BatchFormat {
    CSV("csv", "text/csv"), JSON("json", "application/json"), JSONL("jsonl", "application/x-ndjson");

    private final String wire;
    private final String contentType;

    BatchFormat(String wire, String contentType) {
        this.wire = wire;
        this.contentType = contentType;
    }

    public String wire() {
        return wire;
    }

    public String contentType() {
        return contentType;
    }

    public static Optional<BatchFormat> fromName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (BatchFormat f : values()) {
            if (f.wire.equals(n)) {
                return Optional.of(f);
            }
        }
        if (n.equals("ndjson")) {
            return Optional.of(JSONL);
        }
        return Optional.empty();
    }

    /** By file extension: .csv, .json, .jsonl / .ndjson. */
    public static Optional<BatchFormat> fromFileName(String fileName) {
        if (fileName == null) {
            return Optional.empty();
        }
        String n = fileName.toLowerCase(Locale.ROOT);
        if (n.endsWith(".csv")) {
            return Optional.of(CSV);
        }
        if (n.endsWith(".jsonl") || n.endsWith(".ndjson")) {
            return Optional.of(JSONL);
        }
        if (n.endsWith(".json")) {
            return Optional.of(JSON);
        }
        return Optional.empty();
    }

    /** By HTTP content type (parameters such as charset are ignored). */
    public static Optional<BatchFormat> fromContentType(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        String ct = contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        for (BatchFormat f : values()) {
            if (f.contentType.equals(ct)) {
                return Optional.of(f);
            }
        }
        if (ct.equals("application/jsonl") || ct.equals("application/json-lines")) {
            return Optional.of(JSONL);
        }
        return Optional.empty();
    }
}
