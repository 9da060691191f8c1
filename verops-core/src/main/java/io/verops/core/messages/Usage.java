package io.verops.core.messages;

/** Token usage of one or more model turns, as codex reports it in {@code turn.completed}. */
public record Usage(long inputTokens, long cachedInputTokens, long outputTokens, long reasoningOutputTokens) {
    public static final Usage ZERO = new Usage(0, 0, 0, 0);

    public Usage plus(Usage other) {
        if (other == null) {
            return this;
        }
        return new Usage(inputTokens + other.inputTokens, cachedInputTokens + other.cachedInputTokens,
                outputTokens + other.outputTokens, reasoningOutputTokens + other.reasoningOutputTokens);
    }

    public long totalTokens() {
        return inputTokens + outputTokens;
    }
}
