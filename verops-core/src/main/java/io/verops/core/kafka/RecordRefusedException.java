package io.verops.core.kafka;

import java.util.Objects;

/**
 * A record its stage refuses (a request that cannot be carried out as it stands): {@link StageLoop} dead-letters
 * it with this exception's message as the reason, word for word, and goes on with the next record. The message
 * names what is wrong and where (the file, row and field), for the people who read the dead letters.
 */
public final class RecordRefusedException extends RuntimeException {
    public RecordRefusedException(String reason) {
        super(Objects.requireNonNull(reason, "reason == null"));
    }

    public RecordRefusedException(String reason, Throwable cause) {
        super(Objects.requireNonNull(reason, "reason == null"), cause);
    }

    /** The reason the dead letter carries. */
    public String reason() {
        return getMessage();
    }
}
