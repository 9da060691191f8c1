package io.verops.executor.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A script that is still open for writing somewhere cannot be run (ETXTBSY); the start waits for it briefly. */
class TextFileBusyTest {
    @Test
    void aScriptHeldOpenForWritingStartsOnceItIsReleased(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("busy.sh");
        FileOutputStream writer = new FileOutputStream(script.toFile());
        writer.write("#!/bin/bash\necho ok\n".getBytes(StandardCharsets.UTF_8));
        writer.flush();
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        ProcessBuilder pb = new ProcessBuilder(script.toString()).redirectErrorStream(true);
        // held open: the kernel refuses to run it
        assertThatThrownBy(pb::start).isInstanceOf(IOException.class).hasMessageContaining("error=26");

        Thread release = new Thread(() -> {
            try {
                Thread.sleep(30);
                writer.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        release.start();
        Process p = Hooks.startRetryingTextFileBusy(pb);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip()).isEqualTo("ok");
        release.join();
    }
}
