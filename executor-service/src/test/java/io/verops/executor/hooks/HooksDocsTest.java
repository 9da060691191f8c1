package io.verops.executor.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/hooks.md and the rules the code declares stay together. */
class HooksDocsTest {

    private static String docs() throws Exception {
        return Files.readString(HookHarness.root().resolve("docs").resolve("hooks.md"));
    }

    private static String template() throws Exception {
        try (InputStream in = HookScript.class.getResourceAsStream(HookScript.TEMPLATE_RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theDocsNameEveryDefaultPatternRule() throws Exception {
        String docs = docs();
        for (HookRule r : DefaultRules.FORBIDDEN) {
            assertThat(docs).as(r.name()).contains("`" + r.name() + "`");
        }
        for (HookRule r : DefaultRules.WRITES) {
            assertThat(docs).as(r.name()).contains("`" + r.name() + "`");
        }
    }

    @Test
    void theDocsListEveryWriteProgramAndOpaqueProgramInTheirRows() throws Exception {
        String docs = docs();
        String writeRow = docs.lines().filter(l -> l.startsWith("| `dry-run-write:program`")).findFirst().orElseThrow();
        String opaqueRow = docs.lines().filter(l -> l.startsWith("| `dry-run-write:opaque-program`")).findFirst().orElseThrow();
        assertThat(backticked(writeRow)).containsAll(DefaultRules.WRITE_PROGRAMS);
        assertThat(backticked(opaqueRow)).containsAll(DefaultRules.OPAQUE_PROGRAMS);
    }

    @Test
    void theDocsNameEveryRuleTheScriptFires() throws Exception {
        String docs = docs();
        Matcher m = Pattern.compile("(fire|hook_error) \"([a-z_:-]+)\"").matcher(template());
        Set<String> rules = new LinkedHashSet<>();
        while (m.find()) {
            rules.add(m.group(1).equals("hook_error") ? "hook-error:" + m.group(2) : m.group(2));
        }
        assertThat(rules).hasSizeGreaterThan(15);
        for (String rule : rules) {
            assertThat(docs).as(rule).contains("`" + rule + "`");
        }
    }

    @Test
    void theDocsStateTheLimitsTheScriptUses() throws Exception {
        String template = template();
        String docs = docs();
        assertThat(template).contains("H_MAX_PRE_BYTES=65536 ").contains("H_MAX_POST_BYTES=4194304 ")
                .contains("H_MAX_LOGGED_COMMAND=16384 ");
        assertThat(docs).contains("64 KiB").contains("4 MiB").contains("16 KiB")
                .contains("| `error_flood_limit` | `10` |").contains("timeout is set to " + Hooks.HOOK_TIMEOUT_SECONDS + " s");
    }

    private static Set<String> backticked(String line) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = Pattern.compile("`([^`]+)`").matcher(line);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
