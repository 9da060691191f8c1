package io.verops.archiver;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.verops.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The evidence bundles under a reports folder ({@code <reports>/<operation>/<batch-id>/}), listed and summarised
 * for the archiver's HTTP API. Only whole bundles count: a folder is a bundle when its manifest.json exists (the
 * writer renames a finished bundle into place, so a temporary folder is never seen). Bundles are never rewritten,
 * so each summary is read once and kept.
 */
public final class BundleIndex {
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}");
    /** The files a client may ask for by name. */
    public static final Map<String, String> FILES = Map.of(
            "report.json", "application/json",
            "report.csv", "text/csv; charset=UTF-8",
            "results.csv", "text/csv; charset=UTF-8",
            "needs-input.csv", "text/csv; charset=UTF-8",
            "report.html", "text/html; charset=UTF-8",
            "audit.jsonl", "application/x-ndjson",
            "manifest.json", "application/json",
            "public-key.pem", "application/x-pem-file");

    private final Path reports;
    private final Map<Path, Summary> cache = new ConcurrentHashMap<>();

    public BundleIndex(Path reports) {
        this.reports = Objects.requireNonNull(reports, "reports == null");
    }

    /**
     * A batch's bundle as the API shows it.
     *
     * @param status {@code halted} (a gate or an operator halted it), {@code rejected} (its apply was rejected),
     *               {@code failed} (an item failed or is indeterminate), {@code needs_input} (no failure, but rows
     *               need input), else {@code succeeded}
     */
    public record Summary(String batchId, String operation, boolean dryRun, String status, int totalItems,
                          int succeeded, int failed, int skipped, int needsInput, int indeterminate,
                          Instant startedAt, Instant finishedAt, JsonNode approval, JsonNode gates, JsonNode halts,
                          JsonNode dryRunBundle, JsonNode input, Path dir) {
        /** The summary as JSON, with links to the bundle's files under {@code base} ({@code /batches/<id>}). */
        public ObjectNode toJson(String base) {
            ObjectNode o = Json.mapper().createObjectNode();
            o.put("batch_id", batchId).put("operation", operation).put("dry_run", dryRun)
                    .put("phase", dryRun ? "dry_run" : "apply").put("status", status);
            ObjectNode counts = o.putObject("counts");
            counts.put("total_items", totalItems).put("succeeded", succeeded).put("failed", failed)
                    .put("skipped", skipped).put("needs_input", needsInput).put("indeterminate", indeterminate);
            o.put("started_at", startedAt == null ? null : startedAt.toString());
            o.put("finished_at", finishedAt == null ? null : finishedAt.toString());
            putIfPresent(o, "input", input);
            putIfPresent(o, "approval", approval);
            putIfPresent(o, "gates", gates);
            putIfPresent(o, "halts", halts);
            if (dryRunBundle != null && dryRunBundle.isObject()) {
                String path = dryRunBundle.path("path").asText();
                String dryId = path.substring(path.lastIndexOf('/') + 1);
                o.putObject("dry_run_bundle").put("batch_id", dryId)
                        .put("manifest_sha256", dryRunBundle.path("manifest_sha256").asText())
                        .put("href", "/batches/" + dryId);
            }
            ObjectNode links = o.putObject("links");
            links.put("self", base).put("report_json", base + "/report.json").put("report_csv", base + "/report.csv")
                    .put("report_html", base + "/report.html").put("bundle", base + "/bundle");
            return o;
        }

        private static void putIfPresent(ObjectNode o, String name, JsonNode value) {
            if (value != null && !value.isMissingNode() && !value.isNull()) {
                o.set(name, value);
            }
        }
    }

    /** What a listing keeps: each filter is optional (null). */
    public record Filter(String operation, String status, Boolean dryRun, Instant since, Instant until) {
        public boolean matches(Summary s) {
            return (operation == null || operation.equals(s.operation()))
                    && (status == null || status.equals(s.status()))
                    && (dryRun == null || dryRun == s.dryRun())
                    && (since == null || (s.startedAt() != null && !s.startedAt().isBefore(since)))
                    && (until == null || (s.startedAt() != null && s.startedAt().isBefore(until)));
        }
    }

    public static final List<String> STATUSES = List.of("succeeded", "needs_input", "failed", "halted", "rejected");

    /**
     * A date ({@code 2026-06-01}, the start of that day in UTC) or an instant ({@code 2026-06-01T10:00:00Z}, an
     * offset allowed); empty for null or blank; a clear {@link IllegalArgumentException} otherwise.
     */
    public static Optional<Instant> parseTime(String name, String value, boolean endOfDay) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.trim();
        try {
            LocalDate d = LocalDate.parse(v);
            return Optional.of((endOfDay ? d.plusDays(1) : d).atStartOfDay(ZoneOffset.UTC).toInstant());
        } catch (DateTimeParseException e) {
            // not a plain date
        }
        try {
            return Optional.of(java.time.OffsetDateTime.parse(v).toInstant());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " '" + value + "' is neither a date (2026-06-01) nor a date-time "
                    + "with an offset (2026-06-01T10:00:00Z)");
        }
    }

    /** The operations that have a folder of bundles. */
    public List<String> operations() throws IOException {
        List<String> out = new ArrayList<>();
        if (Files.isDirectory(reports)) {
            try (DirectoryStream<Path> ops = Files.newDirectoryStream(reports, Files::isDirectory)) {
                ops.forEach(op -> out.add(op.getFileName().toString()));
            }
        }
        return out;
    }

    /** Every whole bundle that matches, newest first (by start time, then batch id). */
    public List<Summary> list(Filter filter) throws IOException {
        List<Summary> out = new ArrayList<>();
        if (!Files.isDirectory(reports)) {
            return out;
        }
        try (DirectoryStream<Path> ops = Files.newDirectoryStream(reports, Files::isDirectory)) {
            for (Path op : ops) {
                if (filter.operation() != null && !op.getFileName().toString().equals(filter.operation())) {
                    continue;
                }
                try (DirectoryStream<Path> batches = Files.newDirectoryStream(op, Files::isDirectory)) {
                    for (Path dir : batches) {
                        if (!dir.getFileName().toString().startsWith(".")) {
                            summary(dir).filter(filter::matches).ifPresent(out::add);
                        }
                    }
                }
            }
        }
        out.sort(Comparator.comparing(Summary::startedAt, Comparator.nullsLast(Comparator.reverseOrder()))
                .thenComparing(Summary::batchId, Comparator.reverseOrder()));
        return out;
    }

    /** The bundle folder of a batch id ({@code <id>.dry-run} for its dry run), or empty. Unsafe ids find nothing. */
    public Optional<Path> find(String batchId) {
        if (batchId == null || !SAFE_ID.matcher(batchId).matches() || !Files.isDirectory(reports)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> ops = Files.newDirectoryStream(reports, Files::isDirectory)) {
            for (Path op : ops) {
                Path candidate = op.resolve(batchId);
                if (Files.isRegularFile(candidate.resolve(Manifest.FILE))) {
                    return Optional.of(candidate);
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** The summary of a batch id's bundle, or empty. */
    public Optional<Summary> get(String batchId) throws IOException {
        Optional<Path> dir = find(batchId);
        return dir.isEmpty() ? Optional.empty() : summary(dir.get());
    }

    private Optional<Summary> summary(Path dir) throws IOException {
        if (!Files.isRegularFile(dir.resolve(Manifest.FILE)) || !Files.isRegularFile(dir.resolve("report.json"))) {
            return Optional.empty();
        }
        Summary cached = cache.get(dir);
        if (cached != null) {
            return Optional.of(cached);
        }
        ObjectNode top = readTopLevel(dir.resolve("report.json"));
        int failed = top.path("failed").asInt();
        int indeterminate = top.path("indeterminate").asInt();
        int needsInput = top.path("needs_input").asInt();
        String status;
        if (top.path("halts").isArray() && !top.path("halts").isEmpty()) {
            status = "halted";
        } else if ("rejected".equals(top.path("approval").path("decision").asText())) {
            status = "rejected";
        } else if (failed + indeterminate > 0) {
            status = "failed";
        } else if (needsInput > 0) {
            status = "needs_input";
        } else {
            status = "succeeded";
        }
        Summary s = new Summary(top.path("batch_id").asText(dir.getFileName().toString()), top.path("operation").asText(),
                top.path("dry_run").asBoolean(), status, top.path("total_items").asInt(), top.path("succeeded").asInt(),
                failed, top.path("skipped").asInt(), needsInput, indeterminate, instant(top.path("started_at")),
                instant(top.path("finished_at")), top.get("approval"), top.get("gates"), top.get("halts"),
                top.get("dry_run_bundle"), top.get("input"), dir);
        cache.put(dir, s);
        return Optional.of(s);
    }

    /** report.json without its results (which may be large): only the top-level members are kept. */
    private static ObjectNode readTopLevel(Path file) throws IOException {
        ObjectNode out = Json.mapper().createObjectNode();
        try (InputStream in = Files.newInputStream(file); JsonParser p = Json.mapper().getFactory().createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException(file + " is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals("results")) {
                    p.skipChildren();
                } else {
                    out.set(name, Json.mapper().readTree(p));
                }
            }
        }
        return out;
    }

    private static Instant instant(JsonNode n) {
        try {
            return n == null || !n.isTextual() ? null : Instant.parse(n.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * Writes the whole bundle as a zip whose entries sit under a folder named after the bundle, in name order, so
     * that unzipping it gives a folder {@code verops verify} accepts.
     */
    public static void zip(Path bundle, OutputStream out) throws IOException {
        String root = bundle.getFileName().toString();
        List<Path> files;
        try (Stream<Path> s = Files.list(bundle)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        ZipOutputStream zip = new ZipOutputStream(out);
        zip.putNextEntry(new ZipEntry(root + "/"));
        zip.closeEntry();
        for (Path f : files) {
            ZipEntry e = new ZipEntry(root + "/" + f.getFileName());
            e.setLastModifiedTime(Files.getLastModifiedTime(f));
            zip.putNextEntry(e);
            Files.copy(f, zip);
            zip.closeEntry();
        }
        zip.finish();
        zip.flush();
    }
}
