package io.verops.archiver;

import com.fasterxml.jackson.databind.JsonNode;
import io.verops.archiver.internal.Csv;
import io.verops.archiver.internal.Dsse;
import io.verops.core.Json;
import io.verops.core.internal.Digests;
import io.verops.core.messages.AuditMessage;
import io.verops.core.schema.MessageSchemas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Checks an evidence bundle offline, in this order, and stops at the first discrepancy, naming it:
 * <ol>
 * <li>the DSSE signature of manifest.json, with the given public key or else the bundled public-key.pem;</li>
 * <li>every file's SHA-256 against the signed statement, and no file missing or extra;</li>
 * <li>the audit.jsonl hash chain, from the first line to the last;</li>
 * <li>report.json against {@code schemas/batch-report.json};</li>
 * <li>the counts against the results, and results.csv / needs-input.csv against report.json;</li>
 * <li>the results against the audit (every executed item has its codex events, no event belongs to an unknown
 * item, each item's recorded verdict and the final counts agree), the provenance against the report, and the
 * link to the dry-run bundle when that bundle is present.</li>
 * </ol>
 * Pure reading: the bundle is never changed.
 */
public final class BundleVerifier {
    private static final List<String> REQUIRED = List.of("report.json", "results.csv", "audit.jsonl");
    private static final Map<String, String> COUNT_OF_STATUS = Map.of("succeeded", "success", "failed", "failure",
            "skipped", "skipped", "needs_input", "needs_input", "indeterminate", "indeterminate");
    private static final List<String> COUNTS = List.of("succeeded", "failed", "skipped", "needs_input", "indeterminate");

    /**
     * The outcome: {@code ok} with a one-line summary, or not with the first discrepancy.
     *
     * @param checks what held, step by step (up to the failing step)
     */
    public record Result(boolean ok, String message, List<String> checks) {
        public Result {
            checks = List.copyOf(checks);
        }
    }

    /** A discrepancy: the message names the file, line or entry, and the values. */
    private static final class Discrepancy extends Exception {
        Discrepancy(String message) {
            super(message, null, false, false);
        }
    }

    private final Path bundle;
    private final Path keyFile;
    private final List<String> checks = new ArrayList<>();

    private BundleVerifier(Path bundle, Path keyFile) {
        this.bundle = bundle;
        this.keyFile = keyFile;
    }

    /**
     * Verifies a bundle.
     *
     * @param keyFile the signer's public key (X.509 SubjectPublicKeyInfo PEM), or null to use the bundled
     *                public-key.pem (which proves the bundle is intact, not who wrote it)
     * @throws IllegalArgumentException when the bundle is not a folder or the key file cannot be read as an Ed25519
     *                                  public key (a usage error, not a discrepancy)
     */
    public static Result verify(Path bundle, Path keyFile) {
        Objects.requireNonNull(bundle, "bundle == null");
        if (!Files.isDirectory(bundle)) {
            throw new IllegalArgumentException(bundle + ": not a folder" + (Files.exists(bundle) ? "" : " (no such path)"));
        }
        PublicKey given = null;
        if (keyFile != null) {
            given = readKeyFile(keyFile);
        }
        BundleVerifier v = new BundleVerifier(bundle, keyFile);
        try {
            return v.run(given);
        } catch (Discrepancy d) {
            return new Result(false, d.getMessage(), v.checks);
        }
    }

    private static PublicKey readKeyFile(Path keyFile) {
        String text;
        try {
            text = Files.readString(keyFile, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("--key " + keyFile + ": cannot read: " + e.getMessage(), e);
        }
        return SigningKey.readPublicKeyPem(text, "--key " + keyFile);
    }

    private Result run(PublicKey given) throws Discrepancy {
        String keyDescription = given != null ? "--key " + keyFile : "the bundled " + Manifest.PUBLIC_KEY_FILE;
        JsonNode statement = checkSignature(given, keyDescription);
        Map<String, String> subjects = checkFiles(statement);
        List<AuditLine> audit = checkAuditChain(statement.path("predicate"));
        JsonNode report = checkReportSchema();
        BatchReport parsed = checkCounts(report, subjects);
        String dryRun = checkAgainstAudit(report, parsed, audit, statement.path("predicate"));
        Map<String, Integer> byStatus = new LinkedHashMap<>();
        for (BatchReport.Entry e : parsed.results()) {
            byStatus.merge(e.status().wire(), 1, Integer::sum);
        }
        StringBuilder breakdown = new StringBuilder();
        byStatus.forEach((s, n) -> breakdown.append(breakdown.length() == 0 ? "" : ", ").append(n).append(' ').append(s));
        String summary = "OK " + bundle.getFileName() + ": signature valid (Ed25519, key " + shortHex(keyId) + " from "
                + keyDescription + "), " + (subjects.size() + 1) + " files match manifest.json, audit chain of "
                + audit.size() + " lines intact, report.json valid, " + parsed.results().size() + " items ("
                + breakdown + ") agree with results.csv and audit.jsonl" + dryRun;
        return new Result(true, summary, checks);
    }

    private String keyId;

    // 1. the signature -------------------------------------------------------------------------------------------

    private JsonNode checkSignature(PublicKey given, String keyDescription) throws Discrepancy {
        Path manifestFile = bundle.resolve(Manifest.FILE);
        if (!Files.isRegularFile(manifestFile)) {
            throw new Discrepancy(Manifest.FILE + ": missing from the bundle");
        }
        JsonNode env = parseJson(readBytes(manifestFile), Manifest.FILE);
        String payloadType = env.path("payloadType").asText(null);
        if (!env.isObject() || payloadType == null || !env.path("payload").isTextual() || !env.path("signatures").isArray()) {
            throw new Discrepancy(Manifest.FILE + ": not a DSSE envelope (payloadType, payload and signatures expected)");
        }
        if (!payloadType.equals(Manifest.PAYLOAD_TYPE)) {
            throw new Discrepancy(Manifest.FILE + ": payloadType is '" + payloadType + "', expected '" + Manifest.PAYLOAD_TYPE + "'");
        }
        byte[] payload;
        try {
            payload = Base64.getDecoder().decode(env.path("payload").asText());
        } catch (IllegalArgumentException e) {
            throw new Discrepancy(Manifest.FILE + ": payload is not base64");
        }
        PublicKey key = given;
        if (key == null) {
            Path pem = bundle.resolve(Manifest.PUBLIC_KEY_FILE);
            if (!Files.isRegularFile(pem)) {
                throw new Discrepancy(Manifest.PUBLIC_KEY_FILE + ": missing, and no --key given to check the signature with");
            }
            try {
                key = SigningKey.readPublicKeyPem(new String(readBytes(pem), StandardCharsets.US_ASCII), Manifest.PUBLIC_KEY_FILE);
            } catch (IllegalArgumentException e) {
                throw new Discrepancy(e.getMessage());
            }
        }
        keyId = SigningKey.keyIdOf(key);
        byte[] pae = Dsse.pae(payloadType, payload);
        List<String> named = new ArrayList<>();
        String validKeyId = null;
        for (JsonNode s : env.path("signatures")) {
            named.add(s.path("keyid").asText(""));
            byte[] sig;
            try {
                sig = Base64.getDecoder().decode(s.path("sig").asText(""));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (SigningKey.verify(key, pae, sig)) {
                validKeyId = s.path("keyid").asText("");
                break;
            }
        }
        if (named.isEmpty()) {
            throw new Discrepancy(Manifest.FILE + ": the envelope holds no signature");
        }
        if (validKeyId != null && !validKeyId.isEmpty() && !validKeyId.equals(keyId)) {
            // keyid is not covered by the signature; verops writes the key's id there, so a different one was edited
            throw new Discrepancy(Manifest.FILE + ": the signature verifies, but its keyid " + shortHex(validKeyId)
                    + " is not the id of the key from " + keyDescription + " (" + shortHex(keyId) + ")");
        }
        if (validKeyId == null) {
            throw new Discrepancy(Manifest.FILE + ": signature does not verify with the key from " + keyDescription
                    + " (key " + shortHex(keyId) + "; the envelope's signature names key "
                    + String.join(", ", named.stream().map(k -> k.isEmpty() ? "(none)" : shortHex(k)).toList()) + ")");
        }
        JsonNode statement = parseJson(payload, Manifest.FILE + " payload");
        if (!Manifest.STATEMENT_TYPE.equals(statement.path("_type").asText())) {
            throw new Discrepancy(Manifest.FILE + ": the statement's _type is '" + statement.path("_type").asText()
                    + "', expected '" + Manifest.STATEMENT_TYPE + "'");
        }
        if (!Manifest.PREDICATE_TYPE.equals(statement.path("predicateType").asText())) {
            throw new Discrepancy(Manifest.FILE + ": predicateType is '" + statement.path("predicateType").asText()
                    + "', expected '" + Manifest.PREDICATE_TYPE + "'");
        }
        checks.add("signature valid (key " + shortHex(keyId) + " from " + keyDescription + ")");
        return statement;
    }

    // 2. the files -----------------------------------------------------------------------------------------------

    private Map<String, String> checkFiles(JsonNode statement) throws Discrepancy {
        Map<String, String> subjects = new LinkedHashMap<>();
        JsonNode list = statement.path("subject");
        if (!list.isArray() || list.isEmpty()) {
            throw new Discrepancy(Manifest.FILE + ": the statement lists no subject");
        }
        for (JsonNode s : list) {
            String name = s.path("name").asText("");
            String sha = s.path("digest").path("sha256").asText("");
            if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")
                    || name.equals(Manifest.FILE)) {
                throw new Discrepancy(Manifest.FILE + ": subject '" + name + "' is not a file name of the bundle");
            }
            if (!sha.matches("[0-9a-f]{64}")) {
                throw new Discrepancy(Manifest.FILE + ": subject '" + name + "' has no sha256 digest");
            }
            if (subjects.put(name, sha) != null) {
                throw new Discrepancy(Manifest.FILE + ": subject '" + name + "' is listed twice");
            }
        }
        for (String r : REQUIRED) {
            if (!subjects.containsKey(r)) {
                throw new Discrepancy(Manifest.FILE + ": does not list " + r);
            }
        }
        for (Map.Entry<String, String> s : subjects.entrySet()) {
            Path f = bundle.resolve(s.getKey());
            if (!Files.isRegularFile(f)) {
                throw new Discrepancy(s.getKey() + ": listed in " + Manifest.FILE + " but missing from the bundle");
            }
            String actual = Digests.sha256Hex(f);
            if (!actual.equals(s.getValue())) {
                throw new Discrepancy(s.getKey() + ": SHA-256 mismatch (" + Manifest.FILE + " says " + shortHex(s.getValue())
                        + ", the file has " + shortHex(actual) + ")");
            }
        }
        Set<String> present = new TreeSet<>();
        try (Stream<Path> children = Files.list(bundle)) {
            children.forEach(p -> present.add(p.getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(bundle + ": cannot list: " + e.getMessage(), e);
        }
        present.remove(Manifest.FILE);
        present.removeAll(subjects.keySet());
        if (!present.isEmpty()) {
            String extra = present.iterator().next();
            throw new Discrepancy(extra + ": in the bundle but not listed in " + Manifest.FILE);
        }
        checks.add((subjects.size() + 1) + " files, each matching its SHA-256 in " + Manifest.FILE);
        return subjects;
    }

    // 3. the audit chain -----------------------------------------------------------------------------------------

    /** One parsed line of audit.jsonl (numbered from 1). */
    private record AuditLine(int number, JsonNode json) {
        String itemId() {
            return json.hasNonNull("item_id") ? json.path("item_id").asText() : null;
        }

        String type() {
            return json.path("event").path("type").asText("");
        }
    }

    private List<AuditLine> checkAuditChain(JsonNode predicate) throws Discrepancy {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(readBytes(bundle.resolve("audit.jsonl"))))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Discrepancy("audit.jsonl: not valid UTF-8");
        }
        if (text.isEmpty()) {
            throw new Discrepancy("audit.jsonl: empty");
        }
        String[] lines = text.split("\n", -1);
        int count = lines.length - 1; // the text ends with a line end, so the last split part is empty
        if (!lines[lines.length - 1].isEmpty()) {
            throw new Discrepancy("audit.jsonl line " + lines.length + ": no line end (the file is cut short)");
        }
        List<AuditLine> parsed = new ArrayList<>(count);
        String expectedPrev = AuditChain.GENESIS;
        String batchId = null;
        for (int i = 0; i < count; i++) {
            int n = i + 1;
            String line = lines[i];
            JsonNode json;
            try {
                json = Json.mapper().readTree(line);
            } catch (IOException e) {
                throw new Discrepancy("audit.jsonl line " + n + ": not JSON (" + firstLine(e.getMessage()) + ")");
            }
            if (json == null || !json.isObject()) {
                throw new Discrepancy("audit.jsonl line " + n + ": not a JSON object");
            }
            String prev = json.path("prev_sha256").asText("");
            if (!prev.equals(expectedPrev)) {
                throw new Discrepancy("audit.jsonl line " + n + ": chain broken (expected prev " + shortHex(expectedPrev)
                        + ", found " + (prev.isEmpty() ? "none" : shortHex(prev)) + ")");
            }
            if (!json.path("seq").canConvertToLong() || json.path("seq").asLong() != i) {
                throw new Discrepancy("audit.jsonl line " + n + ": seq is " + json.path("seq") + ", expected " + i);
            }
            String b = json.path("batch_id").asText("");
            if (batchId == null) {
                batchId = b;
            } else if (!batchId.equals(b)) {
                throw new Discrepancy("audit.jsonl line " + n + ": batch_id '" + b + "', but line 1 has '" + batchId + "'");
            }
            parsed.add(new AuditLine(n, json));
            expectedPrev = AuditChain.hashOf(line);
        }
        if (!parsed.get(0).type().equals(AuditChain.ACCEPTED)) {
            throw new Discrepancy("audit.jsonl line 1: the chain must start with " + AuditChain.ACCEPTED + ", found '"
                    + parsed.get(0).type() + "'");
        }
        AuditLine last = parsed.get(parsed.size() - 1);
        if (!last.type().equals(AuditChain.ARCHIVED)) {
            throw new Discrepancy("audit.jsonl line " + last.number() + ": the chain must end with " + AuditChain.ARCHIVED
                    + ", found '" + last.type() + "' (lines missing at the end?)");
        }
        JsonNode head = predicate.path("audit");
        if (head.isObject()) {
            if (head.path("lines").asLong() != count) {
                throw new Discrepancy("audit.jsonl: " + count + " lines, but " + Manifest.FILE + " records "
                        + head.path("lines").asLong());
            }
            if (!head.path("last_line_sha256").asText().equals(expectedPrev)) {
                throw new Discrepancy("audit.jsonl line " + count + ": SHA-256 " + shortHex(expectedPrev) + ", but "
                        + Manifest.FILE + " records " + shortHex(head.path("last_line_sha256").asText()) + " for the last line");
            }
        }
        checks.add("audit chain of " + count + " lines intact, from " + AuditChain.ACCEPTED + " to " + AuditChain.ARCHIVED);
        return parsed;
    }

    // 4. the schema ----------------------------------------------------------------------------------------------

    private JsonNode checkReportSchema() throws Discrepancy {
        JsonNode report = parseJson(readBytes(bundle.resolve("report.json")), "report.json");
        List<String> errors = MessageSchemas.named("batch-report.json").validate(report);
        if (!errors.isEmpty()) {
            throw new Discrepancy("report.json: does not match schemas/batch-report.json: " + errors.get(0)
                    + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : ""));
        }
        checks.add("report.json valid against schemas/batch-report.json");
        return report;
    }

    // 5. the counts ----------------------------------------------------------------------------------------------

    private BatchReport checkCounts(JsonNode report, Map<String, String> subjects) throws Discrepancy {
        JsonNode results = report.path("results");
        if (report.path("total_items").asLong() != results.size()) {
            throw new Discrepancy("report.json: total_items is " + report.path("total_items").asLong() + ", but results holds "
                    + results.size() + " entries");
        }
        Map<String, Integer> byStatus = new HashMap<>();
        Set<String> ids = new LinkedHashSet<>();
        Set<Long> rows = new java.util.HashSet<>();
        long[] usage = new long[4];
        String[] usageFields = {"input_tokens", "cached_input_tokens", "output_tokens", "reasoning_output_tokens"};
        for (int i = 0; i < results.size(); i++) {
            JsonNode e = results.get(i);
            byStatus.merge(e.path("status").asText(), 1, Integer::sum);
            if (!ids.add(e.path("item_id").asText())) {
                throw new Discrepancy("report.json results[" + i + "]: item_id '" + e.path("item_id").asText() + "' appears twice");
            }
            if (!rows.add(e.path("row").asLong())) {
                throw new Discrepancy("report.json results[" + i + "]: row " + e.path("row").asLong() + " appears twice");
            }
            for (int u = 0; u < usageFields.length; u++) {
                usage[u] += e.path("usage").path(usageFields[u]).asLong();
            }
        }
        for (String count : COUNTS) {
            String status = COUNT_OF_STATUS.get(count);
            long claimed = report.path(count).asLong();
            int actual = byStatus.getOrDefault(status, 0);
            if (claimed != actual) {
                throw new Discrepancy("report.json: " + count + " is " + claimed + ", but " + actual + " result"
                        + (actual == 1 ? " has" : "s have") + " status " + status);
            }
        }
        for (int u = 0; u < usageFields.length; u++) {
            long claimed = report.path("usage").path(usageFields[u]).asLong();
            if (claimed != usage[u]) {
                throw new Discrepancy("report.json: usage." + usageFields[u] + " is " + claimed + ", but the results add up to "
                        + usage[u]);
            }
        }
        BatchReport parsed;
        try {
            parsed = Json.convert(report, BatchReport.class);
        } catch (IllegalArgumentException e) {
            throw new Discrepancy("report.json: cannot be read: " + firstLine(e.getMessage()));
        }
        compareText("results.csv", ResultsCsv.render(parsed));
        checkNeedsInput(parsed, subjects);
        checks.add("counts agree with the " + results.size() + " results; results.csv"
                + (parsed.needsInput() > 0 ? " and " + NeedsInputCsv.FILE : "") + " agree with report.json");
        return parsed;
    }

    private void checkNeedsInput(BatchReport report, Map<String, String> subjects) throws Discrepancy {
        boolean present = subjects.containsKey(NeedsInputCsv.FILE);
        if (report.needsInput() == 0) {
            if (present) {
                throw new Discrepancy(NeedsInputCsv.FILE + ": present, but no result needs input");
            }
            return;
        }
        if (!present) {
            throw new Discrepancy(NeedsInputCsv.FILE + ": missing, but " + report.needsInput() + " result"
                    + (report.needsInput() == 1 ? " needs" : "s need") + " input");
        }
        String text = new String(readBytes(bundle.resolve(NeedsInputCsv.FILE)), StandardCharsets.UTF_8);
        List<List<String>> records;
        try {
            records = Csv.parse(text);
        } catch (IllegalArgumentException e) {
            throw new Discrepancy(NeedsInputCsv.FILE + ": not CSV: " + e.getMessage());
        }
        if (records.isEmpty()) {
            throw new Discrepancy(NeedsInputCsv.FILE + ": empty");
        }
        List<String> header = records.get(0);
        for (BatchReport.Entry e : report.results()) {
            if (e.status() != io.verops.core.ItemStatus.NEEDS_INPUT) {
                continue;
            }
            for (String f : e.fields() == null ? Set.<String>of() : e.fields().keySet()) {
                if (!header.contains(f)) {
                    throw new Discrepancy(NeedsInputCsv.FILE + ": the header lacks field '" + f + "' of row " + e.row());
                }
            }
        }
        compareText(NeedsInputCsv.FILE, NeedsInputCsv.render(header, report.results()));
    }

    private void compareText(String file, String expected) throws Discrepancy {
        String actual = new String(readBytes(bundle.resolve(file)), StandardCharsets.UTF_8);
        if (actual.equals(expected)) {
            return;
        }
        String[] a = actual.split("\r\n", -1);
        String[] x = expected.split("\r\n", -1);
        for (int i = 0; i < Math.max(a.length, x.length); i++) {
            String al = i < a.length ? a[i] : "(nothing)";
            String xl = i < x.length ? x[i] : "(nothing)";
            if (!al.equals(xl)) {
                throw new Discrepancy(file + " line " + (i + 1) + ": does not agree with report.json (found '"
                        + abbreviate(al) + "', report.json gives '" + abbreviate(xl) + "')");
            }
        }
        throw new Discrepancy(file + ": does not agree with report.json");
    }

    // 6. the results against the audit ---------------------------------------------------------------------------

    private String checkAgainstAudit(JsonNode report, BatchReport parsed, List<AuditLine> audit, JsonNode predicate)
            throws Discrepancy {
        String phase = parsed.dryRun() ? "dry_run" : "apply";
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < parsed.results().size(); i++) {
            index.put(parsed.results().get(i).itemId(), i);
        }
        Map<String, Integer> codexEvents = new HashMap<>();
        Map<String, AuditLine> firstCodexLine = new HashMap<>();
        Map<String, AuditLine> verdictLine = new HashMap<>();
        Map<String, Set<String>> attemptValues = new HashMap<>();
        for (AuditLine l : audit) {
            if (!l.json().path("batch_id").asText().equals(parsed.batchId())) {
                throw new Discrepancy("audit.jsonl line " + l.number() + ": batch " + l.json().path("batch_id").asText()
                        + ", but report.json is of batch " + parsed.batchId());
            }
            if (!l.json().path("phase").asText().equals(phase)) {
                throw new Discrepancy("audit.jsonl line " + l.number() + ": phase " + l.json().path("phase").asText()
                        + ", but report.json is of the " + phase + " phase");
            }
            String item = l.itemId();
            if (item == null) {
                continue;
            }
            if (!index.containsKey(item)) {
                throw new Discrepancy("audit.jsonl line " + l.number() + ": item '" + item + "' is not in report.json");
            }
            if (l.json().path("source").asText().equals("codex")) {
                codexEvents.merge(item, 1, Integer::sum);
                firstCodexLine.putIfAbsent(item, l);
            } else if (l.type().equals(AuditMessage.ATTEMPT_STARTED)) {
                for (String f : List.of("codex_version", "hook_policy_sha256")) {
                    String value = l.json().path("event").path(f).asText("");
                    if (!value.isBlank()) {
                        attemptValues.computeIfAbsent(f, k -> new TreeSet<>()).add(value);
                    }
                }
            } else if (l.type().equals(AuditChain.VERDICT)) {
                if (verdictLine.putIfAbsent(item, l) != null) {
                    throw new Discrepancy("audit.jsonl line " + l.number() + ": a second " + AuditChain.VERDICT
                            + " line for item '" + item + "' (the first is line " + verdictLine.get(item).number() + ")");
                }
            }
        }
        for (int i = 0; i < parsed.results().size(); i++) {
            BatchReport.Entry e = parsed.results().get(i);
            String where = "report.json results[" + i + "] (" + e.itemId() + ")";
            int events = codexEvents.getOrDefault(e.itemId(), 0);
            if (e.attempts() > 0 && events == 0) {
                throw new Discrepancy(where + ": executed (" + e.attempts() + " attempt" + (e.attempts() == 1 ? "" : "s")
                        + "), but audit.jsonl holds no codex event for it");
            }
            if (e.attempts() == 0 && events > 0) {
                throw new Discrepancy(where + ": not executed, but audit.jsonl holds " + events
                        + " codex events for it (first at line " + firstCodexLine.get(e.itemId()).number() + ")");
            }
            if (e.auditEvents() != null && e.auditEvents() != events) {
                throw new Discrepancy(where + ": audit_events is " + e.auditEvents() + ", but audit.jsonl holds " + events
                        + " codex events for it");
            }
            AuditLine v = verdictLine.get(e.itemId());
            if (v == null) {
                throw new Discrepancy(where + ": audit.jsonl holds no " + AuditChain.VERDICT + " line for it");
            }
            String recorded = v.json().path("event").path("status").asText();
            if (!recorded.equals(e.status().wire())) {
                throw new Discrepancy(where + ": status " + e.status().wire() + ", but audit.jsonl line " + v.number()
                        + " records " + recorded);
            }
        }
        AuditLine archived = audit.get(audit.size() - 1);
        JsonNode counts = archived.json().path("event");
        for (String c : List.of("total_items", "succeeded", "failed", "skipped", "needs_input", "indeterminate")) {
            if (counts.path(c).asLong(-1) != report.path(c).asLong()) {
                throw new Discrepancy("audit.jsonl line " + archived.number() + ": records " + c + " " + counts.path(c)
                        + ", but report.json says " + report.path(c).asLong());
            }
        }
        JsonNode accepted = audit.get(0).json().path("event");
        if (!accepted.path("input").path("sha256").asText().equals(parsed.input().sha256())) {
            throw new Discrepancy("audit.jsonl line 1: input SHA-256 " + shortHex(accepted.path("input").path("sha256").asText())
                    + ", but report.json says " + shortHex(parsed.input().sha256()));
        }
        checkProvenance(parsed, predicate, phase);
        checkRunProvenance(predicate, attemptValues);
        checks.add("every executed item has its codex events in audit.jsonl, no event belongs to an unknown item, "
                + "the recorded verdicts and counts agree");
        return checkDryRunLink(parsed);
    }

    private void checkProvenance(BatchReport report, JsonNode p, String phase) throws Discrepancy {
        String where = Manifest.FILE + " provenance";
        if (!p.path("batch_id").asText().equals(report.batchId())) {
            throw new Discrepancy(where + ": batch " + p.path("batch_id").asText() + ", but report.json is of batch "
                    + report.batchId());
        }
        if (!p.path("phase").asText().equals(phase)) {
            throw new Discrepancy(where + ": phase " + p.path("phase").asText() + ", but report.json is of the " + phase + " phase");
        }
        if (!p.path("operation").path("name").asText().equals(report.operation())) {
            throw new Discrepancy(where + ": operation " + p.path("operation").path("name").asText()
                    + ", but report.json says " + report.operation());
        }
        if (!p.path("input").path("sha256").asText().equals(report.input().sha256())) {
            throw new Discrepancy(where + ": input SHA-256 " + shortHex(p.path("input").path("sha256").asText())
                    + ", but report.json says " + shortHex(report.input().sha256()));
        }
        String approver = report.approval() == null || !"approved".equals(report.approval().decision()) ? null
                : report.approval().actor();
        String recorded = p.hasNonNull("approver") ? p.path("approver").asText() : null;
        if (!Objects.equals(approver, recorded)) {
            throw new Discrepancy(where + ": approver " + (recorded == null ? "none" : "'" + recorded + "'")
                    + ", but report.json says " + (approver == null ? "none" : "'" + approver + "'"));
        }
    }

    /**
     * The codex version and hook policy in the provenance against those the executor recorded before each attempt
     * (its {@code verops.attempt.started} lines), when it recorded them.
     */
    private void checkRunProvenance(JsonNode p, Map<String, Set<String>> recorded) throws Discrepancy {
        String where = Manifest.FILE + " provenance";
        Set<String> versions = recorded.get("codex_version");
        if (versions != null && !p.path("codex_version").asText().equals(String.join(", ", versions))) {
            throw new Discrepancy(where + ": codex version '" + p.path("codex_version").asText()
                    + "', but audit.jsonl records '" + String.join(", ", versions) + "'");
        }
        Set<String> policies = recorded.get("hook_policy_sha256");
        String policy = p.path("operation").path("hook_policy_sha256").asText("");
        if (policies != null && !policy.equals(String.join(", ", policies))) {
            throw new Discrepancy(where + ": hook policy SHA-256 " + (policy.isEmpty() ? "missing" : shortHex(policy))
                    + ", but audit.jsonl records " + String.join(", ", policies.stream().map(BundleVerifier::shortHex)
                    .toList()));
        }
    }

    private String checkDryRunLink(BatchReport report) throws Discrepancy {
        BatchReport.BundleLink link = report.dryRunBundle();
        if (link == null) {
            return "";
        }
        Path dry = bundle.resolve(link.path()).normalize();
        Path manifest = dry.resolve(Manifest.FILE);
        if (!Files.isRegularFile(manifest)) {
            checks.add("dry-run bundle " + link.path() + " not present beside this one: its link is not checked");
            return "; dry-run bundle " + link.path() + " not present, link not checked";
        }
        String actual = Digests.sha256Hex(manifest);
        if (!actual.equals(link.manifestSha256())) {
            throw new Discrepancy("report.json dry_run_bundle: " + link.path() + "/" + Manifest.FILE + " has SHA-256 "
                    + shortHex(actual) + ", but the link records " + shortHex(link.manifestSha256()));
        }
        checks.add("the dry-run bundle " + link.path() + " is the one linked (its manifest.json SHA-256 matches)");
        return "; dry-run bundle " + link.path() + " matches its link";
    }

    // helpers ----------------------------------------------------------------------------------------------------

    private static JsonNode parseJson(byte[] bytes, String what) throws Discrepancy {
        try {
            JsonNode n = Json.mapper().readTree(bytes);
            if (n == null || !n.isObject()) {
                throw new Discrepancy(what + ": not a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new Discrepancy(what + ": not JSON (" + firstLine(e.getMessage()) + ")");
        }
    }

    private static byte[] readBytes(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new UncheckedIOException(f + ": cannot read: " + e.getMessage(), e);
        }
    }

    static String shortHex(String hex) {
        return hex == null ? "none" : hex.length() <= 12 ? hex : hex.substring(0, 12) + "...";
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }
}
