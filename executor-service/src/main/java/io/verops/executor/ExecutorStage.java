package io.verops.executor;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.verops.core.Json;
import io.verops.core.Phase;
import io.verops.core.kafka.IncomingRecord;
import io.verops.core.kafka.Publisher;
import io.verops.core.metrics.StepTimes;
import io.verops.core.metrics.VeropsMetrics;
import io.verops.core.messages.AuditMessage;
import io.verops.core.messages.ExecutionRecord;
import io.verops.core.messages.ItemMessage;
import io.verops.core.messages.ResultMessage;
import io.verops.core.messages.Usage;
import io.verops.core.operation.Operation;
import io.verops.core.operation.Redactor;
import io.verops.core.operation.OperationCatalog;
import io.verops.core.operation.SandboxBypass;
import io.verops.core.operation.SandboxMode;
import io.verops.core.tracing.Tracing;
import io.verops.executor.hooks.Hooks;
import io.verops.executor.internal.CodexProcess;
import io.verops.executor.internal.Niceness;
import io.verops.executor.internal.CodexRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor stage: runs each item through the real {@code codex exec}, retries a transient failure once,
 * publishes every {@code --json} event to the audit topic and then the item's result. Codex's word is
 * recorded, not judged: that is the verifier's job.
 */
public final class ExecutorStage {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorStage.class);

    private final OperationCatalog catalog;
    private final ExecutorSettings settings;
    private final Publisher publisher;
    private final Clock clock;
    private final TargetSetup targets;
    private final BatchStateView state;
    private final String executorId;
    /** What the codex binary says its version is; asked once, at the first run. */
    private volatile String codexVersion;

    public ExecutorStage(OperationCatalog catalog, ExecutorSettings settings, Publisher publisher, Clock clock,
                         BatchStateView state) {
        this.catalog = Objects.requireNonNull(catalog, "catalog == null");
        this.settings = Objects.requireNonNull(settings, "settings == null");
        this.publisher = Objects.requireNonNull(publisher, "publisher == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.state = Objects.requireNonNull(state, "state == null");
        this.targets = new TargetSetup(settings);
        this.executorId = "executor-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * What the stage does once, before it consumes, so that no item waits for it: asks codex its version (for every
     * attempt's provenance), self-tests the hook script of every operation's dry run and apply (in a scratch
     * {@code CODEX_HOME} under the work folder), fetches the metadata of the topics it writes and reads the batches'
     * state. A hook script or work folder that fails here is logged and left to the items: each then ends with the
     * reason in its result (codex never runs unguarded), so that the batch still completes with its evidence.
     */
    public void prepare() throws InterruptedException {
        codexVersion();
        if (settings.codexNice() != 0) {
            Niceness.binary(); // says at start, not at the first item, when codex cannot be run at a lower priority
        }
        Path scratch = settings.workRoot().resolve(".self-test");
        for (Operation op : catalog.all()) {
            for (Phase phase : Phase.values()) {
                Path dir = scratch.resolve(safe(op.name())).resolve(phase.wire());
                try {
                    Hooks.install(dir.resolve("codex-home"), op, phase, dir.resolve("hook-decisions.jsonl"));
                } catch (IOException e) {
                    LOG.error("executor: the hooks of {} ({}) cannot be prepared: {}; each of its items in this phase "
                            + "will fail with the reason until that is fixed", op.name(), phase.wire(), e.getMessage());
                }
            }
        }
        var topics = publisher.settings().topics();
        publisher.warmUp(topics.executions(), topics.results(), topics.audit());
        state.catchUp();
    }

    /**
     * The Kafka handler: one item record in, its audit events and result out. An item whose run already
     * finished gets its recorded result again (no second run); an apply that started but never finished is
     * not re-run but ends indeterminate (unless the operation declares its apply idempotent); an item of a
     * halted batch is skipped.
     */
    public void handle(IncomingRecord record) throws Exception {
        Instant taken = clock.instant(); // the result's started_at: what follows is part of the item's time
        ItemMessage item = Json.convert(record.json(), ItemMessage.class);
        Span span = Tracing.startItemSpan("execute item", item.batchId(), item.itemId(), item.operation(),
                item.phase().wire());
        try (Scope scope = span.makeCurrent()) {
            ResultMessage result = handle(item, taken);
            span.setAttribute(Tracing.STATUS, result.skipped() != null ? "skipped" : result.indeterminate() != null
                    ? "indeterminate" : result.failure() != null ? "failure" : "finished");
            span.setAttribute("verops.attempts", result.attempts());
        } catch (Exception e) {
            Tracing.failed(span, e);
            throw e;
        } finally {
            span.end();
        }
    }

    private ResultMessage handle(ItemMessage item, Instant taken) throws Exception {
        Operation op = catalog.require(item.operation());
        long mark = StepTimes.now();
        state.catchUp();
        StepTimes.since("executor.catch_up", mark);
        String key = ExecutionRecord.key(item.batchId(), item.itemId(), item.phase());
        var previous = state.execution(key);
        ResultMessage result;
        if (previous.isPresent() && previous.get().state() == ExecutionRecord.State.FINISHED
                && previous.get().result() != null) {
            LOG.info("item {} of batch {} ({}) already finished; publishing its recorded result again", item.itemId(),
                    item.batchId(), item.phase().wire());
            publishResult(previous.get().result());
            return previous.get().result();
        }
        var halt = state.halt(item.batchId());
        if (halt.isPresent()) {
            result = ResultMessage.skipped(item, "batch halted: " + halt.get().reason(), clock.instant());
        } else if (previous.isPresent() && item.phase() == Phase.APPLY && !op.apply().idempotent()) {
            result = ResultMessage.indeterminate(item, "the apply started at " + previous.get().at() + " on "
                    + previous.get().executor() + " but no outcome was recorded (the executor stopped): check the "
                    + "target before running this item again", clock.instant());
        } else {
            ExecutionRecord started = new ExecutionRecord(item.batchId(), item.itemId(), item.phase(),
                    ExecutionRecord.State.STARTED, executorId, clock.instant(), null);
            mark = StepTimes.now();
            Future<RecordMetadata> startedAck = publisher.send(publisher.settings().topics().executions(), key, started);
            if (item.phase() == Phase.APPLY) {
                // at most once: the apply may change the world only once the broker holds its start
                Publisher.await(List.of(startedAck));
                StepTimes.since("executor.started_record", mark);
            }
            state.remember(started);
            result = executeOrReport(item, taken);
            if (item.phase() != Phase.APPLY) {
                // a dry run changes nothing, so it runs while its start is written; the start is still
                // acknowledged before the result, so the executions topic never holds an outcome without it
                mark = StepTimes.now();
                Publisher.await(List.of(startedAck));
                StepTimes.since("executor.started_record", mark);
            }
        }
        mark = StepTimes.now();
        publishResult(result);
        StepTimes.since("executor.result_record", mark);
        ExecutionRecord finished = new ExecutionRecord(item.batchId(), item.itemId(), item.phase(),
                ExecutionRecord.State.FINISHED, executorId, clock.instant(), result);
        mark = StepTimes.now();
        Publisher.await(List.of(publisher.send(publisher.settings().topics().executions(), key, finished)));
        StepTimes.since("executor.finished_record", mark);
        state.remember(finished);
        return result;
    }

    /**
     * Runs the item; when the executor itself cannot (codex will not start, its work folder cannot be written), the
     * item still gets a result, so its batch completes: a dry run fails with the reason, an apply ends
     * indeterminate (whether its target changed is not known). A stop's interruption is passed on: the item is
     * redelivered.
     */
    private ResultMessage executeOrReport(ItemMessage item, Instant taken) throws InterruptedException {
        try {
            return execute(item, taken);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("stopped while running item " + item.itemId());
            }
            String reason = "the executor could not run the item: " + e.getMessage();
            LOG.error("item {} of batch {} ({}): {}", item.itemId(), item.batchId(), item.phase().wire(), reason, e);
            if (item.phase() == Phase.APPLY) {
                return ResultMessage.indeterminate(item, reason + "; check the target before running this item again",
                        clock.instant());
            }
            Instant now = clock.instant();
            return new ResultMessage(item.batchId(), item.operation(), item.itemId(), item.row(), item.phase(), 0,
                    false, null, null, reason, Usage.ZERO, 0, now, now, 0, null, null);
        }
    }

    private void publishResult(ResultMessage result) {
        Publisher.await(List.of(publisher.send(publisher.settings().topics().results(), result.key(), result)));
    }

    /** Runs one item (with at most one retry) and publishes its audit events; returns its result. */
    public ResultMessage execute(ItemMessage item) throws IOException, InterruptedException {
        return execute(item, clock.instant());
    }

    /** As {@link #execute(ItemMessage)}, for an item the executor took at {@code taken} (its result's start). */
    private ResultMessage execute(ItemMessage item, Instant taken) throws IOException, InterruptedException {
        Operation op = catalog.require(item.operation());
        long mark = StepTimes.now();
        Path db = targets.prepare(op);
        StepTimes.since("executor.target_setup", mark);
        String prompt = Prompt.build(op, item, db == null ? null : db.toString());
        // secret fields' values never leave the codex process in evidence: audit, hook decisions, logs
        Redactor redact = Redactor.of(op, item.fields());
        Path itemDir = settings.workRoot().resolve(safe(item.batchId())).resolve(safe(item.itemId()))
                .resolve(item.phase().wire());
        Instant started = taken;
        int seq = 0;
        long codexMillis = 0;
        Usage usage = Usage.ZERO;
        String firstFailure = null;
        CodexRun run = null;
        RunAnalysis analysis = null;
        int attempt = 0;
        List<JsonNode> decisions = List.of();
        List<Future<RecordMetadata>> audit = new ArrayList<>();
        while (true) {
            attempt++;
            Span attemptSpan = Tracing.tracer().spanBuilder("attempt " + attempt)
                    .setAttribute(Tracing.ATTEMPT, attempt).startSpan();
            try (Scope attemptScope = attemptSpan.makeCurrent()) {
                Path attemptDir = itemDir.resolve("attempt-" + attempt);
                Path workspace = attemptDir.resolve("workspace");
                Path codexHome = attemptDir.resolve("codex-home");
                Files.createDirectories(workspace);
                Files.createDirectories(codexHome);
                Path lastMessage = attemptDir.resolve("last-message.txt");
                SandboxMode sandbox = CodexCommand.sandbox(op, item.phase(), settings.sandboxBypass());
                List<String> argv = new ArrayList<>(CodexCommand.argv(settings.codexBinary(), op, item.phase(),
                        settings.endpoint(), workspace, lastMessage, db == null ? List.of() : List.of(db.getParent()),
                        prompt, settings.sandboxBypass()));
                // the hooks that gate every tool call go in before the "--" that ends the options
                Path decisionsLog = attemptDir.resolve("hook-decisions.jsonl");
                mark = StepTimes.now();
                argv.addAll(argv.size() - 2, Hooks.install(codexHome, op, item.phase(), decisionsLog));
                StepTimes.since("executor.hooks_install", mark);
                CodexCommand.requireNoBypass(argv, sandbox.bypassesSandbox() ? settings.sandboxBypass()
                        : SandboxBypass.REFUSED);
                // the provenance of the attempt: which codex, which model provider, which hook policy
                audit.add(publisher.send(publisher.settings().topics().audit(), item.batchId(), new AuditMessage(
                        item.batchId(), op.name(), item.itemId(), item.phase(), attempt, seq, "verops",
                        attemptStarted(op, item.phase(), attempt), clock.instant())));
                // the evidence of every attempt says which sandbox codex ran in, and whether it was bypassed
                audit.add(publisher.send(publisher.settings().topics().audit(), item.batchId(), new AuditMessage(
                        item.batchId(), op.name(), item.itemId(), item.phase(), attempt, seq, "verops",
                        sandboxEvent(op, sandbox), clock.instant())));
                if (sandbox.bypassesSandbox()) {
                    LOG.warn("item {} of batch {} ({}): codex runs without its sandbox (operation {} declares "
                            + "danger-full-access; verops.executor.allow-sandbox-bypass=true)", item.itemId(),
                            item.batchId(), item.phase().wire(), op.name());
                }
                Map<String, String> env = new HashMap<>();
                env.put("CODEX_HOME", codexHome.toString());
                env.put("NO_COLOR", "1");
                // a home of the attempt's own: no login profile of the machine's user runs in codex's shells and hooks
                env.put("HOME", codexHome.toString());
                Duration limit = settings.timeoutFor(op);
                // the codex process is a span of its own; TRACEPARENT makes codex's spans its children when codex exports
                Span codexSpan = Tracing.tracer().spanBuilder("codex exec").setSpanKind(SpanKind.CLIENT).startSpan();
                Tracing.carrier(codexSpan.getSpanContext()).forEach((k, v) -> env.put(k.toUpperCase(Locale.ROOT), v));
                try {
                    mark = StepTimes.now();
                    run = CodexProcess.run(Niceness.wrap(argv, settings.codexNice()), env, attemptDir, lastMessage,
                            limit);
                    StepTimes.record("executor.codex_process", run.millis() * 1000);
                    StepTimes.record("executor.read_events", (StepTimes.now() - mark) / 1000 - run.millis() * 1000);
                    if (codexSpan.isRecording()) {
                        codexSpan.setAttribute("process.command", "codex exec");
                        codexSpan.setAttribute("verops.sandbox", sandbox.wire());
                        codexSpan.setAttribute("verops.codex.events", run.events().size());
                        if (run.exitCode() != null) {
                            codexSpan.setAttribute("process.exit.code", run.exitCode());
                        }
                        if (run.timedOut()) {
                            codexSpan.setStatus(StatusCode.ERROR, "timeout after " + limit.toSeconds() + " s");
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    Tracing.failed(codexSpan, e);
                    throw e;
                } finally {
                    codexSpan.end();
                }
                mark = StepTimes.now();
                codexMillis += run.millis();
                VeropsMetrics.agentRun(op.name(), item.phase(), Duration.ofMillis(run.millis()));
                analysis = RunAnalysis.of(run, (int) limit.toSeconds());
                usage = usage.plus(analysis.usage());
                for (JsonNode event : run.events()) {
                    AuditMessage a = new AuditMessage(item.batchId(), op.name(), item.itemId(), item.phase(), attempt,
                            seq++, "codex", redact.json(event), clock.instant());
                    audit.add(publisher.send(publisher.settings().topics().audit(), item.batchId(), a));
                }
                decisions = Hooks.decisions(decisionsLog).stream().map(redact::json).toList();
                for (JsonNode d : decisions) {
                    if ("verops.hook.blocked".equals(d.path("type").asText())) {
                        VeropsMetrics.blockedCommand(op.name());
                    }
                    audit.add(publisher.send(publisher.settings().topics().audit(), item.batchId(), new AuditMessage(
                            item.batchId(), op.name(), item.itemId(), item.phase(), attempt, seq, "verops", d, clock.instant())));
                }
                StepTimes.since("executor.audit_send", mark);
                if (analysis.finished()) {
                    break;
                }
                attemptSpan.setStatus(StatusCode.ERROR, redact.text(analysis.failure()));
                if (firstFailure == null) {
                    firstFailure = analysis.failure();
                }
                if (!analysis.retryAllowed(attempt, item.phase() == Phase.APPLY, op.apply().idempotent())) {
                    break;
                }
                Duration wait = backoff(op, attempt);
                var retry = Json.mapper().createObjectNode();
                retry.put("type", "verops.retry");
                retry.put("attempt", attempt);
                retry.put("reason", redact.text(analysis.failure()));
                retry.put("backoff_ms", wait.toMillis());
                audit.add(publisher.send(publisher.settings().topics().audit(), item.batchId(), new AuditMessage(
                        item.batchId(), op.name(), item.itemId(), item.phase(), attempt, seq, "verops", retry, clock.instant())));
                LOG.info("item {} of batch {}: transient failure ({}), retrying once in {} ms", item.itemId(),
                        item.batchId(), redact.text(analysis.failure()), wait.toMillis());
                VeropsMetrics.retry(op.name(), item.phase());
                attemptSpan.addEvent("verops.retry");
                Thread.sleep(wait.toMillis());
            } finally {
                attemptSpan.end();
            }
        }
        VeropsMetrics.tokens(op.name(), usage);
        mark = StepTimes.now();
        Publisher.await(audit);
        StepTimes.since("executor.audit_acks", mark);
        String failure = null;
        if (!analysis.finished()) {
            failure = analysis.failure();
            if (firstFailure != null && !firstFailure.equals(failure)) {
                failure = failure + " (first attempt: " + firstFailure + ")";
            } else if (attempt > 1) {
                failure = failure + " (on both attempts)";
            }
        }
        return new ResultMessage(item.batchId(), op.name(), item.itemId(), item.row(), item.phase(), attempt,
                attempt > 1, run.exitCode(), analysis.finished() ? run.lastMessage() : null, failure, usage, seq,
                started, clock.instant(), codexMillis, null, null)
                .withEvidence(EvidenceSummary.of(redact.active() ? run.events().stream().map(redact::json).toList()
                        : run.events(), decisions));
    }

    /**
     * The audit event of one attempt's sandbox: {@code {"type":"verops.sandbox","mode":...,"declared":...,
     * "bypass":...}}, with {@code "allowed_by"} naming the deployment's key when codex ran without its sandbox.
     */
    static JsonNode sandboxEvent(Operation op, SandboxMode mode) {
        var e = Json.mapper().createObjectNode();
        e.put("type", "verops.sandbox");
        e.put("mode", mode.wire());
        e.put("declared", op.sandbox());
        e.put("bypass", mode.bypassesSandbox());
        if (mode.bypassesSandbox()) {
            e.put("allowed_by", "verops.executor.allow-sandbox-bypass=true");
        }
        return e;
    }

    /** codex's version, asked once (at {@link #prepare()}, or at the first attempt when it was not called). */
    private String codexVersion() {
        String version = codexVersion;
        if (version == null) {
            version = io.verops.core.CodexVersion.probe(settings.codexBinary());
            codexVersion = version;
        }
        return version;
    }

    /** The provenance of one attempt's codex run: which codex, which model provider, which hook policy. */
    private JsonNode attemptStarted(Operation op, Phase phase, int attempt) {
        String version = codexVersion();
        var event = Json.mapper().createObjectNode();
        event.put("type", AuditMessage.ATTEMPT_STARTED);
        event.put("attempt", attempt);
        event.put("codex_version", version);
        event.put("model_provider", settings.endpoint().providerId());
        event.put("hook_policy_sha256", Hooks.policySha256(op, phase));
        return event;
    }

    /** The operation's backoff when it declares one, else the executor's base, doubled per attempt; with jitter. */
    private Duration backoff(Operation op, int attempt) {
        double jitter = 0.5 + ThreadLocalRandom.current().nextDouble();
        Operation.Retry retry = op.retry() != null ? op.retry()
                : new Operation.Retry(settings.retryBackoff().toMillis(), 2.0, Math.max(30_000, settings.retryBackoff().toMillis()));
        return retry.backoff(attempt, jitter);
    }

    /** A folder name for an id: safe characters kept, anything else replaced, plus a short digest. */
    static String safe(String id) {
        String s = id.replaceAll("[^A-Za-z0-9._@-]", "_");
        if (s.length() > 60) {
            s = s.substring(0, 60);
        }
        return s + "-" + Integer.toHexString(id.hashCode() & 0xfffffff);
    }
}
