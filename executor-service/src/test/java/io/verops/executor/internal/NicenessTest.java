package io.verops.executor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Codex run at a lower CPU priority: the command itself, its children too, and still the process that is timed. */
class NicenessTest {
    private static Path fresh(String name) throws Exception {
        return Files.createDirectories(Path.of("target", "niceness-" + name + "-" + System.nanoTime()).toAbsolutePath());
    }

    @Test
    void nicenessZeroLeavesTheCommandAsItIs() {
        List<String> argv = List.of("codex", "exec", "--json");
        assertThat(Niceness.wrap(argv, 0)).isSameAs(argv);
    }

    @Test
    void aNiceOnThePathPrefixesTheCommandWithItsLevel() {
        assumeTrue(Niceness.binary() != null, "no nice on this machine's PATH");
        assertThat(Niceness.wrap(List.of("codex", "exec"), 7))
                .containsExactly(Niceness.binary().toString(), "-n", "7", "codex", "exec");
    }

    @Test
    void findTakesTheFirstExecutableNiceOnThePathAndSkipsOneThatIsNot() throws Exception {
        Path dir = fresh("find");
        Path notExecutable = Files.createDirectories(dir.resolve("a"));
        Files.writeString(notExecutable.resolve("nice"), "#!/bin/sh\n");
        Path executable = Files.createDirectories(dir.resolve("b"));
        Files.writeString(executable.resolve("nice"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(executable.resolve("nice"), PosixFilePermissions.fromString("rwxr-xr-x"));

        String path = String.join(File.pathSeparator, "", dir.resolve("missing").toString(), notExecutable.toString(),
                executable.toString());
        assertThat(Niceness.find(path)).isEqualTo(executable.resolve("nice"));
        assertThat(Niceness.find(notExecutable.toString())).isNull();
        assertThat(Niceness.find(null)).isNull();
    }

    @Test
    void theWrappedCommandAndWhatItStartsRunAtTheNicenessAndItsOutputIsStillRead() throws Exception {
        assumeTrue(Niceness.binary() != null, "no nice on this machine's PATH");
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "no /proc on this machine");
        Path dir = fresh("run");
        // field 19 of /proc/PID/stat is the niceness: of the shell itself and of a child it starts
        String script = "self=$(cut -d' ' -f19 /proc/$$/stat); child=$(cut -d' ' -f19 /proc/self/stat); "
                + "echo \"{\\\"type\\\":\\\"nice\\\",\\\"self\\\":$self,\\\"child\\\":$child,\\\"pid\\\":$$}\"";
        CodexRun run = CodexProcess.run(Niceness.wrap(List.of("sh", "-c", script), 7), Map.of(), dir,
                dir.resolve("last.txt"), Duration.ofSeconds(30));

        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.events()).singleElement().satisfies(e -> {
            assertThat(e.path("self").asInt()).isEqualTo(7);
            assertThat(e.path("child").asInt()).isEqualTo(7);
        });
    }

    @Test
    void aWrappedCommandPastItsLimitIsKilledWithItsChildren() throws Exception {
        assumeTrue(Niceness.binary() != null, "no nice on this machine's PATH");
        Path dir = fresh("timeout");
        Path pidFile = dir.resolve("child.pid");
        String script = "sleep 300 & echo $! > '" + pidFile + "'; wait";
        CodexRun run = CodexProcess.run(Niceness.wrap(List.of("sh", "-c", script), 5), Map.of(), dir,
                dir.resolve("last.txt"), Duration.ofSeconds(5));

        assertThat(run.timedOut()).isTrue();
        assertThat(pidFile).exists();
        long child = Long.parseLong(Files.readString(pidFile).strip());
        assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false)).as("sleep %s still alive", child)
                .isFalse();
    }
}
