package io.verops.core.auth;

import io.verops.core.internal.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * For operators: makes a new API key and the configuration lines that grant it roles, or the SHA-256 of an
 * existing key read from standard input (never from the command line, where {@code ps} would show it).
 *
 * <pre>
 * java -cp verops-core.jar io.verops.core.auth.ApiKeyTool new ops-lead submitter,approver
 * java -cp verops-core.jar io.verops.core.auth.ApiKeyTool sha256 &lt; key.txt
 * </pre>
 */
public final class ApiKeyTool {
    static final int OK = 0;
    static final int USAGE = 2;
    private static final String USAGE_TEXT = """
            usage: ApiKeyTool new NAME ROLES    a new random key, and the verops.auth.api-keys.NAME.* lines for it
                   ApiKeyTool sha256 < KEYFILE  the SHA-256 of a key read from standard input (trailing newline dropped)
            ROLES: one or more of submitter, approver, reader, comma-separated""";

    private ApiKeyTool() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        if (args.length == 3 && args[0].equals("new")) {
            return create(args[1], args[2], out, err);
        }
        if (args.length == 1 && args[0].equals("sha256")) {
            try {
                String key = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
                if (key.isEmpty()) {
                    err.println("ApiKeyTool: no key on standard input");
                    return USAGE;
                }
                out.println(sha256Hex(key));
                return OK;
            } catch (IOException e) {
                err.println("ApiKeyTool: cannot read standard input: " + e.getMessage());
                return USAGE;
            }
        }
        err.println(USAGE_TEXT);
        return USAGE;
    }

    private static int create(String name, String roles, PrintStream out, PrintStream err) {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String key = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        String digest = sha256Hex(key);
        AuthSettings checked = AuthSettings.of(true,
                Map.of(name, new AuthSettings.KeyEntry(digest, Arrays.asList(roles.split(",")))), false, Map.of());
        if (!checked.problems().isEmpty()) {
            checked.problems().forEach(p -> err.println("ApiKeyTool: " + p));
            return USAGE;
        }
        String prefix = AuthSettings.PREFIX + "api-keys." + name;
        out.println("# the key, for its client only (it is not stored anywhere):");
        out.println(key);
        out.println("# the services' configuration (the key's SHA-256, not the key):");
        out.println(prefix + ".sha256=" + digest);
        out.println(prefix + ".roles=" + String.join(",", checked.keys().get(0).roles().stream().map(Role::wire).toList()));
        return OK;
    }

    /** The SHA-256 of a key's UTF-8 bytes, as 64 lower-case hex digits: what {@code printf %s "$KEY" | sha256sum} prints. */
    public static String sha256Hex(String key) {
        return Digests.sha256Hex(key.getBytes(StandardCharsets.UTF_8));
    }
}
