package dev.stepwise.client;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import dev.stepwise.client.internal.TrainLogFileSink;

/**
 * Where a trainer's log goes, as the TrainLog tooling names it: {@code disabled}, a mode
 * ({@code online}, {@code offline}), or a TrainLog JSON file. {@code STEPWISE_MODE} is parsed with
 * {@link #parse(String)}, so {@code STEPWISE_MODE=runs/baseline.json} writes each run to that file.
 *
 * <p>Parsing follows the seed's rule: {@code false}, {@code off}, {@code none}, {@code no} and
 * {@code disabled} mean disabled; {@code online} ({@code on}, {@code true}, {@code yes}) and
 * {@code offline} name the modes; <em>any other value is a JSON file path</em>.
 *
 * <p>Immutable and thread-safe.
 */
public final class LogDestination {

    private static final LogDestination ONLINE = new LogDestination(Mode.ONLINE, null);
    private static final LogDestination OFFLINE = new LogDestination(Mode.OFFLINE, null);
    private static final LogDestination DISABLED = new LogDestination(Mode.DISABLED, null);

    private final Mode mode;
    private final Path file;

    private LogDestination(Mode mode, Path file) {
        this.mode = mode;
        this.file = file;
    }

    /**
     * Parses a destination as found in {@code STEPWISE_MODE} or a command-line option.
     *
     * @param value the text, surrounding blanks ignored; {@code null} or blank means online
     * @return the destination; a value that is neither a disabled word nor a mode name is a TrainLog file
     */
    public static LogDestination parse(String value) {
        Mode mode = Mode.parseOrNull(value);
        if (mode == null) {
            return trainLogFile(Path.of(value.trim()));
        }
        return switch (mode) {
            case ONLINE -> ONLINE;
            case OFFLINE -> OFFLINE;
            case DISABLED -> DISABLED;
        };
    }

    /**
     * Parses an optional value: no value (null or blank) means the TrainLog file {@code defaultFile},
     * the seed's {@code parseOptional}.
     *
     * @param value the text, or {@code null}
     * @param defaultFile the file used when no value is given
     * @return the destination
     */
    public static LogDestination parse(String value, Path defaultFile) {
        Objects.requireNonNull(defaultFile, "defaultFile");
        return value == null || value.isBlank() ? trainLogFile(defaultFile) : parse(value);
    }

    /**
     * Returns the destination of a mode.
     *
     * @param mode the mode
     * @return the destination
     */
    public static LogDestination of(Mode mode) {
        switch (Objects.requireNonNull(mode, "mode")) {
            case ONLINE:
                return ONLINE;
            case OFFLINE:
                return OFFLINE;
            default:
                return DISABLED;
        }
    }

    /** @return the destination that writes nothing */
    public static LogDestination disabled() {
        return DISABLED;
    }

    /**
     * Returns a destination that writes a TrainLog JSON file.
     *
     * @param file the file (its directory is created when written)
     * @return the destination
     */
    public static LogDestination trainLogFile(Path file) {
        return new LogDestination(Mode.DISABLED, Objects.requireNonNull(file, "file"));
    }

    /**
     * Returns the client mode towards the server: a TrainLog file destination sends nothing, so it
     * is {@link Mode#DISABLED} there while the file is written.
     *
     * @return the mode
     */
    public Mode mode() {
        return mode;
    }

    /** @return the TrainLog file, when this destination writes one */
    public Optional<Path> trainLogFile() {
        return Optional.ofNullable(file);
    }

    /** @return whether anything is recorded: false only for the disabled destination */
    public boolean isEnabled() {
        return mode != Mode.DISABLED || file != null;
    }

    /**
     * Returns the TrainLog file, or {@code defaultFile} when this destination writes none.
     *
     * @param defaultFile the fallback
     * @return a file path
     */
    public Path trainLogFileOr(Path defaultFile) {
        return file != null ? file : defaultFile;
    }

    /**
     * Returns a {@link MetricsLogger} sink for this destination: a TrainLog file sink for a file,
     * a sink that drops everything when disabled.
     *
     * @param title the TrainLog title
     * @return the sink
     * @throws IllegalStateException for online and offline, which need a run ({@link LogSink#run(Run)})
     */
    public LogSink sink(String title) {
        if (file != null) {
            return new TrainLogFileSink(file, title);
        }
        if (mode == Mode.DISABLED) {
            return (namespace, step, scalars, texts) -> { };
        }
        throw new IllegalStateException("a " + mode + " destination logs to a run: use LogSink.run(run)");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogDestination && ((LogDestination) o).mode == mode
                && Objects.equals(((LogDestination) o).file, file);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, file);
    }

    @Override
    public String toString() {
        return file != null ? "TrainLog file " + file : mode.name().toLowerCase(Locale.ROOT);
    }
}
