package io.verops.ingest.internal;

/** How a value appears inside a message: quoted, shortened, control characters escaped, secrets hidden. */
public final class Shown {
    static final int MAX = 80;

    private Shown() {
    }

    /** {@code 'value'}, at most 80 characters of it, with line breaks and other controls escaped. */
    public static String quoted(String v) {
        StringBuilder sb = new StringBuilder(Math.min(v.length(), MAX) + 8).append('\'');
        int limit = v.length() <= MAX ? v.length() : MAX - 3;
        for (int i = 0; i < limit; i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        if (limit < v.length()) {
            sb.append("...");
        }
        return sb.append('\'').toString();
    }
}
