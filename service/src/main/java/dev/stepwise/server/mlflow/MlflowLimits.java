package dev.stepwise.server.mlflow;

import java.util.regex.Pattern;

/** MLflow's limits and name rules, checked before anything is stored. */
final class MlflowLimits {

    static final int MAX_METRICS_PER_BATCH = 1000;
    static final int MAX_PARAMS_PER_BATCH = 100;
    static final int MAX_TAGS_PER_BATCH = 100;
    static final int MAX_ENTITIES_PER_BATCH = 1000;
    static final int MAX_KEY_LENGTH = 250;
    static final int MAX_PARAM_VALUE_LENGTH = 6000;
    static final int MAX_EXPERIMENT_TAG_VALUE_LENGTH = 5000;
    static final int MAX_TAG_VALUE_LENGTH = 8000;
    /** A Stepwise run tag holds {@code key=value} in at most 100 characters; longer MLflow tags are kept aside. */
    static final int MAX_RUN_TAG_LENGTH = 100;
    static final int MAX_RUN_NAME_LENGTH = 250;
    static final int MAX_NOTE_LENGTH = 100_000;
    static final int MAX_SEARCH_RESULTS = 50_000;
    static final int DEFAULT_SEARCH_RESULTS = 1000;

    /** MLflow's rule for metric, param and tag names: word characters, '/', '.', '-' and spaces. */
    private static final Pattern NAME = Pattern.compile("^[/\\w.\\- ]+$", Pattern.UNICODE_CHARACTER_CLASS);

    private MlflowLimits() {}

    static String key(String kind, String key) {
        if (key == null || key.isEmpty()) {
            throw MlflowException.invalid("Missing value for required parameter 'key' of a " + kind);
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw MlflowException.invalid(kind + " name '" + key.substring(0, 40) + "...' had length " + key.length()
                    + ", which exceeded length limit of " + MAX_KEY_LENGTH);
        }
        if (!NAME.matcher(key).matches() || key.contains("..") || key.startsWith("/")) {
            throw MlflowException.invalid("Invalid " + kind + " name: '" + key + "'. Names may only contain "
                    + "alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), and slashes (/).");
        }
        return key;
    }

    static String paramValue(String key, String value) {
        if (value == null) {
            throw MlflowException.invalid("Missing value for required parameter 'value' of param '" + key + "'");
        }
        if (value.length() > MAX_PARAM_VALUE_LENGTH) {
            throw MlflowException.invalid("Param value for '" + key + "' had length " + value.length()
                    + ", which exceeded length limit of " + MAX_PARAM_VALUE_LENGTH);
        }
        return value;
    }

    static String tagValue(String key, String value) {
        if (value == null) {
            throw MlflowException.invalid("Missing value for required parameter 'value' of tag '" + key + "'");
        }
        if (value.length() > MAX_TAG_VALUE_LENGTH) {
            throw MlflowException.invalid("Tag value for '" + key + "' had length " + value.length()
                    + ", which exceeded length limit of " + MAX_TAG_VALUE_LENGTH);
        }
        return value;
    }

    /** True when MLflow tag {@code key=value} fits a Stepwise run tag (and so shows in the Stepwise UI). */
    static boolean fitsRunTag(String key, String value) {
        return key.length() + 1 + value.length() <= MAX_RUN_TAG_LENGTH;
    }

    static void batch(int metrics, int params, int tags) {
        if (metrics > MAX_METRICS_PER_BATCH || params > MAX_PARAMS_PER_BATCH || tags > MAX_TAGS_PER_BATCH
                || metrics + params + tags > MAX_ENTITIES_PER_BATCH) {
            throw MlflowException.invalid("A batch logging request can contain at most " + MAX_METRICS_PER_BATCH
                    + " metrics, " + MAX_PARAMS_PER_BATCH + " params and " + MAX_TAGS_PER_BATCH + " tags, and at most "
                    + MAX_ENTITIES_PER_BATCH + " entities in total. Got " + metrics + " metrics, " + params
                    + " params and " + tags + " tags.");
        }
    }
}
