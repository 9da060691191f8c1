package io.verops.archiver;

import com.fasterxml.jackson.databind.JsonNode;
import io.verops.core.internal.Digests;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * report.html: one self-contained page for people, rendered from report.json (and the bundle's provenance):
 * the counts, gates, approval, tokens, timings, and the items with their status, message and verification,
 * filterable by status. No external assets; every value is escaped; a Content-Security-Policy allows only the
 * page's own style and script (by hash), so that nothing from an item's data can run or load anything.
 */
public final class ReportPage {
    public static final String FILE = "report.html";
    /** The statuses in display order, with their labels. */
    private static final Map<String, String> STATUSES = statuses();

    private static final String STYLE = """
            body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
            header{background:#1d2330;color:#fff;padding:16px 24px}
            header h1{margin:0;font-size:20px}
            header p{margin:4px 0 0;color:#c8cdd8}
            main{padding:16px 24px;max-width:1400px}
            section{background:#fff;border:1px solid #dde1e8;border-radius:6px;padding:12px 16px;margin:0 0 16px}
            h2{font-size:16px;margin:0 0 8px}
            .counts{display:flex;flex-wrap:wrap;gap:12px}
            .count{border:1px solid #dde1e8;border-radius:6px;padding:8px 14px;min-width:110px}
            .count .n{display:block;font-size:24px;font-weight:600}
            table{border-collapse:collapse;width:100%}
            th,td{text-align:left;vertical-align:top;border-bottom:1px solid #e6e9ef;padding:6px 8px}
            th{background:#f0f2f5;font-weight:600}
            td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
            dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
            dt{color:#5b6475}
            dd{margin:0;word-break:break-all}
            .status{display:inline-block;border-radius:10px;padding:1px 8px;font-size:12px;font-weight:600;white-space:nowrap}
            .s-success{background:#dff3e4;color:#1b6b34}
            .s-failure{background:#fbe0e0;color:#9c1c1c}
            .s-skipped{background:#eceff3;color:#4a5262}
            .s-needs_input{background:#fff1d1;color:#845b00}
            .s-indeterminate{background:#ede3fb;color:#5a2d9c}
            .filters{display:flex;flex-wrap:wrap;gap:8px;margin:0 0 10px}
            .filters button{border:1px solid #b9c0cc;background:#fff;border-radius:14px;padding:3px 12px;cursor:pointer;font:inherit}
            .filters button[aria-pressed=true]{background:#1d2330;color:#fff;border-color:#1d2330}
            ul.checks{margin:0;padding-left:16px}
            .o-pass{color:#1b6b34}.o-fail{color:#9c1c1c;font-weight:600}.o-not_run{color:#5b6475}
            .msg{white-space:pre-wrap;word-break:break-word}
            .muted{color:#5b6475}
            tr[hidden]{display:none}
            """;

    private static final String SCRIPT = """
            (function () {
              var buttons = document.querySelectorAll('#status-filter button');
              var rows = document.querySelectorAll('#items tbody tr');
              var shown = document.getElementById('shown-count');
              function apply(status) {
                var n = 0;
                for (var i = 0; i < rows.length; i++) {
                  var visible = status === 'all' || rows[i].getAttribute('data-status') === status;
                  rows[i].hidden = !visible;
                  if (visible) { n++; }
                }
                for (var j = 0; j < buttons.length; j++) {
                  buttons[j].setAttribute('aria-pressed', String(buttons[j].getAttribute('data-filter') === status));
                }
                shown.textContent = String(n);
              }
              for (var k = 0; k < buttons.length; k++) {
                buttons[k].addEventListener('click', function (ev) { apply(ev.currentTarget.getAttribute('data-filter')); });
              }
              apply('all');
            })();
            """;

    private ReportPage() {
    }

    /**
     * The page of a report.
     *
     * @param report     report.json
     * @param provenance the manifest's predicate (versions, model, digests), or null
     */
    public static String render(JsonNode report, JsonNode provenance) {
        StringBuilder h = new StringBuilder(32_768);
        String op = report.path("operation").asText();
        String batch = report.path("batch_id").asText();
        boolean dry = report.path("dry_run").asBoolean();
        String phase = dry ? "dry run" : "apply";
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        h.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        h.append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src '")
                .append(cspHash(STYLE)).append("'; script-src '").append(cspHash(SCRIPT))
                .append("'; img-src data:; base-uri 'none'; form-action 'none'\">\n");
        h.append("<title>").append(esc(op)).append(" · ").append(esc(batch)).append(" (").append(phase)
                .append(") · verops report</title>\n");
        h.append("<style>").append(STYLE).append("</style>\n</head>\n<body>\n");
        h.append("<header><h1>").append(esc(op)).append(" · batch <span id=\"batch-id\">").append(esc(batch))
                .append("</span></h1><p><span id=\"phase\">").append(phase).append("</span> · report written ")
                .append(esc(report.path("timestamp").asText())).append("</p></header>\n<main>\n");

        summary(h, report);
        gates(h, report);
        approval(h, report, dry);
        tokensAndTimings(h, report);
        provenance(h, report, provenance);
        items(h, report);

        h.append("</main>\n<script>").append(SCRIPT).append("</script>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void summary(StringBuilder h, JsonNode r) {
        h.append("<section id=\"summary\"><h2>Summary</h2><div class=\"counts\">\n");
        count(h, "total_items", "items", r.path("total_items").asLong(), null);
        count(h, "succeeded", "succeeded", r.path("succeeded").asLong(), "success");
        count(h, "failed", "failed", r.path("failed").asLong(), "failure");
        count(h, "skipped", "skipped", r.path("skipped").asLong(), "skipped");
        count(h, "needs_input", "need input", r.path("needs_input").asLong(), "needs_input");
        count(h, "indeterminate", "indeterminate", r.path("indeterminate").asLong(), "indeterminate");
        h.append("</div></section>\n");
    }

    private static void count(StringBuilder h, String key, String label, long n, String status) {
        h.append("<div class=\"count").append(status == null ? "" : " s-" + status).append("\"><span class=\"n\" id=\"count-")
                .append(key).append("\">").append(n).append("</span>").append(esc(label)).append("</div>\n");
    }

    private static void gates(StringBuilder h, JsonNode r) {
        h.append("<section id=\"gates\"><h2>Gates and halts</h2>");
        JsonNode gates = r.path("gates");
        JsonNode halts = r.path("halts");
        boolean any = false;
        if (gates.isArray() && !gates.isEmpty()) {
            h.append("<table id=\"gates-table\"><thead><tr><th>gate</th><th>outcome</th><th class=\"num\">observed</th>"
                    + "<th class=\"num\">threshold</th><th>detail</th></tr></thead><tbody>");
            for (JsonNode g : gates) {
                String outcome = g.path("outcome").asText("");
                h.append("<tr data-gate=\"").append(esc(g.path("name").asText())).append("\"><td>")
                        .append(esc(g.path("name").asText())).append("</td><td><span class=\"status ")
                        .append(outcome.equals("passed") ? "s-success" : "s-failure").append("\">").append(esc(outcome))
                        .append("</span></td><td class=\"num\">").append(esc(text(g.get("observed"))))
                        .append("</td><td class=\"num\">").append(esc(text(g.get("threshold"))))
                        .append("</td><td>").append(esc(text(g.get("detail")))).append("</td></tr>");
            }
            h.append("</tbody></table>");
            any = true;
        } else if (gates.isObject() && !gates.isEmpty()) {
            h.append(table(gates));
            any = true;
        }
        if (halts.isArray() && !halts.isEmpty()) {
            h.append("<table id=\"halts\"><thead><tr><th>halted by</th><th>gate</th><th class=\"num\">observed</th>"
                    + "<th class=\"num\">threshold</th><th>reason</th><th>at</th></tr></thead><tbody>");
            for (JsonNode halt : halts) {
                JsonNode g = halt.path("gate");
                h.append("<tr><td>").append(esc(halt.path("actor").asText())).append("</td><td>")
                        .append(esc(g.path("name").asText())).append(g.hasNonNull("detail") ? "<br><span class=\"muted\">"
                                + esc(g.path("detail").asText()) + "</span>" : "")
                        .append("</td><td class=\"num\">").append(esc(text(g.get("observed"))))
                        .append("</td><td class=\"num\">").append(esc(text(g.get("threshold"))))
                        .append("</td><td>").append(esc(text(halt.get("reason"))))
                        .append("</td><td>").append(esc(text(halt.get("at")))).append("</td></tr>");
            }
            h.append("</tbody></table>");
            any = true;
        }
        if (!any) {
            h.append("<p class=\"muted\" id=\"no-halt\">No gate is recorded, and no one halted this batch.</p>");
        }
        h.append("</section>\n");
    }

    private static void approval(StringBuilder h, JsonNode r, boolean dry) {
        h.append("<section id=\"approval\"><h2>Approval</h2>");
        JsonNode a = r.path("approval");
        if (a.isObject()) {
            h.append("<dl><dt>decision</dt><dd id=\"approval-decision\">").append(esc(a.path("decision").asText()))
                    .append("</dd><dt>by</dt><dd id=\"approval-actor\">").append(esc(a.path("actor").asText()))
                    .append("</dd>");
            if (a.hasNonNull("at")) {
                h.append("<dt>at</dt><dd>").append(esc(a.path("at").asText())).append("</dd>");
            }
            if (a.hasNonNull("reason")) {
                h.append("<dt>reason</dt><dd>").append(esc(a.path("reason").asText())).append("</dd>");
            }
            h.append("</dl>");
        } else {
            h.append("<p class=\"muted\">").append(dry ? "A dry run changes nothing and needs no approval."
                    : "No approval is recorded in this report.").append("</p>");
        }
        JsonNode link = r.path("dry_run_bundle");
        if (link.isObject()) {
            String path = link.path("path").asText();
            h.append("<p>Dry-run bundle: <a id=\"dry-run-link\" href=\"").append(esc(path + "/" + FILE)).append("\">")
                    .append(esc(path)).append("</a> (manifest.json SHA-256 <code>")
                    .append(esc(link.path("manifest_sha256").asText())).append("</code>)</p>");
        }
        h.append("</section>\n");
    }

    private static void tokensAndTimings(StringBuilder h, JsonNode r) {
        JsonNode u = r.path("usage");
        long in = u.path("input_tokens").asLong();
        long out = u.path("output_tokens").asLong();
        h.append("<section id=\"tokens\"><h2>Tokens</h2><dl>");
        dl(h, "input", "tokens-input", Long.toString(in));
        dl(h, "cached input", "tokens-cached", Long.toString(u.path("cached_input_tokens").asLong()));
        dl(h, "output", "tokens-output", Long.toString(out));
        dl(h, "reasoning output", "tokens-reasoning", Long.toString(u.path("reasoning_output_tokens").asLong()));
        dl(h, "total (input + output)", "tokens-total", Long.toString(in + out));
        h.append("</dl></section>\n");

        h.append("<section id=\"timings\"><h2>Timings</h2><dl>");
        String started = r.path("started_at").asText();
        String finished = r.path("finished_at").asText();
        dl(h, "started", "started-at", started);
        dl(h, "finished", "finished-at", finished);
        dl(h, "elapsed", "elapsed", elapsed(started, finished));
        List<Long> durations = new ArrayList<>();
        for (JsonNode e : r.path("results")) {
            if (e.has("duration_ms")) {
                durations.add(e.path("duration_ms").asLong());
            }
        }
        if (!durations.isEmpty()) {
            durations.sort(Long::compare);
            dl(h, "item run time, median", "item-median-ms", durations.get(durations.size() / 2) + " ms");
            dl(h, "item run time, longest", "item-max-ms", durations.get(durations.size() - 1) + " ms");
        }
        h.append("</dl></section>\n");
    }

    private static void provenance(StringBuilder h, JsonNode r, JsonNode p) {
        h.append("<section id=\"provenance\"><h2>Provenance</h2><dl>");
        JsonNode input = r.path("input");
        dl(h, "input", null, input.path("name").asText() + " (" + input.path("format").asText() + ", "
                + input.path("rows").asLong() + " rows)");
        dl(h, "input SHA-256", null, input.path("sha256").asText());
        if (p != null && p.isObject()) {
            dl(h, "verops", null, p.path("verops_version").asText());
            dl(h, "codex", null, p.path("codex_version").asText());
            JsonNode m = p.path("model");
            if (m.isObject()) {
                dl(h, "model", null, m.path("name").asText("unknown") + ", reasoning effort "
                        + m.path("reasoning_effort").asText("unknown")
                        + (m.hasNonNull("provider") ? ", via " + m.path("provider").asText() : ""));
            }
            JsonNode o = p.path("operation");
            if (o.hasNonNull("definition_sha256")) {
                dl(h, "operation.json SHA-256", null, o.path("definition_sha256").asText());
            }
            if (o.hasNonNull("output_schema_sha256")) {
                dl(h, "output schema SHA-256", null, o.path("output_schema_sha256").asText());
            }
            if (o.hasNonNull("hook_policy_sha256")) {
                dl(h, "hook policy SHA-256", null, o.path("hook_policy_sha256").asText());
            }
        }
        h.append("</dl><p class=\"muted\">The bundle's manifest.json holds the SHA-256 of every file, signed with "
                + "Ed25519; check it offline with <code>verops verify &lt;bundle&gt;</code>.</p></section>\n");
    }

    private static void items(StringBuilder h, JsonNode r) {
        JsonNode results = r.path("results");
        Map<String, Integer> byStatus = new LinkedHashMap<>();
        STATUSES.keySet().forEach(s -> byStatus.put(s, 0));
        for (JsonNode e : results) {
            byStatus.merge(e.path("status").asText(), 1, Integer::sum);
        }
        h.append("<section id=\"items-section\"><h2>Items</h2>\n<div class=\"filters\" id=\"status-filter\" role=\"group\" "
                + "aria-label=\"filter by status\">");
        h.append("<button type=\"button\" data-filter=\"all\" aria-pressed=\"true\">all (").append(results.size())
                .append(")</button>");
        for (Map.Entry<String, Integer> s : byStatus.entrySet()) {
            if (s.getValue() > 0) {
                h.append("<button type=\"button\" data-filter=\"").append(esc(s.getKey())).append("\" aria-pressed=\"false\">")
                        .append(esc(STATUSES.getOrDefault(s.getKey(), s.getKey()))).append(" (").append(s.getValue())
                        .append(")</button>");
            }
        }
        h.append("</div>\n<p class=\"muted\">showing <span id=\"shown-count\">").append(results.size())
                .append("</span> of <span id=\"item-count\">").append(results.size()).append("</span> items</p>\n");
        h.append("<table id=\"items\"><thead><tr><th class=\"num\">row</th><th>item</th><th>status</th><th>message</th>"
                + "<th class=\"num\">attempts</th><th class=\"num\">time</th><th class=\"num\">tokens</th>"
                + "<th>verification</th></tr></thead>\n<tbody>\n");
        for (JsonNode e : results) {
            String status = e.path("status").asText();
            h.append("<tr data-status=\"").append(esc(status)).append("\"><td class=\"num\">").append(e.path("row").asLong())
                    .append("</td><td class=\"item\">").append(esc(e.path("item_id").asText()))
                    .append("</td><td><span class=\"status s-").append(esc(status)).append("\">").append(esc(status))
                    .append("</span>").append(e.path("retried").asBoolean() ? " <span class=\"muted\">retried</span>" : "")
                    .append("</td><td class=\"msg\">").append(esc(e.path("message").asText()));
            JsonNode problems = e.path("problems");
            if (problems.isArray() && !problems.isEmpty()) {
                h.append("<ul class=\"checks\">");
                for (JsonNode p : problems) {
                    h.append("<li>").append(esc(p.path("field").asText())).append(": ").append(esc(p.path("reason").asText()))
                            .append("</li>");
                }
                h.append("</ul>");
            }
            JsonNode changes = e.path("normalization");
            if (changes.isArray() && !changes.isEmpty()) {
                h.append("<ul class=\"checks normalized\">");
                for (JsonNode c : changes) {
                    h.append("<li><span class=\"muted\">normalised</span> ").append(esc(c.path("field").asText()))
                            .append(": <code>").append(esc(c.path("original").asText())).append("</code> &rarr; <code>")
                            .append(esc(c.path("normalized").asText())).append("</code></li>");
                }
                h.append("</ul>");
            }
            JsonNode u = e.path("usage");
            long tokens = u.path("input_tokens").asLong() + u.path("output_tokens").asLong();
            h.append("</td><td class=\"num\">").append(e.path("attempts").asLong()).append("</td><td class=\"num\">")
                    .append(e.has("duration_ms") ? e.path("duration_ms").asLong() + " ms" : "")
                    .append("</td><td class=\"num\">").append(tokens == 0 ? "" : Long.toString(tokens)).append("</td><td>");
            JsonNode checks = e.path("verification");
            if (checks.isArray() && !checks.isEmpty()) {
                h.append("<ul class=\"checks\">");
                for (JsonNode c : checks) {
                    String outcome = c.path("outcome").asText();
                    h.append("<li><span class=\"o-").append(esc(outcome)).append("\">").append(esc(outcome))
                            .append("</span> ").append(esc(c.path("name").asText()));
                    if (c.hasNonNull("detail")) {
                        h.append(": ").append(esc(c.path("detail").asText()));
                    }
                    h.append("</li>");
                }
                h.append("</ul>");
            } else {
                h.append("<span class=\"muted\">not run</span>");
            }
            h.append("</td></tr>\n");
        }
        h.append("</tbody></table></section>\n");
    }

    private static void dl(StringBuilder h, String term, String id, String value) {
        h.append("<dt>").append(esc(term)).append("</dt><dd");
        if (id != null) {
            h.append(" id=\"").append(id).append('"');
        }
        h.append('>').append(esc(value)).append("</dd>");
    }

    /** A small table of a JSON object (one row per field) or array of objects (one row each). */
    private static String table(JsonNode n) {
        StringBuilder t = new StringBuilder("<table class=\"kv\">");
        if (n.isArray()) {
            Set<String> cols = new LinkedHashSet<>();
            for (JsonNode row : n) {
                row.fieldNames().forEachRemaining(cols::add);
            }
            t.append("<thead><tr>");
            cols.forEach(c -> t.append("<th>").append(esc(c)).append("</th>"));
            t.append("</tr></thead><tbody>");
            for (JsonNode row : n) {
                t.append("<tr>");
                for (String c : cols) {
                    t.append("<td>").append(esc(text(row.get(c)))).append("</td>");
                }
                t.append("</tr>");
            }
            t.append("</tbody>");
        } else if (n.isObject()) {
            t.append("<tbody>");
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                t.append("<tr><th>").append(esc(f.getKey())).append("</th><td>").append(esc(text(f.getValue())))
                        .append("</td></tr>");
            }
            t.append("</tbody>");
        } else {
            t.append("<tbody><tr><td>").append(esc(text(n))).append("</td></tr></tbody>");
        }
        return t.append("</table>").toString();
    }

    private static String text(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "";
        }
        return v.isValueNode() ? v.asText() : v.toString();
    }

    private static String elapsed(String from, String to) {
        try {
            Duration d = Duration.between(Instant.parse(from), Instant.parse(to));
            long ms = d.toMillis();
            return ms < 1000 ? ms + " ms" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
        } catch (DateTimeParseException e) {
            return "";
        }
    }

    /** HTML escaping for text and attribute values. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static String cspHash(String inline) {
        byte[] digest = Digests.sha256().digest(inline.getBytes(StandardCharsets.UTF_8));
        return "sha256-" + Base64.getEncoder().encodeToString(digest);
    }

    private static Map<String, String> statuses() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("success", "success");
        m.put("failure", "failure");
        m.put("needs_input", "needs input");
        m.put("skipped", "skipped");
        m.put("indeterminate", "indeterminate");
        return m;
    }
}
