package io.verops.core.messages;

import java.util.List;
import java.util.Objects;

/**
 * What one codex attempt's event stream and its hooks' decisions show, condensed for the verifier: the commands
 * that ran with their exit codes, the calls a hook blocked, the outputs a hook flagged, whether the turn failed,
 * and which event came last. Facts only, extracted by verops from the events, never from the agent's answer.
 *
 * @param commands        every command codex ran (its {@code command_execution} items), in order
 * @param blockedCommands every call a PreToolUse hook refused (codex emits no event for them)
 * @param flags           every rule a PostToolUse hook flagged on a tool's output
 * @param turnFailed      the message of a {@code turn.failed} event, null when the turn did not fail
 * @param lastEventType   the last substantive event: an item's type ({@code agent_message},
 *                        {@code command_execution}, ...) or an event type ({@code turn.failed}, {@code error});
 *                        null when there was none
 */
public record Evidence(List<Command> commands, List<BlockedCommand> blockedCommands, List<Flag> flags,
                       String turnFailed, String lastEventType) {
    public Evidence {
        commands = commands == null ? List.of() : List.copyOf(commands);
        blockedCommands = blockedCommands == null ? List.of() : List.copyOf(blockedCommands);
        flags = flags == null ? List.of() : List.copyOf(flags);
    }

    /**
     * One command codex ran.
     *
     * @param command           the command as the agent asked for it (codex's {@code /bin/bash -c} wrapper removed)
     * @param exitCode          its exit code, null when it has none (still running when codex stopped, declined)
     * @param status            codex's status: {@code completed}, {@code failed}, {@code declined}, {@code in_progress}
     * @param outputTail        the end of its output (stdout and stderr merged)
     * @param errorLines        how many lines of its whole output mention "error" (any case)
     * @param destructiveOutput the first line of its output reporting something deleted, dropped or truncated;
     *                          null when none does
     */
    public record Command(String command, Integer exitCode, String status, String outputTail, int errorLines,
                          String destructiveOutput) {
        public Command {
            Objects.requireNonNull(command, "command == null");
        }

        /** Whether it ran to the end and exited 0. */
        public boolean succeeded() {
            return exitCode != null && exitCode == 0;
        }
    }

    /** A call a PreToolUse hook refused: the command, the rule that fired and the reason told to the model. */
    public record BlockedCommand(String command, String rule, String reason) {
        public BlockedCommand {
            Objects.requireNonNull(command, "command == null");
        }
    }

    /**
     * A rule a PostToolUse hook flagged on a tool's output ({@code destructive-output}, {@code error-flood}, ...).
     *
     * @param errorLines for an error flood, the number of lines mentioning "error"; else null
     */
    public record Flag(String rule, String command, String reason, Integer errorLines) {
        public Flag {
            Objects.requireNonNull(rule, "rule == null");
        }
    }
}
