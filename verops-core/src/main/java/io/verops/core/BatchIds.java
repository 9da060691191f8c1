package io.verops.core;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/** Batch ids: sortable by time, unique, safe as a folder name ({@code b-20260601-101500-3f9a2c}). */
public final class BatchIds {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private BatchIds() {
    }

    public static String next(Clock clock) {
        byte[] b = new byte[3];
        RANDOM.nextBytes(b);
        return "b-" + FORMAT.format(clock.instant()) + "-" + HexFormat.of().formatHex(b);
    }

    /** Whether a caller-chosen id is acceptable (it names a folder). */
    public static boolean isValid(String id) {
        return id != null && id.matches("[A-Za-z0-9._-]{1,64}") && !id.startsWith(".");
    }
}
