package io.verops.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.verops.core.ItemStatus;
import io.verops.core.Phase;
import io.verops.core.messages.BatchEvent;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-batch corpus (src/test/resources/bad-batches, listed in its INDEX.tsv): each batch is refused as a
 * whole with a message naming the file (and the row, line and field where they apply), or is planned with the
 * offending row flagged needs_input, naming the field and the reason.
 */
class BadBatchCorpusTest {
    private static final Pattern NEEDS_INPUT = Pattern.compile("needs_input row=(\\d+) field=(\\S+)");
    private final BatchPlanner planner = new BatchPlanner(TestOperations.CLOCK);

    static Path corpus() {
        try {
            return Path.of(BadBatchCorpusTest.class.getResource("/bad-batches").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Arguments> cases() throws IOException {
        return Files.readAllLines(corpus().resolve("INDEX.tsv"), StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#"))
                .map(l -> l.split("\t", 3))
                .map(p -> Arguments.of(p[0], p[1], p[2]));
    }

    private BatchPlan plan(BatchInput input) {
        return planner.plan(TestOperations.everyType(), "b-1", Phase.DRY_RUN, input);
    }

    @ParameterizedTest(name = "{0} is {1}: {2}")
    @MethodSource("cases")
    void eachBadBatchIsRefusedOrFlaggedSayingWhereAndWhy(String file, String outcome, String fragment) throws IOException {
        byte[] bytes = Files.readAllBytes(corpus().resolve(file));
        BatchInput input = new BatchInput(file, BatchFormat.select(null, file, null), bytes);
        if (outcome.equals("refused")) {
            BatchRefusedException e = catchThrowableOfType(BatchRefusedException.class, () -> plan(input));
            assertThat(e).as("%s must be refused", file).isNotNull();
            assertThat(e.getMessage()).contains(fragment);
            assertThat(e.problems()).allSatisfy(p -> assertThat(p).satisfiesAnyOf(
                    x -> assertThat(x).startsWith(file + ": "), x -> assertThat(x).isEqualTo("(more problems not listed)")));
            assertThat(e.getMessage()).doesNotContain("Exception").doesNotContain("\tat ");
            return;
        }
        Matcher m = NEEDS_INPUT.matcher(outcome);
        assertThat(m.matches()).as("outcome '%s' of %s in INDEX.tsv", outcome, file).isTrue();
        int row = Integer.parseInt(m.group(1));
        String field = m.group(2);
        BatchPlan plan = plan(input);
        assertThat(plan.accepted().input().name()).isEqualTo(file);
        BatchEvent.RowOutcome flagged = plan.notExecuted().stream().filter(r -> r.row() == row).findFirst().orElseThrow(
                () -> new AssertionError(file + ": row " + row + " is not flagged; plan: " + plan.notExecuted()));
        assertThat(flagged.status()).isEqualTo(ItemStatus.NEEDS_INPUT);
        assertThat(flagged.problems()).anySatisfy(p -> {
            assertThat(p.field()).isEqualTo(field);
            assertThat(p.reason()).contains(fragment);
        });
        assertThat(flagged.message()).contains(field + " ").contains(fragment);
        assertThat(plan.items()).extracting(i -> i.row()).doesNotContain(row);
    }

    @Test
    void theCorpusHoldsAtLeastThirtyCasesAndEveryFileIsIndexed() throws IOException {
        List<String> indexed = cases().map(a -> (String) a.get()[0]).toList();
        assertThat(indexed).hasSizeGreaterThanOrEqualTo(30).doesNotHaveDuplicates();
        try (Stream<Path> files = Files.list(corpus())) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("INDEX.tsv")))
                    .containsExactlyInAnyOrderElementsOf(indexed);
        }
    }

    @Test
    void aFiftyMegabyteLineIsRefusedNamingItsRowLineAndFieldWithoutHoldingItInTheMessage() {
        int size = 50 * 1024 * 1024;
        StringBuilder sb = new StringBuilder(size + 100).append("id,email,role,team\n");
        sb.append("a1,a1@example.com,admin,");
        sb.append("x".repeat(size)).append('\n');
        BatchInput csv = TestOperations.csv("huge-line.csv", sb.toString());
        BatchRefusedException e = catchThrowableOfType(BatchRefusedException.class, () -> plan(csv));
        assertThat(e.getMessage()).isEqualTo("huge-line.csv: row 1 (line 2), field 'team': a value of 52,428,800 "
                + "characters is longer than the limit of 65,536");

        String line = "{\"id\": \"a1\", \"email\": \"a1@example.com\", \"role\": \"admin\", \"team\": \"" + "x".repeat(size) + "\"}\n";
        assertThatThrownBy(() -> plan(TestOperations.jsonl("huge-line.jsonl", line)))
                .hasMessage("huge-line.jsonl: row 1 (line 1): a value longer than the limit of 65,536 characters");
    }
}
