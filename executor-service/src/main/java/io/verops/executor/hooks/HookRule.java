package io.verops.executor.hooks;

import java.util.Objects;

/**
 * One pattern rule of the PreToolUse hook: a POSIX extended regular expression matched case-insensitively
 * against the command (and its variants without SQL comments and without shell quotes). With {@code unless}, a
 * match is excused when the matched text also matches {@code unless}.
 *
 * @param kind        {@link Kind#FORBIDDEN} (every phase) or {@link Kind#WRITE} (refused in a dry run)
 * @param name        the rule id recorded in the decision log, e.g. {@code forbidden:drop}
 * @param description what the rule refuses, told to the model and recorded as the reason
 */
record HookRule(Kind kind, String name, String pattern, String unless, String description) {
    enum Kind {
        FORBIDDEN("forbidden"), WRITE("write");

        private final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        String wire() {
            return wire;
        }
    }

    HookRule {
        Objects.requireNonNull(kind, "kind == null");
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(pattern, "pattern == null");
        Objects.requireNonNull(description, "description == null");
    }
}
