package io.verops.executor.hooks;

import io.verops.core.Phase;
import io.verops.core.operation.Operation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Renders the hook script of one codex run: the fixed template with the policy baked in as bash variables, so
 * that the hook parses no configuration at run time. Every value is written as a single-quoted bash word (a
 * quote inside becomes {@code '\''}), so no pattern, name or path can break out of its quoting.
 */
final class HookScript {
    static final String TEMPLATE_RESOURCE = "verops-hook.sh";
    private static final String MARKER = "#@VEROPS_POLICY@";
    private static final String TEMPLATE = loadTemplate();
    /** The template up to the policy block: the #! line and the header comment. */
    private static final String HEAD = TEMPLATE.substring(0, TEMPLATE.indexOf(MARKER));
    /**
     * The code after the policy block, without its comment lines and blank lines: bash parses the whole script on
     * every tool call, and a smaller script starts faster (the template keeps the comments).
     */
    private static final String BODY = withoutComments(TEMPLATE.substring(TEMPLATE.indexOf(MARKER) + MARKER.length()));

    private HookScript() {
    }

    /** The whole script for one run. */
    static String render(Operation op, Phase phase, Path decisionsLog) {
        return HEAD + policyBlock(op, phase) + "H_LOG=" + word(decisionsLog.toString()) + "\n" + BODY;
    }

    /**
     * The script as {@link #render} writes it, without the run-specific line naming the decisions log: the same
     * text for every run of an operation's phase, so that its digest identifies the hook policy that gated them.
     */
    static String policyScript(Operation op, Phase phase) {
        return HEAD + policyBlock(op, phase) + BODY;
    }

    static String withoutComments(String code) {
        StringBuilder sb = new StringBuilder(code.length());
        for (String line : code.split("\n", -1)) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                sb.append(line).append('\n');
            }
        }
        return sb.toString();
    }

    /** The generated policy variables, without the run-specific log path. */
    static String policyBlock(Operation op, Phase phase) {
        Operation.CommandPolicy policy = op.policy();
        List<HookRule> rules = DefaultRules.forOperation(policy);
        StringBuilder sb = new StringBuilder(4096);
        sb.append("# ---- policy of operation ").append(op.name().replaceAll("[^A-Za-z0-9._-]", "?"))
                .append(", ").append(phase.wire()).append(" (generated) ----\n");
        sb.append("H_OPERATION=").append(word(op.name())).append('\n');
        sb.append("H_PHASE=").append(word(phase.wire())).append('\n');
        sb.append("H_FLOOD_LIMIT=").append(policy.errorFloodLimit()).append('\n');
        sb.append("H_ALLOWED=").append(array(policy.allowedCommands(), s -> s)).append('\n');
        sb.append("H_RULE_KIND=").append(array(rules, r -> r.kind().wire())).append('\n');
        sb.append("H_RULE_NAME=").append(array(rules, HookRule::name)).append('\n');
        sb.append("H_RULE_PATTERN=").append(array(rules, HookRule::pattern)).append('\n');
        sb.append("H_RULE_UNLESS=").append(array(rules, r -> r.unless() == null ? "" : r.unless())).append('\n');
        sb.append("H_RULE_DESC=").append(array(rules, HookRule::description)).append('\n');
        sb.append("H_WRITE_PROGRAMS=").append(array(DefaultRules.WRITE_PROGRAMS, s -> s)).append('\n');
        sb.append("H_OPAQUE_PROGRAMS=").append(array(DefaultRules.OPAQUE_PROGRAMS, s -> s)).append('\n');
        return sb.toString();
    }

    /** A bash word that is exactly {@code value}: single-quoted, each quote written as {@code '\''}. */
    static String word(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a NUL character cannot be written into the hook script: "
                    + value.replace('\0', '?'));
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }

    private static <T> String array(List<T> items, Function<T, String> value) {
        StringBuilder sb = new StringBuilder("(");
        for (T item : items) {
            if (sb.length() > 1) {
                sb.append(' ');
            }
            sb.append(word(value.apply(item)));
        }
        return sb.append(')').toString();
    }

    private static String loadTemplate() {
        try (InputStream in = HookScript.class.getResourceAsStream(TEMPLATE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("hook script template " + TEMPLATE_RESOURCE + " is missing from the classpath");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!text.contains(MARKER)) {
                throw new IllegalStateException("hook script template has no " + MARKER + " line");
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the hook script template", e);
        }
    }
}
