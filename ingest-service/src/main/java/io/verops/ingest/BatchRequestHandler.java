package io.verops.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.verops.core.BatchIds;
import io.verops.core.Phase;
import io.verops.core.kafka.IncomingRecord;
import io.verops.core.kafka.RecordRefusedException;
import io.verops.core.operation.Operation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A batch request from the batches topic ({@code schemas/batch-request.json}), planned and published by the ingest
 * stage as {@code POST /batches} does: its items go to the dry run first. The rows come inline ({@code rows}, read
 * as a JSON array of objects exactly as written, so numbers keep their digits), as a file's text ({@code content}
 * in {@code format}), or as a file the service may read ({@code file}, see {@link RequestFiles}).
 *
 * <p>A request that cannot be carried out is refused with a {@link RecordRefusedException} whose message names
 * what is wrong (the input, row, field and reason), and nothing of it is published: the stage loop dead-letters it
 * with that reason and goes on. A request whose {@code batch_id} is already on batch-events is refused as a
 * duplicate ({@code batch id '...' already accepted}): an upstream retry never publishes a batch twice.
 */
public final class BatchRequestHandler {
    private static final Logger LOG = LoggerFactory.getLogger(BatchRequestHandler.class);
    private static final JsonFactory JSON = new JsonFactory();
    private static final List<String> SOURCES = List.of("rows", "content", "file");

    private final IngestStage stage;
    private final AcceptedBatchIds accepted;
    private final RequestFiles files;
    private final Clock clock;

    public BatchRequestHandler(IngestStage stage, AcceptedBatchIds accepted, RequestFiles files, Clock clock) {
        this.stage = Objects.requireNonNull(stage, "stage == null");
        this.accepted = Objects.requireNonNull(accepted, "accepted == null");
        this.files = Objects.requireNonNull(files, "files == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    /**
     * Plans and publishes the batch of one request; returns its plan once Kafka has the accepted event and every
     * item.
     *
     * @throws RecordRefusedException for a request that is refused (nothing of it was published)
     */
    public BatchPlan handle(IncomingRecord record) {
        JsonNode request = record.json();
        String operation = request.path("operation").asText();
        String givenId = text(request, "batch_id");
        if (givenId != null && !BatchIds.isValid(givenId)) {
            throw new RecordRefusedException("batch_id '" + givenId + "' is not valid: use 1 to 64 letters, digits, "
                    + "'.', '_' or '-', not starting with '.'");
        }
        if (stage.catalog().find(operation).isEmpty()) {
            throw new RecordRefusedException("unknown operation '" + operation + "' (known: " + stage.catalog().all()
                    .stream().map(Operation::name).sorted().collect(Collectors.joining(", ")) + ")");
        }
        if (givenId != null && accepted.contains(givenId)) {
            throw new RecordRefusedException("batch id '" + givenId + "' already accepted: this request is not "
                    + "published again (a retry of an earlier request?); give a new batch_id for a new batch");
        }
        String batchId = givenId != null ? givenId : BatchIds.next(clock);
        BatchPlan plan;
        try {
            BatchInput input = input(record);
            plan = stage.plan(operation, batchId, Phase.DRY_RUN, input);
            stage.publish(plan);
        } catch (BatchRefusedException e) {
            throw new RecordRefusedException("batch refused, nothing of it was published: "
                    + String.join("; ", e.problems()), e);
        }
        accepted.add(batchId);
        LOG.info("batch request {}-{}@{}: batch {} of {} published ({} rows, {} items, {} not executed)",
                record.topic(), record.partition(), record.offset(), batchId, operation, plan.totalRows(),
                plan.items().size(), plan.notExecuted().size());
        return plan;
    }

    /** The request's rows as a batch input; refuses a request that gives them in more than one way. */
    private BatchInput input(IncomingRecord record) {
        JsonNode request = record.json();
        List<String> given = SOURCES.stream().filter(request::has).toList();
        if (given.size() != 1) {
            throw new BatchRefusedException("give exactly one of 'rows', 'content' with 'format', or 'file' (it gives "
                    + (given.isEmpty() ? "none of them" : given.stream().map(s -> "'" + s + "'")
                    .collect(Collectors.joining(" and "))) + ")");
        }
        String format = text(request, "format");
        return switch (given.get(0)) {
            case "rows" -> {
                if (format != null && BatchFormat.fromName(format).orElse(null) != BatchFormat.JSON) {
                    throw new BatchRefusedException("format '" + format + "' does not apply to 'rows', which are JSON "
                            + "objects: leave 'format' out, or send the file's text as 'content'");
                }
                yield new BatchInput("rows", BatchFormat.JSON, rowsAsWritten(record.value())
                        .getBytes(StandardCharsets.UTF_8));
            }
            case "content" -> new BatchInput("content", BatchFormat.select(format, null, null),
                    request.get("content").asText().getBytes(StandardCharsets.UTF_8));
            default -> files.read(request.get("file").asText(), format);
        };
    }

    /**
     * The text of the request's {@code rows} array exactly as the request holds it (a number such as {@code 1000.10}
     * keeps its digits, which a JSON tree would not). A key given twice at the top of the request is refused.
     */
    static String rowsAsWritten(String request) {
        String rows = null;
        Set<String> keys = new HashSet<>();
        List<String> twice = new ArrayList<>();
        try (JsonParser p = JSON.createParser(request)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new BatchRefusedException("the request is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (!keys.add(name)) {
                    twice.add("'" + name + "'");
                }
                JsonToken value = p.nextToken();
                if (name.equals("rows") && value == JsonToken.START_ARRAY) {
                    int start = (int) p.currentTokenLocation().getCharOffset();
                    p.skipChildren();
                    rows = request.substring(start, (int) p.currentTokenLocation().getCharOffset() + 1);
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new BatchRefusedException("the request is not valid JSON: " + (e instanceof
                    com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage())
                    .lines().findFirst().orElse(""));
        }
        if (!twice.isEmpty()) {
            throw new BatchRefusedException("the request gives the key " + String.join(", ", twice)
                    + " more than once; give each key once");
        }
        if (rows == null) {
            throw new BatchRefusedException("the request's 'rows' is not an array of objects");
        }
        return rows;
    }

    private static String text(JsonNode request, String field) {
        JsonNode n = request.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }
}
