package dev.stepwise.client.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import dev.stepwise.client.TrialConfig;
import dev.stepwise.client.sweep.EpochSummarizer;
import dev.stepwise.client.sweep.SweepExpander;
import dev.stepwise.client.sweep.SweepRuleException;
import dev.stepwise.client.sweep.SweepTree;
import dev.stepwise.client.sweep.Trial;
import dev.stepwise.client.sweep.TrialFilter;
import dev.stepwise.client.sweep.TrialStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code sweep} commands: the seed's config sweep runner. */
final class SweepCommands {

    private SweepCommands() {
    }

    /** {@code sweep}: groups the sweep commands. */
    @Command(name = "sweep", mixinStandardHelpOptions = true,
            description = "Config sweeps: expand cfg/ into trials, show their status, run them, summarize epochs.",
            subcommands = {Expand.class, Status.class, RunTrials.class, Summarize.class})
    static final class Sweep implements Callable<Integer> {
        @Override
        public Integer call() {
            return 2;
        }
    }

    /** Selection options shared by the sweep commands. */
    static final class Filters {
        @Option(names = "--mode", description = "Only this mode: sweep or experiment (repeatable)")
        List<String> modes;
        @Option(names = "--dataset", description = "Only this dataset (repeatable)")
        List<String> datasets;
        @Option(names = "--model", description = "Only this model (repeatable)")
        List<String> models;
        @Option(names = "--trainer", description = "Only this trainer (repeatable)")
        List<String> trainers;

        TrialFilter filter() {
            return TrialFilter.of(modes, datasets, models, trainers);
        }
    }

    /** {@code sweep expand}. */
    @Command(name = "expand", mixinStandardHelpOptions = true,
            description = "Merge each leaf cfg/<mode>/<dataset>/<model>/<trainer>/cfg.yaml with its ancestors and "
                    + "write one out/log/.../trial_###/cfg.yaml per combination of list values; exit 2 when a "
                    + "rule is broken.")
    static final class Expand extends Main.Base {
        @Option(names = "--cfg", defaultValue = "cfg", description = "Config tree (default: ${DEFAULT-VALUE})")
        Path cfg;
        @Option(names = "--out", defaultValue = "out/log", description = "Output tree (default: ${DEFAULT-VALUE})")
        Path out;
        @picocli.CommandLine.Mixin
        Filters filters;

        @Override
        public Integer call() throws IOException {
            SweepExpander.Result result;
            try {
                result = SweepExpander.builder().cfgRoot(cfg).outRoot(out).filter(filters.filter()).build().expand();
            } catch (SweepRuleException e) {
                e.violations().forEach(v -> main.err().println("error: " + v));
                return 2;
            }
            String group = null;
            for (SweepExpander.ExpandedTrial t : result.trials()) {
                if (!t.trial().group().equals(group)) {
                    group = t.trial().group();
                    main.out().println(group);
                }
                main.out().println("  " + t.trial().name() + " " + t.axes() + (t.written() ? " (written)" : ""));
            }
            main.out().printf("%d trials: %d written, %d unchanged%n", result.trials().size(), result.written(),
                    result.unchanged());
            return 0;
        }
    }

    /** {@code sweep status}. */
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "List trials as complete (batch_log.csv present), running or pending.")
    static final class Status extends Main.Base {
        @Option(names = "--out", defaultValue = "out/log", description = "Output tree (default: ${DEFAULT-VALUE})")
        Path out;
        @picocli.CommandLine.Mixin
        Filters filters;

        @Override
        public Integer call() throws IOException {
            List<Trial> trials = SweepTree.trials(out, filters.filter());
            Map<TrialStatus, Integer> counts = new EnumMap<>(TrialStatus.class);
            for (Trial t : trials) {
                TrialStatus s = t.status();
                counts.merge(s, 1, Integer::sum);
                main.out().printf("%-8s %s%n", s.name().toLowerCase(java.util.Locale.ROOT), t.path());
            }
            main.out().printf("%d trials: %d complete, %d running, %d pending%n", trials.size(),
                    counts.getOrDefault(TrialStatus.COMPLETE, 0), counts.getOrDefault(TrialStatus.RUNNING, 0),
                    counts.getOrDefault(TrialStatus.PENDING, 0));
            return 0;
        }
    }

    /** {@code sweep run [filters] -- COMMAND ARGS...}. */
    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run COMMAND once per pending trial (in the current directory) with STEPWISE_TRIAL_DIR, "
                    + "STEPWISE_TRIAL_CFG, STEPWISE_RUN_ID, STEPWISE_RUN_NAME and STEPWISE_GROUP set (and --url, "
                    + "--api-key, --project passed on as STEPWISE_URL, STEPWISE_API_KEY, STEPWISE_PROJECT, like STEPWISE_MODE and STEPWISE_SPOOL_DIR); exit 1 "
                    + "when a command failed.")
    static final class RunTrials extends Main.Base {
        @Option(names = "--out", defaultValue = "out/log", description = "Output tree (default: ${DEFAULT-VALUE})")
        Path out;
        @Option(names = "--project", description = "Project slug for the run ids (default: $STEPWISE_PROJECT)")
        String project;
        @Option(names = "--no-progress", description = "Do not draw the progress bar")
        boolean noProgress;
        @Option(names = "--keep-going", description = "Run the remaining trials after a command failed")
        boolean keepGoing;
        @picocli.CommandLine.Mixin
        Filters filters;
        @Parameters(arity = "1..*", description = "The trainer command and its arguments (after --)")
        List<String> command;

        @Override
        public Integer call() throws Exception {
            String slug = project != null ? project : env("STEPWISE_PROJECT");
            List<Trial> pending = new ArrayList<>();
            for (Trial t : SweepTree.trials(out, filters.filter())) {
                if (t.status() == TrialStatus.PENDING) {
                    pending.add(t);
                }
            }
            if (pending.isEmpty()) {
                main.out().println("no pending trials in " + out);
                return 0;
            }
            boolean draw = !noProgress && System.console() != null;
            Main.Progress progress = new Main.Progress(main.err(), pending.size(), draw, "trials");
            int done = 0;
            int failed = 0;
            for (Trial t : pending) {
                ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
                Map<String, String> env = pb.environment();
                env.put(TrialConfig.ENV_TRIAL_DIR, t.dir().toAbsolutePath().toString());
                env.put(TrialConfig.ENV_TRIAL_CFG, t.cfgFile().toAbsolutePath().toString());
                env.put(TrialConfig.ENV_RUN_ID, t.runId(slug).toString());
                env.put(TrialConfig.ENV_RUN_NAME, t.name());
                env.put(TrialConfig.ENV_GROUP, t.group());
                // connection settings given to the CLI reach the trainer too
                putIfSet(env, "STEPWISE_URL", conn.url != null ? conn.url : env("STEPWISE_URL"));
                putIfSet(env, "STEPWISE_API_KEY", conn.apiKey != null ? conn.apiKey : env("STEPWISE_API_KEY"));
                putIfSet(env, "STEPWISE_PROJECT", slug);
                putIfSet(env, "STEPWISE_MODE", env("STEPWISE_MODE"));
                putIfSet(env, "STEPWISE_SPOOL_DIR", env("STEPWISE_SPOOL_DIR"));
                Path lock = t.dir().resolve(Trial.RUNNING_LOCK);
                Process p = pb.start();
                Files.writeString(lock, Long.toString(p.pid()), StandardCharsets.UTF_8);
                int code;
                try {
                    code = p.waitFor();
                } finally {
                    Files.deleteIfExists(lock);
                }
                done++;
                if (code != 0) {
                    failed++;
                    progress.message(t.path() + ": command exited with " + code);
                } else if (!Files.exists(t.dir().resolve(Trial.BATCH_LOG))) {
                    progress.message(t.path() + ": finished without writing " + Trial.BATCH_LOG
                            + " (it stays pending)");
                }
                progress.update(done, failed);
                if (code != 0 && !keepGoing) {
                    break;
                }
            }
            progress.done();
            main.out().printf("ran %d of %d pending trials; %d failed%n", done, pending.size(), failed);
            return failed == 0 ? 0 : 1;
        }
    }

    private static void putIfSet(Map<String, String> env, String name, String value) {
        if (value != null) {
            env.put(name, value);
        }
    }

    /** {@code sweep summarize DIR}. */
    @Command(name = "summarize", mixinStandardHelpOptions = true,
            description = "Write epoch_log.csv beside each batch_log.csv below DIR (one row per epoch and mode), "
                    + "only where batch_log.csv is newer.")
    static final class Summarize extends Main.Base {
        @Parameters(index = "0", arity = "0..1", defaultValue = "out/log",
                description = "Directory to search (default: ${DEFAULT-VALUE})")
        Path dir;

        @Override
        public Integer call() throws IOException {
            if (!Files.isDirectory(dir)) {
                main.err().println("not a directory: " + dir);
                return 2;
            }
            List<Path> logs;
            try (Stream<Path> files = Files.walk(dir)) {
                logs = files.filter(p -> p.getFileName().toString().equals(Trial.BATCH_LOG)).sorted().toList();
            }
            int written = 0;
            int failed = 0;
            for (Path log : logs) {
                try {
                    if (EpochSummarizer.summarize(log.getParent())) {
                        written++;
                        main.out().println("wrote " + log.resolveSibling(Trial.EPOCH_LOG));
                    }
                } catch (IOException e) {
                    failed++;
                    main.err().println("failed " + log + ": " + e.getMessage());
                }
            }
            main.out().printf("%d batch logs: %d summarized, %d fresh, %d failed%n", logs.size(), written,
                    logs.size() - written - failed, failed);
            return failed == 0 ? 0 : 1;
        }
    }
}
