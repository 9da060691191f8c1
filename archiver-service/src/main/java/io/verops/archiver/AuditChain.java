package io.verops.archiver;

import io.verops.core.internal.Digests;
import java.nio.charset.StandardCharsets;

/**
 * The hash chain of audit.jsonl: line {@code n} (from 0) carries {@code "seq": n} and {@code "prev_sha256"}, the
 * SHA-256 of the exact UTF-8 bytes of line {@code n-1} without its line end ({@link #GENESIS} for the first
 * line). Lines end with a single {@code \n}. The last line is the {@value #ARCHIVED} event with the counts.
 */
public final class AuditChain {
    public static final String GENESIS = "0".repeat(64);
    public static final String ACCEPTED = "verops.batch.accepted";
    public static final String VERDICT = "verops.item.verdict";
    public static final String ARCHIVED = "verops.batch.archived";

    private AuditChain() {
    }

    /** The hash the next line carries as prev_sha256. */
    public static String hashOf(String line) {
        return Digests.sha256Hex(line.getBytes(StandardCharsets.UTF_8));
    }
}
