package io.verops.core.kafka;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;

/**
 * The values of the CloudEvents headers that differ on every record ({@code ce_id}, {@code ce_time}), as the bytes
 * of the text that {@link java.util.UUID#randomUUID()} and {@link Instant#toString()} give, made for a fraction of
 * their cost: the publisher sends one record per row, and those two took more of its time than the producer's
 * serialisation of the record.
 */
final class HeaderValues {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ThreadLocal<RandomBytes> RANDOM_BYTES = ThreadLocal.withInitial(RandomBytes::new);
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** The text of the last whole second written, without its 'Z': records sent within one second share it. */
    private static volatile Second lastSecond = new Second(Long.MIN_VALUE, new byte[0]);

    private HeaderValues() {
    }

    /**
     * A random UUID (version 4, as {@link java.util.UUID#randomUUID()} makes) as its 36 characters. The random bits
     * come from a {@link SecureRandom}, as randomUUID's do, drawn 4 KiB at a time by each thread rather than 16
     * bytes at a time under randomUUID's shared lock.
     */
    static byte[] randomUuid() {
        return RANDOM_BYTES.get().uuid();
    }

    /** The current time as {@link Instant#toString()} writes it (ISO-8601, UTC, the fraction in groups of 3). */
    static byte[] now() {
        return isoInstant(Instant.now());
    }

    static byte[] isoInstant(Instant t) {
        long epochSecond = t.getEpochSecond();
        Second second = lastSecond;
        if (second.epochSecond() != epochSecond) {
            String whole = Instant.ofEpochSecond(epochSecond).toString();
            second = new Second(epochSecond, whole.substring(0, whole.length() - 1).getBytes(StandardCharsets.US_ASCII));
            lastSecond = second;
        }
        int nano = t.getNano();
        int digits = nano == 0 ? 0 : nano % 1_000_000 == 0 ? 3 : nano % 1_000 == 0 ? 6 : 9;
        byte[] prefix = second.text();
        byte[] out = new byte[prefix.length + (digits == 0 ? 0 : 1 + digits) + 1];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        int p = prefix.length;
        if (digits > 0) {
            out[p++] = '.';
            int div = 100_000_000;
            for (int i = 0; i < digits; i++) {
                out[p++] = (byte) ('0' + nano / div % 10);
                div /= 10;
            }
        }
        out[p] = 'Z';
        return out;
    }

    private record Second(long epochSecond, byte[] text) {
    }

    /** One thread's supply of random bytes. */
    private static final class RandomBytes {
        private final byte[] bytes = new byte[4096];
        private int used = bytes.length;

        byte[] uuid() {
            if (used == bytes.length) {
                RANDOM.nextBytes(bytes);
                used = 0;
            }
            int o = used;
            used += 16;
            bytes[o + 6] = (byte) ((bytes[o + 6] & 0x0f) | 0x40); // version 4
            bytes[o + 8] = (byte) ((bytes[o + 8] & 0x3f) | 0x80); // the IETF variant
            byte[] out = new byte[36];
            int j = 0;
            for (int i = 0; i < 16; i++) {
                if (i == 4 || i == 6 || i == 8 || i == 10) {
                    out[j++] = '-';
                }
                int b = bytes[o + i];
                out[j++] = HEX[(b >> 4) & 0xf];
                out[j++] = HEX[b & 0xf];
            }
            return out;
        }
    }
}
