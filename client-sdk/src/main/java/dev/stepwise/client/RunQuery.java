package dev.stepwise.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A run-list query for {@link StepwiseApi#runs(RunQuery)}: the filters and sort of
 * {@code GET /projects/{slug}/runs}. An empty query lists every run of the project, newest first.
 *
 * <pre>{@code
 * RunQuery query = RunQuery.builder().status(RunStatus.FINISHED).group("lr-sweep")
 *     .filter("config.lr < 0.01").sort("-summary.val/acc.max").build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 */
public final class RunQuery {

    private final List<String> statuses;
    private final String group;
    private final List<String> tags;
    private final String text;
    private final List<String> filters;
    private final String sort;
    private final int pageSize;

    private RunQuery(Builder b) {
        this.statuses = List.copyOf(b.statuses);
        this.group = b.group;
        this.tags = List.copyOf(b.tags);
        this.text = b.text;
        this.filters = List.copyOf(b.filters);
        this.sort = b.sort;
        this.pageSize = b.pageSize;
    }

    /** @return a query for every run of the project, newest first */
    public static RunQuery all() {
        return builder().build();
    }

    /** @return a new builder with no filter */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the statuses a run may have (any when empty) */
    public List<String> statuses() {
        return statuses;
    }

    /** @return the group a run must be in, or {@code null} */
    public String group() {
        return group;
    }

    /** @return tags a run must all carry */
    public List<String> tags() {
        return tags;
    }

    /** @return a substring of the run name, or {@code null} */
    public String text() {
        return text;
    }

    /** @return {@code FIELD OP VALUE} filters, all of which must match */
    public List<String> filters() {
        return filters;
    }

    /** @return the sort field ({@code -} prefix for descending), or {@code null} for {@code -createdAt} */
    public String sort() {
        return sort;
    }

    /** @return runs fetched per request */
    public int pageSize() {
        return pageSize;
    }

    @Override
    public String toString() {
        return "RunQuery[statuses=" + statuses + ", group=" + group + ", tags=" + tags + ", text=" + text
                + ", filters=" + filters + ", sort=" + sort + ", pageSize=" + pageSize + "]";
    }

    /** Builds a {@link RunQuery}. Not thread-safe. */
    public static final class Builder {
        private final List<String> statuses = new ArrayList<>();
        private String group;
        private final List<String> tags = new ArrayList<>();
        private String text;
        private final List<String> filters = new ArrayList<>();
        private String sort;
        private int pageSize = 200;

        private Builder() {
        }

        /**
         * Adds a status a run may have; several statuses match any of them.
         *
         * @param status the status
         * @return this builder
         */
        public Builder status(RunStatus status) {
            statuses.add(Objects.requireNonNull(status, "status").name());
            return this;
        }

        /**
         * Restricts to one group.
         *
         * @param group the group name
         * @return this builder
         */
        public Builder group(String group) {
            this.group = Objects.requireNonNull(group, "group");
            return this;
        }

        /**
         * Adds tags a run must all carry.
         *
         * @param tags the tags
         * @return this builder
         */
        public Builder tags(String... tags) {
            for (String tag : tags) {
                this.tags.add(Objects.requireNonNull(tag, "tag"));
            }
            return this;
        }

        /**
         * Restricts to runs whose name contains the text.
         *
         * @param text the substring
         * @return this builder
         */
        public Builder nameContains(String text) {
            this.text = Objects.requireNonNull(text, "text");
            return this;
        }

        /**
         * Adds a filter {@code FIELD OP VALUE}, such as {@code config.lr < 0.01} or
         * {@code summary.val/loss.min <= 0.2}; the server validates it.
         *
         * @param filter the filter expression
         * @return this builder
         */
        public Builder filter(String filter) {
            filters.add(Objects.requireNonNull(filter, "filter"));
            return this;
        }

        /**
         * Sets the sort field, {@code -} prefix for descending. Default {@code -createdAt}.
         *
         * @param sort such as {@code name} or {@code -summary.val/acc.max}
         * @return this builder
         */
        public Builder sort(String sort) {
            this.sort = Objects.requireNonNull(sort, "sort");
            return this;
        }

        /**
         * Sets how many runs each request fetches; every page is read either way. Default 200.
         *
         * @param pageSize 1 to 1000 (the server's maximum)
         * @return this builder
         */
        public Builder pageSize(int pageSize) {
            if (pageSize < 1 || pageSize > 1000) {
                throw new IllegalArgumentException("pageSize must be in 1..1000, was " + pageSize);
            }
            this.pageSize = pageSize;
            return this;
        }

        /** @return the query */
        public RunQuery build() {
            return new RunQuery(this);
        }
    }
}
