package dev.stepwise.client.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Callable;

import dev.stepwise.client.RetryPolicy;
import dev.stepwise.client.Sleeper;
import dev.stepwise.client.TrainLog;
import dev.stepwise.client.internal.Counters;
import dev.stepwise.client.internal.HttpApi;
import dev.stepwise.client.internal.Json;
import dev.stepwise.client.internal.Replayer;
import dev.stepwise.client.internal.Retrier;
import dev.stepwise.client.internal.Spool;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code stepwise-cli.jar} command line: {@code sync}, {@code import trainlog},
 * {@code import trials} and {@code export trainlog}.
 *
 * <p>Connection settings come from {@code --url}, {@code --api-key}, {@code --project}, or the
 * environment variables {@code STEPWISE_URL}, {@code STEPWISE_API_KEY}, {@code STEPWISE_PROJECT};
 * {@code sync} reads {@code STEPWISE_SPOOL_DIR} for its default directory.
 * Exit codes: 0 success, 1 something was not accepted, 2 usage error.
 */
@Command(name = "stepwise", mixinStandardHelpOptions = true, version = "stepwise-cli 0.1",
        description = "Stepwise command line: upload spooled runs, import and export TrainLog files.",
        subcommands = {Main.Sync.class, Main.Import.class, Main.Export.class, SweepCommands.Sweep.class})
public final class Main implements Callable<Integer> {

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    private Main(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    /**
     * Runs the command line and exits with its code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(execute(args, System.getenv(), System.out, System.err));
    }

    /**
     * Runs the command line without exiting (for tests and embedding).
     *
     * @param args the arguments
     * @param env the environment variables to read defaults from
     * @param out where results go
     * @param err where progress and errors go
     * @return the exit code: 0 success, 1 not everything accepted, 2 usage error
     */
    public static int execute(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Main main = new Main(env, out, err);
        CommandLine cl = new CommandLine(main, new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                if (Base.class.isAssignableFrom(cls)) {
                    K k = CommandLine.defaultFactory().create(cls);
                    ((Base) k).main = main;
                    return k;
                }
                return CommandLine.defaultFactory().create(cls);
            }
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof UsageError) {
                err.println(ex.getMessage());
                return 2;
            }
            err.println("error: " + ex);
            return 1;
        });
        cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        return cl.execute(args);
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    /** @return 2: a subcommand is required */
    @Override
    public Integer call() {
        err.println("Missing command: sync, import, export or sweep (see --help)");
        return 2;
    }

    /** A configuration mistake found while running a command: exit code 2. */
    static final class UsageError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageError(String message) {
            super(message);
        }
    }

    /** Connection options shared by every command. */
    static final class Connection {
        @Option(names = "--url", description = "Server URL (default: $STEPWISE_URL)")
        String url;
        @Option(names = "--api-key", description = "Project API key (default: $STEPWISE_API_KEY)")
        String apiKey;
        @Option(names = "--max-attempts", description = "Attempts per request (default: ${DEFAULT-VALUE})",
                defaultValue = "5")
        int maxAttempts;
    }

    /** Base of subcommands: access to the environment and the API. */
    abstract static class Base implements Callable<Integer> {
        Main main;
        @Mixin
        Connection conn;

        String env(String name) {
            String v = main.env.get(name);
            return v == null || v.isBlank() ? null : v.trim();
        }

        HttpApi api() {
            String url = conn.url != null ? conn.url : env("STEPWISE_URL");
            if (url == null) {
                throw new UsageError("No server URL: pass --url or set STEPWISE_URL");
            }
            String key = conn.apiKey != null ? conn.apiKey : env("STEPWISE_API_KEY");
            return new HttpApi(url, key, Duration.ofSeconds(10), Duration.ofSeconds(60));
        }

        Retrier retrier(Counters counters) {
            return new Retrier(RetryPolicy.builder().maxAttempts(Math.max(1, conn.maxAttempts)).build(),
                    Sleeper.system(), Clock.systemUTC(), Duration.ofSeconds(60), counters);
        }

        String project(String option) {
            String p = option != null ? option : env("STEPWISE_PROJECT");
            if (p == null) {
                throw new UsageError("No project: pass --project or set STEPWISE_PROJECT");
            }
            return p;
        }
    }

    /** {@code sync [DIR]}: uploads a spool directory exactly once. */
    @Command(name = "sync", mixinStandardHelpOptions = true,
            description = "Upload spooled runs and batches (oldest first, each exactly once); "
                    + "exit 0 only when every entry was accepted.")
    static final class Sync extends Base {
        @Parameters(index = "0", arity = "0..1", description = "Spool directory (default: $STEPWISE_SPOOL_DIR or ~/.stepwise/spool)")
        Path dir;
        @Option(names = "--no-progress", description = "Do not draw the progress bar")
        boolean noProgress;

        @Override
        public Integer call() throws Exception {
            Path d = dir;
            if (d == null) {
                String e = env("STEPWISE_SPOOL_DIR");
                d = e != null ? Path.of(e) : Path.of(System.getProperty("user.home"), ".stepwise", "spool");
            }
            List<Path> files = Spool.listDir(d, null);
            if (files.isEmpty()) {
                main.out.println("Nothing to sync in " + d);
                return 0;
            }
            Counters counters = new Counters();
            Spool spool = new Spool(d, Long.MAX_VALUE, Clock.systemUTC());
            Replayer replayer = new Replayer(api(), retrier(counters), spool, counters);
            Progress progress = new Progress(main.err, files.size(), !noProgress);
            int accepted = 0;
            int rejected = 0;
            long points = 0;
            String stopped = null;
            for (Path f : files) {
                Replayer.Report r = replayer.replay(f, Math.max(1, conn.maxAttempts), Long.MAX_VALUE / 4);
                switch (r.result()) {
                    case ACCEPTED:
                        accepted++;
                        points += r.points();
                        break;
                    case REJECTED:
                        rejected++;
                        progress.message("rejected " + f.getFileName() + ": " + r.reason() + " (moved to "
                                + Spool.REJECTED_DIR + "/)");
                        break;
                    default:
                        stopped = f.getFileName() + ": " + r.reason();
                        break;
                }
                if (stopped != null) {
                    break;
                }
                progress.update(accepted + rejected, points);
            }
            progress.done();
            int left = files.size() - accepted - rejected;
            main.out.printf("synced %d of %d entries (%d points); %d rejected; %d left%n", accepted, files.size(),
                    points, rejected, left);
            if (stopped != null) {
                main.err.println("stopped: " + stopped);
            }
            try {
                // Lock files of ended trainers whose entries are all synced now.
                Spool.removeStaleLocks(d);
            } catch (IOException ignored) {
                // tidying only
            }
            return accepted == files.size() ? 0 : 1;
        }
    }

    /** {@code import}: groups the import commands. */
    @Command(name = "import", mixinStandardHelpOptions = true, description = "Import existing logs.",
            subcommands = {ImportTrainLog.class, ImportTrials.class})
    static final class Import implements Callable<Integer> {
        @Override
        public Integer call() {
            return 2;
        }
    }

    /** {@code export}: groups the export commands. */
    @Command(name = "export", mixinStandardHelpOptions = true, description = "Export runs.",
            subcommands = {ExportTrainLog.class})
    static final class Export implements Callable<Integer> {
        @Override
        public Integer call() {
            return 2;
        }
    }

    /** Imports TrainLog files; shared by {@code import trainlog} and {@code import trials}. */
    abstract static class Importer extends Base {
        @Option(names = "--project", description = "Project slug (default: $STEPWISE_PROJECT)")
        String project;

        int importAll(List<Path> files, java.util.function.Function<Path, List<String>> extraNotes) throws Exception {
            HttpApi api = api();
            String slug = project(project);
            Retrier retrier = retrier(new Counters());
            int failed = 0;
            for (Path f : files) {
                byte[] body;
                try {
                    TrainLog log = TrainLog.read(f);
                    body = withNotes(log, extraNotes.apply(f)).toJson();
                } catch (IOException e) {
                    main.err.println("skipped " + f + ": " + e.getMessage());
                    failed++;
                    continue;
                }
                Retrier.Outcome o = retrier.execute(t -> api.importTrainLog(slug, body), Long.MAX_VALUE / 4);
                if (o.kind() == Retrier.Kind.OK) {
                    Object id = Json.readObject(o.response().body()).get("id");
                    main.out.println(f + " -> run " + id);
                } else {
                    main.err.println("failed " + f + ": " + o.reason());
                    failed++;
                }
            }
            return failed == 0 ? 0 : 1;
        }

        private static TrainLog withNotes(TrainLog log, List<String> extra) {
            if (extra.isEmpty()) {
                return log;
            }
            TrainLog.Builder b = TrainLog.builder().title(log.title()).steps(log.steps());
            log.series().forEach(b::series);
            log.notes().forEach(b::note);
            for (String n : extra) {
                String key = n.substring(0, n.indexOf('=') + 1);
                if (log.notes().stream().noneMatch(x -> x.startsWith(key))) {
                    b.note(n);
                }
            }
            return b.build();
        }
    }

    /** {@code import trainlog FILE...}: each file becomes a run. */
    @Command(name = "trainlog", mixinStandardHelpOptions = true,
            description = "Import TrainLog JSON files, one run each.")
    static final class ImportTrainLog extends Importer {
        @Parameters(arity = "1..*", description = "TrainLog JSON files")
        List<Path> files;

        @Override
        public Integer call() throws Exception {
            return importAll(files, f -> List.of());
        }
    }

    /**
     * {@code import trials DIR}: every TrainLog file directly in DIR, and every JSON TrainLog in
     * each sub-directory (a trial folder), becomes a run; a trial folder's name becomes the run
     * name and DIR's name the group, unless the log names them itself.
     */
    @Command(name = "trials", mixinStandardHelpOptions = true,
            description = "Import a directory of TrainLog files and trial folders, one run per log; "
                    + "folder names become run names, the directory name the group. Trial folders holding "
                    + "batch_log.csv (+ cfg.yaml), at any depth, become one run each (see sweep run); "
                    + "importing again stores nothing twice.")
    static final class ImportTrials extends Importer {
        @Parameters(index = "0", description = "Directory of trials")
        Path dir;
        @Option(names = "--no-progress", description = "Do not draw the progress bar")
        boolean noProgress;

        @Override
        public Integer call() throws Exception {
            if (!Files.isDirectory(dir)) {
                main.err.println("not a directory: " + dir);
                return 2;
            }
            List<Path> batchLogs;
            try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
                batchLogs = walk.filter(p -> p.getFileName().toString().equals(dev.stepwise.client.sweep.Trial.BATCH_LOG))
                        .sorted().toList();
            }
            if (!batchLogs.isEmpty()) {
                return importBatchLogs(batchLogs);
            }
            List<Path> logs = new ArrayList<>();
            List<Path> entries = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                ds.forEach(entries::add);
            }
            entries.sort(null);
            for (Path p : entries) {
                if (Files.isDirectory(p)) {
                    try (DirectoryStream<Path> inner = Files.newDirectoryStream(p, "*.json")) {
                        List<Path> found = new ArrayList<>();
                        inner.forEach(found::add);
                        found.sort(null);
                        for (Path f : found) {
                            if (looksLikeTrainLog(f)) {
                                logs.add(f);
                            }
                        }
                    }
                } else if (p.getFileName().toString().endsWith(".json") && looksLikeTrainLog(p)) {
                    logs.add(p);
                }
            }
            if (logs.isEmpty()) {
                main.err.println("no TrainLog files found in " + dir);
                return 1;
            }
            String group = Objects.toString(dir.toAbsolutePath().normalize().getFileName(), "trials");
            return importAll(logs, f -> {
                boolean inTrial = !f.getParent().toAbsolutePath().normalize().equals(dir.toAbsolutePath().normalize());
                String name = inTrial ? f.getParent().getFileName().toString()
                        : f.getFileName().toString().replaceFirst("\\.json$", "");
                return List.of("run_name=" + name, "group=" + group);
            });
        }

        private int importBatchLogs(List<Path> batchLogs) throws InterruptedException {
            BatchLogImport importer = new BatchLogImport(api(), retrier(new Counters()), project(project));
            boolean draw = !noProgress && System.console() != null;
            Progress progress = new Progress(main.err, batchLogs.size(), draw, "trials");
            int failed = 0;
            int done = 0;
            for (Path log : batchLogs) {
                try {
                    BatchLogImport.Result r = importer.importFolder(log.getParent());
                    main.out.println(log.getParent() + " -> run " + r.runId() + " (" + r.newRows() + " new of "
                            + r.rows() + " rows, " + r.points() + " points)");
                } catch (IOException e) {
                    failed++;
                    progress.message("failed " + log.getParent() + ": " + e.getMessage());
                }
                progress.update(++done, failed);
            }
            progress.done();
            return failed == 0 ? 0 : 1;
        }

        private static boolean looksLikeTrainLog(Path f) {
            try {
                TrainLog t = TrainLog.read(f);
                return !t.series().isEmpty() || !t.notes().isEmpty();
            } catch (IOException e) {
                return false;
            }
        }
    }

    /** {@code export trainlog RUN_ID -o FILE}: writes one run as TrainLog JSON. */
    @Command(name = "trainlog", mixinStandardHelpOptions = true, description = "Export a run as TrainLog JSON.")
    static final class ExportTrainLog extends Base {
        @Parameters(index = "0", description = "Run id (UUID)")
        UUID runId;
        @Option(names = {"-o", "--output"}, required = true, description = "Output file")
        Path output;
        @Option(names = "--project", description = "Project slug (default: $STEPWISE_PROJECT)")
        String project;

        @Override
        public Integer call() throws Exception {
            HttpApi api = api();
            String slug = project(project);
            Retrier.Outcome o = retrier(new Counters()).execute(t -> api.exportTrainLog(slug, runId),
                    Long.MAX_VALUE / 4);
            if (o.kind() != Retrier.Kind.OK) {
                main.err.println("export failed: " + o.reason());
                return 1;
            }
            TrainLog log = TrainLog.parse(o.response().body());
            log.write(output);
            main.out.println("wrote " + output + " (" + log.series().size() + " series, "
                    + Math.max(log.steps().length, log.series().stream().mapToInt(TrainLog.Series::size).max().orElse(0))
                    + " steps)");
            return 0;
        }
    }

    /** A one-line progress bar on stderr. */
    static final class Progress {
        private final PrintStream err;
        private final int total;
        private final boolean draw;
        private final String unit;

        Progress(PrintStream err, int total, boolean draw) {
            this(err, total, draw, null);
        }

        /** A bar counting {@code unit}s; the second number of {@link #update} is then the failures. */
        Progress(PrintStream err, int total, boolean draw, String unit) {
            this.err = err;
            this.total = total;
            this.draw = draw;
            this.unit = unit;
        }

        void update(int done, long points) {
            if (!draw) {
                return;
            }
            int width = 30;
            int filled = total == 0 ? width : (int) ((long) done * width / total);
            err.print("\r[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + done + "/" + total
                    + (unit == null ? " entries, " + points + " points" : " " + unit + ", " + points + " failed"));
            err.flush();
        }

        void message(String m) {
            if (draw) {
                err.print("\r");
            }
            err.println(m);
        }

        void done() {
            if (draw) {
                err.println();
            }
        }
    }
}
