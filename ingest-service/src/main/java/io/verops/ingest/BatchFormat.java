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

    /**
     * The format of a batch: the one given explicitly, else the one its file name's extension says, else the one
     * its content type says; else the batch is refused, saying how to name the format.
     *
     * @param explicit    a format name given by the caller ({@code --format}, a request field), or null
     * @param fileName    the batch's file name, or null
     * @param contentType the HTTP content type, or null
     */
    public static BatchFormat select(String explicit, String fileName, String contentType) {
        if (explicit != null && !explicit.isBlank()) {
            return fromName(explicit).orElseThrow(() -> new BatchRefusedException("format '" + explicit.strip()
                    + "' is not one of csv, json, jsonl (or ndjson)"));
        }
        Optional<BatchFormat> f = fromFileName(fileName);
        if (f.isPresent()) {
            return f.get();
        }
        f = fromContentType(contentType);
        if (f.isPresent()) {
            return f.get();
        }
        StringBuilder sb = new StringBuilder("cannot tell the format of the batch");
        if (fileName != null) {
            sb.append(" '").append(fileName).append("': its name does not end in .csv, .json, .jsonl or .ndjson");
        }
        if (contentType != null) {
            sb.append(fileName != null ? " and" : ":").append(" its content type '").append(contentType)
                    .append("' is none of text/csv, application/json, application/x-ndjson");
        }
        if (fileName == null && contentType == null) {
            sb.append(": it has no file name and no content type");
        }
        return failWith(sb.append("; give the format explicitly: csv, json or jsonl").toString());
    }

    private static BatchFormat failWith(String message) {
        throw new BatchRefusedException(message);
    }
}
