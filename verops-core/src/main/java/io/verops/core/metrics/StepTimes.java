package io.verops.core.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where an item's time goes inside verops, step by step (the executor's catch-up, its execution records, the audit
 * acknowledgements, the verifier's post-conditions...), for the executor benchmark's breakdown. Off unless
 * {@link #enable()} was called in this JVM: then {@link #now()} is a constant and {@link #since} returns at once, so
 * the stages can call them on every item. Durations are kept in memory, one {@code long} per sample.
 */
public final class StepTimes {
    private static volatile boolean enabled;
    private static final Map<String, List<Long>> SAMPLES = new ConcurrentHashMap<>();

    private StepTimes() {
    }

    /** Starts recording (and forgets what an earlier recording held). */
    public static void enable() {
        SAMPLES.clear();
        enabled = true;
    }

    public static void disable() {
        enabled = false;
    }

    /** A start mark for {@link #since}: {@link System#nanoTime()} while recording, else 0. */
    public static long now() {
        return enabled ? System.nanoTime() : 0L;
    }

    /** Records the time from {@code startMark} (from {@link #now()}) to now as one sample of {@code step}. */
    public static void since(String step, long startMark) {
        if (enabled && startMark != 0L) {
            record(step, (System.nanoTime() - startMark) / 1_000L);
        }
    }

    /** Records one sample of {@code step}, in microseconds (negative values count as 0). */
    public static void record(String step, long micros) {
        Objects.requireNonNull(step, "step == null");
        if (enabled) {
            SAMPLES.computeIfAbsent(step, k -> Collections.synchronizedList(new ArrayList<>()))
                    .add(Math.max(0L, micros));
        }
    }

    /** The samples recorded so far, in microseconds, sorted, by step name. */
    public static Map<String, List<Long>> snapshot() {
        Map<String, List<Long>> out = new TreeMap<>();
        SAMPLES.forEach((step, samples) -> {
            List<Long> copy;
            synchronized (samples) {
                copy = new ArrayList<>(samples);
            }
            Collections.sort(copy);
            out.put(step, List.copyOf(copy));
        });
        return out;
    }

    /** The {@code q} quantile (0..1) of sorted samples, nearest rank; 0 when there are none. */
    public static long quantile(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return 0L;
        }
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.min(sorted.size() - 1, Math.max(0, rank - 1)));
    }
}
