package dev.stepwise.server.mlflow;

import dev.stepwise.server.access.Permission;
import dev.stepwise.server.access.ProjectAccess;
import dev.stepwise.server.access.ProjectAccess.Granted;
import dev.stepwise.server.auth.CurrentPrincipal;
import dev.stepwise.server.auth.StepwiseUser;
import dev.stepwise.server.project.ProjectService;
import dev.stepwise.server.project.ProjectService.ProjectInfo;
import dev.stepwise.server.web.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * MLflow experiments: an experiment is a project the caller can see, its {@code experiment_id}
 * the project slug and its name the project name. Creating one creates a project (people only).
 */
@RestController
@RequestMapping({"/api/2.0/mlflow", "/ajax-api/2.0/mlflow"})
@Tag(name = "mlflow", description = "MLflow-compatible tracking API (MLflow's REST protocol; see docs/mlflow.md)")
class MlflowExperimentController {

    private final ProjectAccess access;
    private final ProjectService projects;
    private final MlflowTracking tracking;
    private final MlflowStore store;
    private final JsonMapper json;

    MlflowExperimentController(ProjectAccess access, ProjectService projects, MlflowTracking tracking,
            MlflowStore store, JsonMapper json) {
        this.access = access;
        this.projects = projects;
        this.tracking = tracking;
        this.store = store;
        this.json = json;
    }

    @RequestMapping(path = "/experiments/create", method = RequestMethod.POST)
    @Operation(summary = "MLflow CreateExperiment: creates a project named `name` (slug derived from it); people only")
    Map<String, Object> create(HttpServletRequest http) {
        MlflowRequest request = MlflowRequest.read(http, json);
        String name = request.required("name");
        if (name.length() > 200) {
            throw MlflowException.invalid("Experiment name may have at most 200 characters");
        }
        List<String[]> tags = experimentTags(request.objects("tags"));
        StepwiseUser user = CurrentPrincipal.user();
        String slug = slug(name);
        if (visible().stream().anyMatch(p -> p.name().equals(name)) || projects.find(slug).isPresent()) {
            throw new MlflowException(MlflowException.Code.RESOURCE_ALREADY_EXISTS,
                    "Experiment '" + name + "' already exists.");
        }
        ProjectInfo created;
        try {
            created = projects.create(slug, name, null, user.id(), user.describe());
        } catch (ProblemException e) {
            if (e.getStatusCode().value() == 409) {
                throw new MlflowException(MlflowException.Code.RESOURCE_ALREADY_EXISTS,
                        "Experiment '" + name + "' already exists.");
            }
            throw e;
        }
        tags.forEach(t -> store.setExperimentTag(created.id(), t[0], t[1]));
        return Map.of("experiment_id", created.slug());
    }

    @RequestMapping(path = "/experiments/get", method = {RequestMethod.GET, RequestMethod.POST})
    @Operation(summary = "MLflow GetExperiment by `experiment_id` (the project slug)")
    Map<String, Object> get(HttpServletRequest http) {
        Granted granted = tracking.experiment(MlflowRequest.read(http, json).required("experiment_id"), Permission.READ);
        return Map.of("experiment", view(granted.project()));
    }

    @RequestMapping(path = "/experiments/get-by-name", method = {RequestMethod.GET, RequestMethod.POST})
    @Operation(summary = "MLflow GetExperimentByName: a visible project with that name (or slug)")
    Map<String, Object> getByName(HttpServletRequest http) {
        String name = MlflowRequest.read(http, json).required("experiment_name");
        List<ProjectInfo> visible = visible();
        ProjectInfo found = visible.stream().filter(p -> p.name().equals(name)).findFirst()
                .or(() -> visible.stream().filter(p -> p.slug().equals(name)).findFirst())
                .orElseThrow(() -> MlflowException.notFound("Could not find experiment with name '" + name + "'"));
        return Map.of("experiment", view(found));
    }

    @RequestMapping(path = "/experiments/search", method = {RequestMethod.GET, RequestMethod.POST})
    @Operation(summary = "MLflow SearchExperiments: filter on name (= != LIKE ILIKE), times and tags; paged")
    Map<String, Object> search(HttpServletRequest http) {
        MlflowRequest request = MlflowRequest.read(http, json);
        int max = request.limit("max_results", MlflowLimits.DEFAULT_SEARCH_RESULTS, MlflowLimits.MAX_SEARCH_RESULTS);
        long offset = MlflowRunSearch.offset(request.string("page_token"));
        RunFilter filter = RunFilter.parseExperimentFilter(request.string("filter"));
        List<Map<String, Object>> matches = new ArrayList<>();
        for (ProjectInfo p : visible()) {
            Map<String, Object> experiment = view(p);
            if (inView(experiment, request.string("view_type")) && matches(filter, p, experiment)) {
                matches.add(experiment);
            }
        }
        matches.sort(order(request.strings("order_by")));
        int from = (int) Math.min(offset, matches.size());
        int to = Math.min(from + max, matches.size());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("experiments", matches.subList(from, to));
        if (to < matches.size()) {
            body.put("next_page_token", MlflowRunSearch.token(to));
        }
        return body;
    }

    @RequestMapping(path = "/experiments/list", method = {RequestMethod.GET, RequestMethod.POST})
    @Operation(summary = "MLflow's legacy ListExperiments (still called by older clients)")
    Map<String, Object> list(HttpServletRequest http) {
        String viewType = MlflowRequest.read(http, json).string("view_type");
        return Map.of("experiments", visible().stream().map(this::view).filter(e -> inView(e, viewType)).toList());
    }

    @RequestMapping(path = "/experiments/update", method = RequestMethod.POST)
    @Operation(summary = "MLflow UpdateExperiment: renames the project (OWNER); its slug, the experiment id, stays")
    Map<String, Object> update(HttpServletRequest http) {
        MlflowRequest request = MlflowRequest.read(http, json);
        Granted granted = tracking.experiment(request.required("experiment_id"), Permission.MANAGE);
        String given = request.string("new_name");
        if (given == null) {
            // new_name is optional in MLflow's UpdateExperiment: nothing to change.
            return Map.of();
        }
        String newName = given.trim();
        if (newName.isEmpty() || newName.length() > 200) {
            throw MlflowException.invalid("new_name must have 1 to 200 characters");
        }
        if (newName.equals(granted.project().name())) {
            return Map.of();
        }
        if (visible().stream().anyMatch(p -> p.name().equals(newName))) {
            throw new MlflowException(MlflowException.Code.RESOURCE_ALREADY_EXISTS,
                    "Experiment '" + newName + "' already exists.");
        }
        projects.rename(granted.projectId(), newName);
        return Map.of();
    }

    @RequestMapping(path = "/experiments/delete", method = RequestMethod.POST)
    @Operation(summary = "MLflow DeleteExperiment: marks it deleted for the MLflow API (OWNER); the project stays")
    Map<String, Object> delete(HttpServletRequest http) {
        Granted granted = tracking.experiment(MlflowRequest.read(http, json).required("experiment_id"),
                Permission.MANAGE);
        store.markExperimentDeleted(granted.projectId(), true);
        return Map.of();
    }

    @RequestMapping(path = "/experiments/restore", method = RequestMethod.POST)
    @Operation(summary = "MLflow RestoreExperiment (OWNER)")
    Map<String, Object> restore(HttpServletRequest http) {
        Granted granted = tracking.experiment(MlflowRequest.read(http, json).required("experiment_id"),
                Permission.MANAGE);
        store.markExperimentDeleted(granted.projectId(), false);
        return Map.of();
    }

    // The npm client 2.0.7 posts to ".../experimentsset-experiment-tag" (a missing slash); both work.
    @RequestMapping(path = {"/experiments/set-experiment-tag", "/experimentsset-experiment-tag"},
            method = RequestMethod.POST)
    @Operation(summary = "MLflow SetExperimentTag (WRITER)")
    Map<String, Object> setTag(HttpServletRequest http) {
        MlflowRequest request = MlflowRequest.read(http, json);
        Granted granted = tracking.experiment(request.required("experiment_id"), Permission.WRITE);
        String[] parsed = experimentTags(List.of(request)).get(0);
        store.setExperimentTag(granted.projectId(), parsed[0], parsed[1]);
        return Map.of();
    }

    private static List<String[]> experimentTags(List<MlflowRequest> tags) {
        List<String[]> parsed = new ArrayList<>();
        for (MlflowRequest tag : tags) {
            String key = MlflowLimits.key("tag", tag.string("key"));
            String value = tag.string("value");
            if (value == null) {
                value = "";
            }
            if (value.length() > MlflowLimits.MAX_EXPERIMENT_TAG_VALUE_LENGTH) {
                throw MlflowException.invalid("Experiment tag '" + key + "' may have at most "
                        + MlflowLimits.MAX_EXPERIMENT_TAG_VALUE_LENGTH + " characters");
            }
            parsed.add(new String[] {key, value});
        }
        return parsed;
    }

    /** Projects the caller can see: all for admins, else those it is a member of (or its key's one). */
    private List<ProjectInfo> visible() {
        return access.callerIsAdmin() ? projects.listAll() : projects.list(access.rolesOfCaller().keySet());
    }

    private Map<String, Object> view(ProjectInfo p) {
        return MlflowViews.experiment(p, store.experimentTags(p.id()), store.experimentDeleted(p.id()));
    }

    private static boolean inView(Map<String, Object> experiment, String viewType) {
        boolean deleted = "deleted".equals(experiment.get("lifecycle_stage"));
        String v = viewType == null || viewType.isEmpty() ? "ACTIVE_ONLY" : viewType.toUpperCase(Locale.ROOT);
        return switch (v) {
            case "ALL" -> true;
            case "DELETED_ONLY" -> deleted;
            case "ACTIVE_ONLY" -> !deleted;
            default -> throw MlflowException.invalid("Invalid view_type '" + viewType
                    + "'; use ACTIVE_ONLY, DELETED_ONLY or ALL");
        };
    }

    @SuppressWarnings("unchecked")
    private static boolean matches(RunFilter filter, ProjectInfo p, Map<String, Object> experiment) {
        Map<String, String> tags = new LinkedHashMap<>();
        ((List<Map<String, Object>>) experiment.get("tags")).forEach(t -> tags.put((String) t.get("key"),
                (String) t.get("value")));
        RunSearchPlan.Subject subject = new RunSearchPlan.Subject() {
            @Override
            public Double metric(String key) {
                return null;
            }

            @Override
            public String param(String key) {
                return null;
            }

            @Override
            public String tag(String key) {
                return tags.get(key);
            }

            @Override
            public String attribute(String key) {
                return key.equals("name") ? p.name() : String.valueOf(p.createdAt().toEpochMilli());
            }
        };
        return filter.clauses().stream().allMatch(c -> RunSearchPlan.matches(c, subject));
    }

    /** MLflow's experiment order_by: name, experiment_id, creation_time, last_update_time with ASC/DESC. */
    static Comparator<Map<String, Object>> order(List<String> orderBy) {
        Comparator<Map<String, Object>> order = Comparator.comparing(e -> -(long) e.get("creation_time"));
        for (int i = orderBy.size() - 1; i >= 0; i--) {
            String[] parts = orderBy.get(i).trim().split("\\s+");
            String field = parts[0].startsWith("attribute.") || parts[0].startsWith("attributes.")
                    ? parts[0].substring(parts[0].indexOf('.') + 1) : parts[0];
            boolean descending = parts.length > 1 && parts[1].equalsIgnoreCase("DESC");
            if (parts.length > 2 || (parts.length == 2 && !descending && !parts[1].equalsIgnoreCase("ASC"))
                    || !List.of("name", "experiment_id", "creation_time", "last_update_time").contains(field)) {
                throw MlflowException.invalid("Invalid order_by clause '" + orderBy.get(i) + "': use name, "
                        + "experiment_id, creation_time or last_update_time, optionally with ASC or DESC");
            }
            Comparator<Map<String, Object>> term = field.endsWith("_time")
                    ? Comparator.comparing(e -> (Long) e.get(field))
                    : Comparator.comparing(e -> (String) e.get(field));
            order = (descending ? term.reversed() : term).thenComparing(order);
        }
        return order;
    }

    /** A project slug from an experiment name: lowercase letters, digits and dashes, 2 to 63 characters. */
    static String slug(String name) {
        String ascii = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
        String slug = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (slug.length() > 63) {
            slug = slug.substring(0, 63).replaceAll("-+$", "");
        }
        if (slug.length() < 2) {
            slug = "experiment-" + (slug.isEmpty() ? Integer.toHexString(name.hashCode() & 0xfffffff) : slug);
        }
        return slug;
    }
}
