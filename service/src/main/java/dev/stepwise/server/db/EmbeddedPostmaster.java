package dev.stepwise.server.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL server process of a data directory, outside the library that starts it:
 * finding and stopping a postmaster that a killed service left running (so the next start comes
 * up on the first try), and a watchdog process that stops the postmaster when the service's JVM
 * dies without closing it (SIGKILL, the OOM killer).
 */
final class EmbeddedPostmaster {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostmaster.class);

    private EmbeddedPostmaster() {}

    /** The postmaster named by {@code postmaster.pid} of {@code dataDir}, if it is a live postgres process. */
    static Optional<ProcessHandle> running(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        List<String> lines;
        try {
            lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (lines.size() < 2) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        Path ownDir = dataDir.toAbsolutePath().normalize();
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false))
                .filter(p -> Path.of(lines.get(1).trim()).toAbsolutePath().normalize().equals(ownDir));
    }

    /**
     * Stops a postmaster of {@code dataDir} that no live service owns any more: a fast shutdown
     * (SIGINT: rolls back open transactions, writes a checkpoint), then SIGKILL after a grace period.
     */
    static void stopOrphan(Path dataDir, Duration grace) {
        running(dataDir).ifPresent(postmaster -> {
            log.warn("A PostgreSQL server (pid {}) from an earlier run still holds {}; stopping it",
                    postmaster.pid(), dataDir);
            signal(postmaster.pid(), "INT");
            Instant deadline = Instant.now().plus(grace);
            while (postmaster.isAlive() && Instant.now().isBefore(deadline)) {
                try {
                    postmaster.onExit().get(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    // keep waiting until the deadline
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (java.util.concurrent.ExecutionException e) {
                    break;
                }
            }
            if (postmaster.isAlive()) {
                postmaster.destroyForcibly();
            }
        });
    }

    /**
     * Starts a small shell process that waits for this JVM to end and then stops the postmaster of
     * {@code dataDir} (only if that pid is still a postgres process). Destroy it after a clean stop.
     */
    static Optional<Process> watchdog(Path dataDir) {
        Optional<ProcessHandle> postmaster = running(dataDir);
        if (postmaster.isEmpty()) {
            return Optional.empty();
        }
        long jvm = ProcessHandle.current().pid();
        long pg = postmaster.get().pid();
        String script = "while kill -0 " + jvm + " 2>/dev/null; do sleep 1; done; "
                + "if grep -q postgres /proc/" + pg + "/cmdline 2>/dev/null; then kill -INT " + pg + "; fi";
        try {
            Process process = new ProcessBuilder("/bin/sh", "-c", script)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            process.getOutputStream().close();
            return Optional.of(process);
        } catch (IOException e) {
            log.warn("Could not start the embedded database watchdog: {}", e.getMessage());
            return Optional.empty();
        }
    }

    private static void signal(long pid, String signal) {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
        } catch (IOException e) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
