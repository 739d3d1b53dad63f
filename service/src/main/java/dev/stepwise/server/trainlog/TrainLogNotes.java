package dev.stepwise.server.trainlog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code key=value} notes of a TrainLog, parsed into run metadata. */
record TrainLogNotes(String project, String runName, String runId, String group, List<String> tags,
        Map<String, String> config, List<ArtifactNote> artifacts, String status, List<String> other) {

    /** {@code artifact.<name>=<path> kind=<kind> desc=<text>}. */
    record ArtifactNote(String name, String uri, String kind, String description) {}

    static TrainLogNotes parse(List<String> notes) {
        String project = null;
        String runName = null;
        String runId = null;
        String group = null;
        String status = null;
        List<String> tags = new ArrayList<>();
        Map<String, String> config = new LinkedHashMap<>();
        List<ArtifactNote> artifacts = new ArrayList<>();
        List<String> other = new ArrayList<>();
        for (String note : notes) {
            int eq = note.indexOf('=');
            if (eq <= 0) {
                other.add(note);
                continue;
            }
            String key = note.substring(0, eq).trim();
            String value = note.substring(eq + 1).trim();
            switch (key) {
                case "project" -> project = value;
                case "run_name", "name" -> runName = value;
                case "run_id" -> runId = value;
                case "group" -> group = value;
                case "status" -> status = value;
                case "tags" -> {
                    for (String tag : value.split(",")) {
                        if (!tag.isBlank()) {
                            tags.add(tag.trim());
                        }
                    }
                }
                default -> {
                    if (key.startsWith("config.") && key.length() > 7) {
                        config.put(key.substring(7), value);
                    } else if (key.startsWith("artifact.") && key.length() > 9) {
                        artifacts.add(artifact(key.substring(9), value));
                    } else {
                        other.add(note);
                    }
                }
            }
        }
        return new TrainLogNotes(project, runName, runId, group, tags, config, artifacts, status, other);
    }

    private static ArtifactNote artifact(String name, String value) {
        String uri = value;
        String kind = null;
        String desc = null;
        int descAt = value.indexOf(" desc=");
        if (descAt >= 0) {
            desc = value.substring(descAt + 6).trim();
            uri = value.substring(0, descAt);
        }
        int kindAt = uri.indexOf(" kind=");
        if (kindAt >= 0) {
            kind = uri.substring(kindAt + 6).trim();
            uri = uri.substring(0, kindAt);
        }
        return new ArtifactNote(name, uri.trim(), kind, desc);
    }
}
