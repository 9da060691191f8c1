package io.verops.ingest;

import java.util.List;

/**
 * A batch refused as a whole (unreadable, over the cap, unknown columns): nothing of it is published.
 * Each problem names the input and, where it applies, the row and field.
 */
public final class BatchRefusedException extends RuntimeException {
    private final List<String> problems;

    public BatchRefusedException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public BatchRefusedException(String problem) {
        this(List.of(problem));
    }

    public List<String> problems() {
        return problems;
    }
}
