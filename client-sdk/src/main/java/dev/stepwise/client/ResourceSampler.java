package dev.stepwise.client;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples process CPU, JVM heap and, when {@code nvidia-smi} exists, GPU memory and utilisation,
 * and logs them to a run at a fixed cadence.
 *
 * <p>Keys: {@code system/cpu_percent} (this process, all cores = 100), {@code system/heap_used_mb},
 * {@code system/heap_committed_mb}, {@code system/heap_max_mb}, and per GPU {@code i}
 * {@code system/gpu<i>/memory_used_mb}, {@code system/gpu<i>/memory_total_mb},
 * {@code system/gpu<i>/utilization_percent}. Samples are logged at the run's current step.
 * Use {@link #start()} for a background thread at {@code interval}, or
 * {@link TrainingCallbacks#sampleResources(Run, ResourceSampler, long)} for a step cadence.
 *
 * <p>Thread-safe. Close it to stop the background thread.
 */
public final class ResourceSampler implements AutoCloseable {

    private static final List<String> DEFAULT_GPU_COMMAND = List.of("nvidia-smi",
            "--query-gpu=index,memory.used,memory.total,utilization.gpu", "--format=csv,noheader,nounits");

    private final Run run;
    private final Duration interval;
    private final List<String> gpuCommand;
    private volatile boolean gpuAvailable;
    private ScheduledExecutorService executor;

    private ResourceSampler(Builder b) {
        this.run = b.run;
        this.interval = b.interval;
        this.gpuCommand = b.gpuCommand;
        this.gpuAvailable = b.gpuCommand != null;
    }

    /**
     * Starts a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Takes one sample now.
     *
     * @return key to value, in the order documented on the class
     */
    public Map<String, Double> sample() {
        Map<String, Double> m = new LinkedHashMap<>();
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            double load = ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuLoad();
            if (load >= 0) {
                m.put("system/cpu_percent", load * 100.0);
            }
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        m.put("system/heap_used_mb", heap.getUsed() / 1048576.0);
        m.put("system/heap_committed_mb", heap.getCommitted() / 1048576.0);
        if (heap.getMax() > 0) {
            m.put("system/heap_max_mb", heap.getMax() / 1048576.0);
        }
        if (gpuAvailable) {
            sampleGpus(m);
        }
        return m;
    }

    /** @return whether GPU sampling is on (turned off after {@code nvidia-smi} fails) */
    public boolean gpuAvailable() {
        return gpuAvailable;
    }

    private void sampleGpus(Map<String, Double> m) {
        try {
            Process p = new ProcessBuilder(gpuCommand).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                gpuAvailable = false;
                return;
            }
            for (String line : out.split("\\R")) {
                String[] f = line.split(",");
                if (f.length < 4) {
                    continue;
                }
                try {
                    String gpu = "system/gpu" + f[0].trim();
                    m.put(gpu + "/memory_used_mb", Double.parseDouble(f[1].trim()));
                    m.put(gpu + "/memory_total_mb", Double.parseDouble(f[2].trim()));
                    m.put(gpu + "/utilization_percent", Double.parseDouble(f[3].trim()));
                } catch (NumberFormatException ignored) {
                    // "[N/A]" on some boards
                }
            }
        } catch (IOException e) {
            // no nvidia-smi: no GPU sampling from now on
            gpuAvailable = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Takes a sample and logs it to the run at the run's current step.
     */
    public void sampleAndLog() {
        long step = Math.max(0, run.lastStep());
        sample().forEach((k, v) -> run.log(k, v, step));
    }

    /**
     * Starts sampling on a daemon thread every {@code interval}. Idempotent.
     *
     * @return this sampler
     */
    public synchronized ResourceSampler start() {
        if (executor == null) {
            executor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "stepwise-resource-sampler");
                t.setDaemon(true);
                return t;
            });
            long ms = interval.toMillis();
            executor.scheduleAtFixedRate(() -> {
                if (run.isOpen()) {
                    sampleAndLog();
                }
            }, 0, ms, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /** Stops the background thread, if started. Idempotent. */
    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    /** Builds a {@link ResourceSampler}; not thread-safe. */
    public static final class Builder {
        private Run run;
        private Duration interval = Duration.ofSeconds(10);
        private List<String> gpuCommand = DEFAULT_GPU_COMMAND;

        private Builder() {
        }

        /**
         * Sets the run samples are logged to (required for {@link #start()} and {@link #sampleAndLog()}).
         *
         * @param run the run
         * @return this builder
         */
        public Builder run(Run run) {
            this.run = Objects.requireNonNull(run, "run");
            return this;
        }

        /**
         * Sets the cadence of {@link ResourceSampler#start()}. Default 10 s.
         *
         * @param interval positive
         * @return this builder
         */
        public Builder interval(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("interval must be positive");
            }
            this.interval = interval;
            return this;
        }

        /**
         * Sets the command that prints {@code index, memory.used, memory.total, utilization.gpu}
         * CSV lines; default {@code nvidia-smi --query-gpu=... --format=csv,noheader,nounits};
         * {@code null} turns GPU sampling off.
         *
         * @param command the command and its arguments, or {@code null}
         * @return this builder
         */
        public Builder gpuCommand(List<String> command) {
            this.gpuCommand = command == null ? null : List.copyOf(command);
            return this;
        }

        /**
         * Builds the sampler (not started).
         *
         * @return the sampler
         */
        public ResourceSampler build() {
            return new ResourceSampler(this);
        }
    }
}
