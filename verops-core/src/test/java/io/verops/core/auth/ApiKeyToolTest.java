package io.verops.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiKeyToolTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String stdin, String... args) {
        return ApiKeyTool.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void theDigestIsWhatSha256sumPrintsForTheKeyWithoutItsNewline() {
        assertThat(run("correct horse battery staple\n", "sha256")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).strip())
                .isEqualTo("c4bbcb1fbec99d65bf59d85c8cb62ee2db963f0fe106f483d9afa73bd4e39a8a");
    }

    @Test
    void aNewKeyComesWithConfigurationThatAuthenticatesIt() {
        assertThat(run("", "new", "ops-lead", "submitter,approver")).isZero();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        String key = lines.get(1);
        assertThat(key).matches("[A-Za-z0-9_-]{43}");
        assertThat(lines.get(3)).isEqualTo("verops.auth.api-keys.ops-lead.sha256=" + ApiKeyTool.sha256Hex(key));
        assertThat(lines.get(4)).isEqualTo("verops.auth.api-keys.ops-lead.roles=submitter,approver");
        AuthSettings s = AuthSettings.of(true, Map.of("ops-lead", new AuthSettings.KeyEntry(
                lines.get(3).substring(lines.get(3).indexOf('=') + 1), List.of("submitter", "approver"))), false, Map.of());
        assertThat(new Authenticator(s).authenticate("Bearer " + key, null, null))
                .isInstanceOf(Authenticator.Authenticated.class);
    }

    @Test
    void aBadRoleOrNoArgumentsIsAUsageError() {
        assertThat(run("", "new", "ops-lead", "admin")).isEqualTo(ApiKeyTool.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("'admin' is not a role");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(run("")).isEqualTo(ApiKeyTool.USAGE);
        assertThat(run("", "sha256")).isEqualTo(ApiKeyTool.USAGE);
    }
}
