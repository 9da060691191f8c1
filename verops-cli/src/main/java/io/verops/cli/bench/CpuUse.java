package io.verops.cli.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time used so far by this JVM (its threads: the stages, the in-process broker, codex-sim) and by the child
 * processes it has waited for (codex and the tools it ran, the hooks, sqlite3), with the machine's load average, so
 * the benchmark can say how much of the machine each side took. Linux only: elsewhere the child figure is unknown.
 */
record CpuUse(long jvmMillis, long childMillis, double load1, int cores) {
    /** Clock ticks per second of /proc/self/stat: 100 on Linux (USER_HZ), whatever the kernel's own rate. */
    private static final long USER_HZ = 100;

    static CpuUse now() {
        long jvm = ProcessHandle.current().info().totalCpuDuration().map(d -> d.toMillis()).orElse(-1L);
        long children = -1;
        double load = -1;
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII);
            // fields after the command name in parentheses: state is field 3; cutime and cstime are fields 16 and 17
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            children = (Long.parseLong(f[13]) + Long.parseLong(f[14])) * 1000 / USER_HZ;
            load = Double.parseDouble(Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            // not Linux: the figures stay unknown (-1)
        }
        return new CpuUse(jvm, children, load, Runtime.getRuntime().availableProcessors());
    }

    /** "JVM 12.3 s, child processes 45.6 s of CPU in 40.0 s on 2 cores (load average 3.1 → 9.8)". */
    String since(CpuUse start, long wallMillis) {
        return String.format("JVM %.1f s, child processes (codex, its tools and hooks, sqlite3) %.1f s of CPU in %.1f s "
                        + "on %d cores (load average %.1f at the start, %.1f at the end)",
                (jvmMillis - start.jvmMillis) / 1000.0, (childMillis - start.childMillis) / 1000.0, wallMillis / 1000.0,
                cores, start.load1, load1);
    }
}
