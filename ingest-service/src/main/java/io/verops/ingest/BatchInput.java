package io.verops.ingest;

import java.util.Objects;

/** A batch as it arrived: a name to cite in messages (the file, "stdin", "HTTP body"), its format, its bytes. */
public record BatchInput(String name, BatchFormat format, byte[] content) {
    public BatchInput {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(format, "format == null");
        Objects.requireNonNull(content, "content == null");
    }
}
