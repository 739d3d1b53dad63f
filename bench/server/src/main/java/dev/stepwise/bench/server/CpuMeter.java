package dev.stepwise.bench.server;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * CPU seconds used by the server JVM, by PostgreSQL (postmaster, its live backends and the ones
 * that have exited) and by this benchmark, read from {@code /proc}, so a phase can say where its
 * time went. Linux only; elsewhere {@link #available()} is false.
 */
final class CpuMeter {

    /**
     * CPU seconds so far; subtract two samples to get a phase's share. {@code serverJit} is the
     * part of {@code server} spent by the server JVM's JIT compiler threads.
     */
    record Sample(double server, double postgres, double bench, double serverJit) {

        Sample minus(Sample earlier) {
            return new Sample(server - earlier.server, postgres - earlier.postgres, bench - earlier.bench,
                    serverJit - earlier.serverJit);
        }
    }

    private static final double TICKS_PER_SECOND = 100.0;

    private final long serverPid;
    private final long postmasterPid;

    CpuMeter(long serverPid, Path postgresDataDir) throws IOException {
        this.serverPid = serverPid;
        this.postmasterPid = Long.parseLong(Files.readAllLines(postgresDataDir.resolve("postmaster.pid")).get(0).trim());
    }

    static boolean available() {
        return Files.isReadable(Path.of("/proc/self/stat"));
    }

    Sample sample() {
        double postgres = ticks(postmasterPid, true) + ProcessHandle.of(postmasterPid).stream()
                .flatMap(ProcessHandle::children).mapToDouble(p -> ticks(p.pid(), true)).sum();
        return new Sample(ticks(serverPid, false) / TICKS_PER_SECOND, postgres / TICKS_PER_SECOND,
                ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class).getProcessCpuTime()
                        / 1e9, jitTicks(serverPid) / TICKS_PER_SECOND);
    }

    /** CPU ticks of the JIT compiler threads ("C1 CompilerThre…", "C2 CompilerThre…") of a JVM. */
    private static double jitTicks(long pid) {
        double sum = 0;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    if (Files.readString(task.resolve("comm")).contains("CompilerThre")) {
                        sum += ticks(task, false);
                    }
                } catch (IOException | RuntimeException gone) {
                    // the thread ended between listing and reading
                }
            }
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
        return sum;
    }

    /** utime + stime (+ cutime + cstime: children that have exited and were waited for) in clock ticks. */
    private static double ticks(long pid, boolean withExitedChildren) {
        return ticks(Path.of("/proc", Long.toString(pid)), withExitedChildren);
    }

    private static double ticks(Path procDir, boolean withExitedChildren) {
        try {
            String stat = Files.readString(procDir.resolve("stat"));
            // Fields after the parenthesised command name: state is field 3, utime 14, stime 15, cutime 16, cstime 17.
            List<String> f = List.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
            double t = Long.parseLong(f.get(11)) + Long.parseLong(f.get(12));
            return withExitedChildren ? t + Long.parseLong(f.get(13)) + Long.parseLong(f.get(14)) : t;
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    static Optional<String> loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return Optional.of(f[0] + " " + f[1] + " " + f[2]);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
