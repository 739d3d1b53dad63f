package dev.stepwise.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * What a run is created with: id, name, group, tags, config and notes.
 *
 * <p>Immutable and thread-safe. Build one with {@link #builder()}, or let
 * {@link Stepwise#newRun()} hand out a builder whose {@link Builder#start()} starts the run
 * directly. Every field is optional; a run without an id gets a random UUID when it starts.
 */
public final class RunSpec {

    private final UUID id;
    private final String name;
    private final String group;
    private final List<String> tags;
    private final Map<String, Object> config;
    private final String notes;

    private RunSpec(Builder b) {
        this.id = b.id;
        this.name = b.name;
        this.group = b.group;
        this.tags = Collections.unmodifiableList(new ArrayList<>(b.tags));
        this.config = Collections.unmodifiableMap(new LinkedHashMap<>(b.config));
        this.notes = b.notes;
    }

    /**
     * Starts a builder that is not tied to a client ({@link Builder#start()} is unavailable).
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder(null);
    }

    static Builder builder(Stepwise client) {
        return new Builder(client);
    }

    /** @return the chosen run id, empty when the run should get a fresh one */
    public Optional<UUID> id() {
        return Optional.ofNullable(id);
    }

    /** @return the display name, or {@code null} */
    public String name() {
        return name;
    }

    /** @return the group (for example a sweep name), or {@code null} */
    public String group() {
        return group;
    }

    /** @return the tags in the order given, never {@code null} */
    public List<String> tags() {
        return tags;
    }

    /** @return the config entries in the order given; values are JSON-compatible objects */
    public Map<String, Object> config() {
        return config;
    }

    /** @return the free-form notes, or {@code null} */
    public String notes() {
        return notes;
    }

    /**
     * Returns a copy of this spec with the given id.
     *
     * @param newId the id to use
     * @return a new spec
     */
    public RunSpec withId(UUID newId) {
        Builder b = toBuilder();
        b.id(newId);
        return b.build();
    }

    private Builder toBuilder() {
        Builder b = new Builder(null);
        b.id = id;
        b.name = name;
        b.group = group;
        b.tags.addAll(tags);
        b.config.putAll(config);
        b.notes = notes;
        return b;
    }

    @Override
    public String toString() {
        return "RunSpec[id=" + id + ", name=" + name + ", group=" + group + ", tags=" + tags
                + ", config=" + config + "]";
    }

    /**
     * Builds a {@link RunSpec}, and when obtained from {@link Stepwise#newRun()}, starts the run.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder {
        private final Stepwise client;
        private UUID id;
        private String name;
        private String group;
        private final List<String> tags = new ArrayList<>();
        private final Map<String, Object> config = new LinkedHashMap<>();
        private String notes;

        private Builder(Stepwise client) {
            this.client = client;
        }

        /**
         * Sets the run id; starting a run with an id that exists resumes it.
         *
         * @param id the run id, or {@code null} for a fresh random one (the default)
         * @return this builder
         */
        public Builder id(UUID id) {
            this.id = id;
            return this;
        }

        /**
         * Sets the display name.
         *
         * @param name the name, or {@code null}
         * @return this builder
         */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /**
         * Sets the group, such as a sweep name.
         *
         * @param group the group, or {@code null}
         * @return this builder
         */
        public Builder group(String group) {
            this.group = group;
            return this;
        }

        /**
         * Adds tags.
         *
         * @param tags tags to add, none {@code null}
         * @return this builder
         */
        public Builder tags(String... tags) {
            for (String t : tags) {
                this.tags.add(Objects.requireNonNull(t, "tag"));
            }
            return this;
        }

        /**
         * Adds tags.
         *
         * @param tags tags to add, none {@code null}
         * @return this builder
         */
        public Builder tags(List<String> tags) {
            return tags(tags.toArray(new String[0]));
        }

        /**
         * Adds one config entry (a hyperparameter or data choice).
         *
         * @param key the config key, not blank
         * @param value a number, string, boolean, {@code null}, or a list or map of those
         * @return this builder
         * @throws IllegalArgumentException when the value is not JSON-compatible
         */
        public Builder config(String key, Object value) {
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("config key must not be blank");
            }
            config.put(key, checkJson(value, key));
            return this;
        }

        /**
         * Adds several config entries.
         *
         * @param entries the entries; see {@link #config(String, Object)} for allowed values
         * @return this builder
         */
        public Builder config(Map<String, ?> entries) {
            entries.forEach(this::config);
            return this;
        }

        /**
         * Sets free-form notes.
         *
         * @param notes the notes, or {@code null}
         * @return this builder
         */
        public Builder notes(String notes) {
            this.notes = notes;
            return this;
        }

        /**
         * Builds the immutable spec.
         *
         * @return the spec
         */
        public RunSpec build() {
            return new RunSpec(this);
        }

        /**
         * Starts (creates or resumes) the run on the client that made this builder.
         *
         * @return the open run
         * @throws IllegalStateException when this builder came from {@link RunSpec#builder()}
         *                               or the client is closed
         * @throws StepwiseException online, when the server refuses the run for good (unknown
         *                           project, bad, revoked or read-only key)
         */
        public Run start() {
            if (client == null) {
                throw new IllegalStateException("This builder is not tied to a client; use Stepwise.start(spec)");
            }
            return client.start(build());
        }

        static Object checkJson(Object value, String where) {
            if (value == null || value instanceof String || value instanceof Boolean) {
                return value;
            }
            if (value instanceof Number) {
                return value;
            }
            if (value instanceof Enum<?>) {
                return ((Enum<?>) value).name();
            }
            if (value instanceof List<?>) {
                List<Object> copy = new ArrayList<>();
                for (Object o : (List<?>) value) {
                    copy.add(checkJson(o, where));
                }
                return Collections.unmodifiableList(copy);
            }
            if (value instanceof Map<?, ?>) {
                Map<String, Object> copy = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                    copy.put(String.valueOf(e.getKey()), checkJson(e.getValue(), where));
                }
                return Collections.unmodifiableMap(copy);
            }
            throw new IllegalArgumentException("config '" + where + "' has a value of type "
                    + value.getClass().getName() + "; use numbers, strings, booleans, lists or maps");
        }
    }
}
