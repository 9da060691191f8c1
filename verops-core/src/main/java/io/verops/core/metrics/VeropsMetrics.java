package io.verops.core.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.verops.core.ItemStatus;
import io.verops.core.Phase;
import io.verops.core.messages.Usage;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The metrics the stages record, through Micrometer. Until a registry is installed ({@link #use}) they go to
 * Micrometer's global registry, which records nothing when no registry is added to it (the {@code verops}
 * command). The services install Quarkus's Prometheus registry, which serves them at {@code /q/metrics} under
 * these names: {@code verops_items_total}, {@code verops_batches_total}, {@code verops_agent_run_seconds},
 * {@code verops_tokens_total}, {@code verops_retries_total}, {@code verops_gate_halts_total},
 * {@code verops_blocked_commands_total}, {@code verops_consumer_lag}. Labels carry operation, phase, status,
 * state, gate, token kind, topic and consumer group: never a value of an item.
 */
public final class VeropsMetrics {
    private static volatile MeterRegistry registry = Metrics.globalRegistry;
    private static final Map<String, AtomicLong> LAGS = new ConcurrentHashMap<>();

    private VeropsMetrics() {
    }

    /** Records into {@code r} from now on. */
    public static synchronized void use(MeterRegistry r) {
        registry = Objects.requireNonNull(r, "registry == null");
        LAGS.clear();
    }

    public static MeterRegistry registry() {
        return registry;
    }

    /** An item's verdict: {@code verops_items_total{operation,phase,status}}. */
    public static void item(String operation, Phase phase, ItemStatus status) {
        Counter.builder("verops.items").description("Items judged, by operation, phase and status")
                .tag("operation", operation).tag("phase", phase.wire()).tag("status", status.wire())
                .register(registry).increment();
    }

    /** A batch phase reaching a state: {@code verops_batches_total{operation,phase,state}}. */
    public static void batch(String operation, Phase phase, String state) {
        Counter.builder("verops.batches").description("Batch phases accepted, completed and halted")
                .tag("operation", operation).tag("phase", phase.wire()).tag("state", state)
                .register(registry).increment();
    }

    /** One codex attempt's wall time: {@code verops_agent_run_seconds{operation,phase}} (a histogram). */
    public static void agentRun(String operation, Phase phase, Duration took) {
        Timer.builder("verops.agent.run").description("Wall time of one codex exec attempt")
                .tag("operation", operation).tag("phase", phase.wire())
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(100))
                .maximumExpectedValue(Duration.ofMinutes(30))
                .register(registry).record(took);
    }

    /** Tokens an item used: {@code verops_tokens_total{operation,kind}}. */
    public static void tokens(String operation, Usage usage) {
        if (usage == null) {
            return;
        }
        tokens(operation, "input", usage.inputTokens());
        tokens(operation, "cached_input", usage.cachedInputTokens());
        tokens(operation, "output", usage.outputTokens());
        tokens(operation, "reasoning_output", usage.reasoningOutputTokens());
    }

    private static void tokens(String operation, String kind, long n) {
        Counter c = Counter.builder("verops.tokens").description("Model tokens, by kind").tag("operation", operation)
                .tag("kind", kind).register(registry);
        if (n > 0) {
            c.increment(n);
        }
    }

    /** A retry of a transient failure: {@code verops_retries_total{operation,phase}}. */
    public static void retry(String operation, Phase phase) {
        Counter.builder("verops.retries").description("Attempts retried after a transient failure")
                .tag("operation", operation).tag("phase", phase.wire()).register(registry).increment();
    }

    /** A batch halted by a gate: {@code verops_gate_halts_total{operation,gate}}. */
    public static void gateHalt(String operation, String gate) {
        Counter.builder("verops.gate.halts").description("Batches halted by a gate").tag("operation", operation)
                .tag("gate", gate).register(registry).increment();
    }

    /** A tool call the hooks refused: {@code verops_blocked_commands_total{operation}}. */
    public static void blockedCommand(String operation) {
        Counter.builder("verops.blocked.commands").description("Tool calls refused by the hooks")
                .tag("operation", operation).register(registry).increment();
    }

    /** How far a consumer group is behind on a topic: {@code verops_consumer_lag{topic,group}}. */
    public static void lag(String topic, String group, long lag) {
        MeterRegistry r = registry;
        AtomicLong value = LAGS.computeIfAbsent(topic + "\u0000" + group, k -> {
            AtomicLong v = new AtomicLong();
            Gauge.builder("verops.consumer.lag", v, AtomicLong::get)
                    .description("Records of the topic not yet read by the consumer group (this member's partitions)")
                    .tag("topic", topic).tag("group", group).register(r);
            return v;
        });
        value.set(lag);
    }
}
