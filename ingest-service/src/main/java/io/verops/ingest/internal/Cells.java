package io.verops.ingest.internal;

/** Limits on what one cell of a batch may hold, shared by every format. */
public final class Cells {
    /** The longest value a cell may hold, in UTF-16 characters (64 KiB). */
    public static final int MAX_VALUE_LENGTH = 65_536;
    /** The longest column (or JSON key) name. */
    public static final int MAX_NAME_LENGTH = 128;
    /** Problems listed in one refusal before the rest are summarised. */
    public static final int MAX_PROBLEMS = 20;

    private Cells() {
    }

    static String tooLong(int length) {
        return String.format("a value of %,d characters is longer than the limit of %,d", length, MAX_VALUE_LENGTH);
    }
}
