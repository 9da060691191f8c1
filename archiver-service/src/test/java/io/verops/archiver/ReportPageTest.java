package io.verops.archiver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.verops.core.Json;
import io.verops.core.Phase;
import io.verops.core.internal.Digests;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ReportPageTest {
    private static JsonNode report() {
        BatchReport r = new SampleBatch("b-<1>", Phase.APPLY).assembly().report(Instant.parse("2026-03-01T10:05:00Z"));
        return Json.tree(r);
    }

    @Test
    void everyValueIsEscaped() {
        String html = ReportPage.render(report(), null);

        assertThat(html).doesNotContain("<script>alert(1)</script>").doesNotContain("<b>bo</b>")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;").contains("&lt;b&gt;bo&lt;/b&gt;@example.com")
                .contains("batch <span id=\"batch-id\">b-&lt;1&gt;</span>")
                .contains("created cy; team $(rm -rf ~) `id` kept as text");
        assertThat(Pattern.compile("<script").matcher(html).results().count()).as("only the page's own script").isEqualTo(1);
    }

    @Test
    void thePageLoadsNothingAndItsPolicyAllowsOnlyItsOwnStyleAndScript() {
        String html = ReportPage.render(report(), null);

        assertThat(html).doesNotContainPattern("(src|href)=\"(https?:)?//").doesNotContain("@import").doesNotContain("url(");
        Matcher csp = Pattern.compile("content=\"default-src 'none'; style-src '(sha256-[^']+)'; script-src '(sha256-[^']+)'")
                .matcher(html);
        assertThat(csp.find()).isTrue();
        assertThat(csp.group(1)).isEqualTo(hash(between(html, "<style>", "</style>")));
        assertThat(csp.group(2)).isEqualTo(hash(between(html, "<script>", "</script>")));
    }

    @Test
    void theSummaryShowsTheReportsCountsAndEachItemIsARowWithItsStatus() {
        JsonNode r = report();
        String html = ReportPage.render(r, null);

        assertThat(html).contains("id=\"count-total_items\">5<").contains("id=\"count-succeeded\">2<")
                .contains("id=\"count-failed\">1<").contains("id=\"count-needs_input\">1<").contains("id=\"count-skipped\">1<");
        assertThat(Pattern.compile("<tr data-status=\"success\"").matcher(html).results().count()).isEqualTo(2);
        assertThat(html).contains("data-filter=\"needs_input\" aria-pressed=\"false\">needs input (1)</button>");
        assertThat(html).contains("<dd id=\"approval-actor\">ops-lead</dd>");
    }

    @Test
    void haltsAreShownWithTheGatesNumbers() {
        ObjectNode r = (ObjectNode) report();
        ObjectNode halt = r.putArray("halts").addObject();
        halt.put("actor", "verifier gate failure_ratio");
        halt.put("reason", "2 of 20 items failed");
        halt.putObject("gate").put("name", "failure_ratio").put("observed", 0.1).put("threshold", 0.05);

        String html = ReportPage.render(r, null);

        assertThat(html).contains("<td>verifier gate failure_ratio</td><td>failure_ratio</td><td class=\"num\">0.1</td>"
                + "<td class=\"num\">0.05</td><td>2 of 20 items failed</td>");
    }

    private static String between(String s, String a, String b) {
        int i = s.indexOf(a) + a.length();
        return s.substring(i, s.indexOf(b, i));
    }

    private static String hash(String s) {
        return "sha256-" + Base64.getEncoder().encodeToString(Digests.sha256().digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theGatesAreShownWithTheirNumbersAndOutcome() {
        ObjectNode r = (ObjectNode) report();
        r.putArray("gates").addObject().put("name", "failure_ratio").put("outcome", "passed").put("observed", 0.0)
                .put("threshold", 0.05).put("detail", "0 of 8 items failed (0.0% <= 5%)");

        String html = ReportPage.render(r, null);

        assertThat(html).contains("<tr data-gate=\"failure_ratio\"><td>failure_ratio</td><td><span class=\"status s-success\">"
                + "passed</span></td><td class=\"num\">0.0</td><td class=\"num\">0.05</td><td>0 of 8 items failed (0.0% &lt;= 5%)</td></tr>");
    }
}
