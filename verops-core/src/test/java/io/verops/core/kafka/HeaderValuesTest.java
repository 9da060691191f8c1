package io.verops.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The per-record header values are the text of a random UUID and of Instant.toString(). */
class HeaderValuesTest {
    @Test
    void anInstantIsWrittenAsInstantToStringWritesIt() {
        List<Instant> instants = new java.util.ArrayList<>(List.of(Instant.EPOCH, Instant.parse("2026-06-01T10:00:00Z"),
                Instant.parse("2026-06-01T10:00:00.100Z"), Instant.parse("2026-06-01T10:00:00.000100Z"),
                Instant.parse("2026-06-01T10:00:00.000000100Z"), Instant.parse("2026-06-01T10:00:00.123456789Z"),
                Instant.parse("2026-06-01T10:00:00.120Z"), Instant.parse("2026-06-01T10:00:00.123400Z"),
                Instant.parse("2026-06-01T10:00:59.999999999Z"), Instant.parse("+10000-01-01T00:00:00.5Z"),
                Instant.parse("9999-12-31T23:59:59.999Z"), Instant.parse("0000-01-01T00:00:00Z"),
                Instant.parse("-0001-06-01T00:00:00.000001Z"), Instant.MIN, Instant.MAX, Instant.now()));
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            long second = 1_700_000_000L + random.nextInt(3);
            int nano = switch (i % 4) {
                case 0 -> random.nextInt(1_000_000_000);
                case 1 -> random.nextInt(1_000_000) * 1_000;
                case 2 -> random.nextInt(1_000) * 1_000_000;
                default -> 0;
            };
            instants.add(Instant.ofEpochSecond(second, nano));
        }
        for (Instant t : instants) {
            assertThat(new String(HeaderValues.isoInstant(t), StandardCharsets.US_ASCII)).isEqualTo(t.toString());
        }
    }

    @Test
    void anIdIsTheTextOfADistinctRandomVersion4Uuid() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = new String(HeaderValues.randomUuid(), StandardCharsets.US_ASCII);
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.toString()).isEqualTo(id);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(seen.add(id)).as("id %s repeated", id).isTrue();
        }
    }
}
