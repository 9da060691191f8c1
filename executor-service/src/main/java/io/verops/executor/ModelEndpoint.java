package io.verops.executor;

import java.util.Objects;

/**
 * Where codex sends its model requests: a Responses-API provider with a base URL, and the environment
 * variable holding its key (null for none). codex-sim is one; OpenAI with {@code OPENAI_API_KEY} another.
 */
public record ModelEndpoint(String providerId, String displayName, String baseUrl, String envKey) {
    public ModelEndpoint {
        Objects.requireNonNull(providerId, "providerId == null");
        Objects.requireNonNull(baseUrl, "baseUrl == null");
    }

    public static ModelEndpoint codexSim(String baseUrl) {
        return new ModelEndpoint("codex-sim", "codex-sim (scripted model server)", baseUrl, null);
    }

    public static ModelEndpoint openAi() {
        return new ModelEndpoint("openai-api", "OpenAI API (OPENAI_API_KEY)", "https://api.openai.com/v1",
                "OPENAI_API_KEY");
    }

    public boolean isSimulated() {
        return providerId.equals("codex-sim");
    }
}
