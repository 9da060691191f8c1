package io.verops.executor.internal;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a command at a lower CPU priority through {@code nice}, which sets the priority and then execs the command:
 * the process the executor waits for, times and kills is still the command itself.
 */
public final class Niceness {
    private static final Logger LOG = LoggerFactory.getLogger(Niceness.class);

    private Niceness() {
    }

    /** The command run at this niceness; the command itself when niceness is 0 or the machine has no {@code nice}. */
    public static List<String> wrap(List<String> argv, int niceness) {
        if (niceness == 0) {
            return argv;
        }
        Path binary = binary();
        if (binary == null) {
            return argv;
        }
        List<String> wrapped = new ArrayList<>(argv.size() + 3);
        wrapped.add(binary.toString());
        wrapped.add("-n");
        wrapped.add(Integer.toString(niceness));
        wrapped.addAll(argv);
        return wrapped;
    }

    /** The {@code nice} executable on the PATH, or null (said once in the log) when there is none. */
    public static Path binary() {
        return OnPath.NICE;
    }

    /** Looked up once, the first time it is needed. */
    private static final class OnPath {
        static final Path NICE = find(System.getenv("PATH"));

        static {
            if (NICE == null) {
                LOG.warn("no nice executable on the PATH: codex runs at the executor's own CPU priority");
            }
        }
    }

    static Path find(String path) {
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, "nice");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        return null;
    }
}
