package io.verops.core.operation;

import java.util.List;

/** An operation definition that cannot be used, with every problem found (not just the first). */
public final class OperationDefinitionException extends RuntimeException {
    private final List<String> problems;

    public OperationDefinitionException(List<String> problems) {
        super("invalid operation definition:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
