package io.verops.executor.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.verops.core.operation.Operation;
import io.verops.core.operation.OperationDefinitionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code policy} of operation.json: read at load, every pattern checked, every problem named. */
class PolicyDefinitionTest {

    @Test
    void thePolicyOfUserProvisioningIsRead() {
        Operation.CommandPolicy p = HookHarness.userProvisioning().policy();

        assertThat(p.allowedCommands()).containsExactly("sqlite3", "echo", "seq");
        assertThat(p.restrictsPrograms()).isTrue();
        assertThat(p.forbidden()).extracting(Operation.PatternRule::name).containsExactly("sqlite-dot-command-runs-code");
        assertThat(p.writePatterns()).extracting(Operation.PatternRule::name).containsExactly("sqlite-dot-command-writes-file");
        assertThat(p.errorFloodLimit()).isEqualTo(10);
    }

    @Test
    void withoutAPolicyAnyProgramMayRunAndOnlyTheDefaultsApply() throws Exception {
        Operation.CommandPolicy p = HookHarness.userProvisioningWithPolicy(null).policy();

        assertThat(p).isEqualTo(Operation.CommandPolicy.NONE);
        assertThat(p.restrictsPrograms()).isFalse();
        assertThat(p.errorFloodLimit()).isEqualTo(Operation.CommandPolicy.DEFAULT_ERROR_FLOOD_LIMIT);
    }

    @Test
    void aPatternStringIsNamedAfterItselfAndAnObjectMayHaveAnUnlessPattern() throws Exception {
        Operation.CommandPolicy p = HookHarness.userProvisioningWithPolicy("{\"forbidden\": [\"(^|[^[:alnum:]_])GRANT[[:space:]]\","
                + "{\"name\": \"update-without-where\", \"pattern\": \"UPDATE[^;]*\", \"unless\": \"WHERE\"}]}").policy();

        assertThat(p.forbidden()).containsExactly(
                new Operation.PatternRule("(^|[^[:alnum:]_])GRANT[[:space:]]", "(^|[^[:alnum:]_])GRANT[[:space:]]", null),
                new Operation.PatternRule("update-without-where", "UPDATE[^;]*", "WHERE"));
    }

    static Stream<Arguments> badPatterns() {
        return Stream.of(
                Arguments.of("(DROP", "Unclosed group"),
                Arguments.of("\\bDROP\\b", "'\\b' is not POSIX ERE: write (^|[^[:alnum:]_])"),
                Arguments.of("\\d+", "'\\d' is not POSIX ERE: write [[:digit:]]"),
                Arguments.of("(?i)drop", "'(?' groups"),
                Arguments.of("DROP(?!x)", "'(?' groups"),
                Arguments.of("a.*?b", "lazy and possessive quantifiers"),
                Arguments.of("[\\]]x", "inside [...] a backslash is a literal character"),
                Arguments.of("(a)\\1", "back-references are not supported"),
                Arguments.of("a\u0001b", "control character U+0001"));
    }

    @ParameterizedTest
    @MethodSource("badPatterns")
    void aPatternThatIsNotPortableEreIsRefusedNamingTheFileAndThePattern(String pattern, String expected) {
        String json = "{\"forbidden\": [" + quoted(pattern) + "]}";

        assertThatThrownBy(() -> HookHarness.userProvisioningWithPolicy(json))
                .isInstanceOf(OperationDefinitionException.class)
                .satisfies(e -> assertThat(((OperationDefinitionException) e).problems()).singleElement().asString()
                        .contains("operation.json: policy.forbidden[0]: bad pattern '" + pattern + "'")
                        .containsIgnoringCase(expected));
    }

    @Test
    void everyProblemOfAPolicyIsReportedAtOnce() {
        String json = "{\"allowed_commands\": [\"sqlite3\", \"rm -rf\", \"sqlite3\"], \"forbidden\": [\"(\", {\"pattern\": \"x\", \"size\": 1}],"
                + " \"write_patterns\": {\"x\": 1}, \"error_flood_limit\": 0, \"allowed\": true}";

        assertThatThrownBy(() -> HookHarness.userProvisioningWithPolicy(json))
                .isInstanceOf(OperationDefinitionException.class)
                .satisfies(e -> assertThat(((OperationDefinitionException) e).problems())
                        .anySatisfy(p -> assertThat(p).contains("unknown key 'policy.allowed'"))
                        .anySatisfy(p -> assertThat(p).contains("policy.allowed_commands[1]: 'rm -rf' is not a program name"))
                        .anySatisfy(p -> assertThat(p).contains("policy.allowed_commands[2]: 'sqlite3' is listed twice"))
                        .anySatisfy(p -> assertThat(p).contains("policy.forbidden[0]: bad pattern '('"))
                        .anySatisfy(p -> assertThat(p).contains("policy.forbidden[1]: unknown key 'size'"))
                        .anySatisfy(p -> assertThat(p).contains("policy.write_patterns must be an array"))
                        .anySatisfy(p -> assertThat(p).contains("policy.error_flood_limit must be a whole number of at least 1 (found 0)"))
                        .allSatisfy(p -> assertThat(p).contains("operation.json")));
    }

    @Test
    void anEmptyAllowListIsRefusedBecauseItWouldAllowNothing() {
        assertThatThrownBy(() -> HookHarness.userProvisioningWithPolicy("{\"allowed_commands\": []}"))
                .hasMessageContaining("policy.allowed_commands must be a non-empty array of program names (leave it out to allow any program)");
    }

    private static String quoted(String s) {
        return HookHarness.JSON.getNodeFactory().textNode(s).toString();
    }
}
