package dev.stepwise.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import com.sun.net.httpserver.HttpServer;

import dev.stepwise.client.Run;
import dev.stepwise.client.Stepwise;

/**
 * Caller-thread cost of {@code run.log(key, value, step)}, with a fast fake server up and with
 * the server down (connection refused), in sample-time mode (median, p99.9 per call).
 *
 * <p>{@code workNs} is training work between two calls, done in an invocation-level setup so it
 * is not part of the measured time: {@code 0} logs in a tight loop (far faster than the upload
 * worker drains, so the queue overflows to the spool); {@code 1000} is a still very busy
 * trainer logging about a million points per second; {@code 5000} about 200,000 per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
// The JDK HttpServer leaves Nagle on by default, which adds 40 ms per request on loopback.
// A latency benchmark: the heap is committed and touched up front, so page faults of a growing
// heap are not counted as SDK cost.
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch", "-Dsun.net.httpserver.nodelay=true"})
@Threads(1)
public class RunLogBenchmark {

    @Param({"up", "down"})
    public String server;

    @Param({"0", "1000", "5000"})
    public long workNs;

    private HttpServer http;
    private java.util.concurrent.ExecutorService httpThreads;
    private Stepwise stepwise;
    private Run run;
    private Path spool;
    private long step;
    private double value = 0.5;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        String url;
        if (server.equals("up")) {
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
            httpThreads = Executors.newFixedThreadPool(2);
            http.setExecutor(httpThreads);
            http.createContext("/", ex -> {
                try (InputStream in = ex.getRequestBody()) {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                }
                byte[] body = ex.getRequestURI().getPath().endsWith("/runs")
                        ? "{\"id\":\"x\",\"status\":\"RUNNING\"}".getBytes(StandardCharsets.UTF_8)
                        : "{\"accepted\":1,\"duplicate\":false}".getBytes(StandardCharsets.UTF_8);
                int status = ex.getRequestURI().getPath().endsWith("/runs") ? 201 : 200;
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(status, body.length);
                ex.getResponseBody().write(body);
                ex.close();
            });
            http.start();
            url = "http://127.0.0.1:" + http.getAddress().getPort();
        } else {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            url = "http://127.0.0.1:" + port;
        }
        spool = Files.createTempDirectory("stepwise-bench-spool");
        stepwise = Stepwise.builder().environment(Map.of()).baseUrl(url).project("bench").spoolDir(spool)
                .spoolMaxBytes(256L << 20).heartbeatInterval(Duration.ZERO).shutdownHook(false).build();
        run = stepwise.newRun().name("bench").start();
    }

    @Setup(Level.Invocation)
    public void trainingWork() {
        if (workNs > 0) {
            long end = System.nanoTime() + workNs;
            while (System.nanoTime() < end) {
                Blackhole.consumeCPU(10);
            }
        }
    }

    /** The harness's own floor on this machine: the same loop without the SDK call. */
    @Benchmark
    public long baseline() {
        return step++;
    }

    @Benchmark
    public void log() {
        run.log("train/loss", value, step++);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        stepwise.close(Duration.ofSeconds(2));
        System.out.println();
        System.out.println("[" + server + ", workNs=" + workNs + "] " + stepwise.stats());
        if (http != null) {
            http.stop(0);
            httpThreads.shutdownNow();
        }
        try (Stream<Path> files = Files.walk(spool)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
