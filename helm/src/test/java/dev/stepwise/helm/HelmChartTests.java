package dev.stepwise.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.Release;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Lints the Helm chart in {@code helm/stepwise} and renders every {@code ci/*-values.yaml} scenario
 * with the Helm library embedded in helm-java (no helm binary, no cluster). Rendered documents are
 * parsed into fabric8's typed model; any field the model does not know ends up in an
 * {@code additionalProperties} map, so those must all be empty.
 *
 * <p>helm-java renders with cluster access enabled, so {@code lookup} would query a Kubernetes API.
 * The scenarios therefore give every password or name an existing Secret, and the chart only looks
 * up Secrets for passwords it has to generate. Lint covers the generating path (lint fakes lookups).
 */
class HelmChartTests {

    /** Maven runs the module's tests in {@code helm/}; an IDE may run them from the repository root. */
    static final Path CHART = Stream.of(Path.of("stepwise"), Path.of("helm", "stepwise"))
            .map(p -> p.toAbsolutePath().normalize()).filter(p -> Files.isRegularFile(p.resolve("Chart.yaml")))
            .findFirst().orElseThrow(() -> new IllegalStateException("helm/stepwise not found from "
                    + Path.of("").toAbsolutePath()));
    static final String RELEASE = "sw";
    static final String NAMESPACE = "ml";
    static final String KUBE_VERSION = "1.31.0";
    static final String FULLNAME = "sw-stepwise";

    // ---------------------------------------------------------------- lint and strict parsing

    @Test
    void chartPassesStrictHelmLint() {
        LintResult result = new Helm(CHART).lint().strict().call();

        assertThat(result.isFailed()).as("lint failed: %s", result.getMessages()).isFalse();
        assertThat(result.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    static Stream<String> scenarios() throws IOException {
        try (Stream<Path> files = Files.list(CHART.resolve("ci"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("-values.yaml")).sorted()
                    .toList().stream();
        }
    }

    @Test
    void ciFolderHoldsTheDocumentedScenarios() throws IOException {
        assertThat(scenarios().toList()).contains("external-db-values.yaml", "embedded-db-values.yaml",
                "ha-values.yaml", "existing-secrets-values.yaml");
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void everyScenarioRendersOnlyFieldsKubernetesKnows(String scenario) {
        List<KubernetesResource> docs = render(scenario);

        assertThat(docs).isNotEmpty();
        for (KubernetesResource doc : docs) {
            if (doc instanceof GenericKubernetesResource generic) {
                // The only kind outside the core model: anything else is a misspelled kind or apiVersion.
                assertThat(generic.getApiVersion() + "/" + generic.getKind())
                        .isEqualTo("monitoring.coreos.com/v1/ServiceMonitor");
                assertServiceMonitorHasOnlyKnownFields(generic);
            } else {
                assertThat(unknownFields(doc, doc.getClass().getSimpleName())).as("unknown fields in %s", doc)
                        .isEmpty();
            }
            HasMetadata object = (HasMetadata) doc;
            assertThat(object.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
            assertThat(object.getMetadata().getLabels())
                    .containsEntry("app.kubernetes.io/instance", RELEASE)
                    .containsEntry("app.kubernetes.io/managed-by", "Helm");
        }
    }

    @Test
    void strictParsingReportsAMisspelledFieldDeepInsideAManifest() throws IOException {
        Path copy = copyChart();
        Path deployment = copy.resolve("templates/deployment.yaml");
        Files.writeString(deployment, Files.readString(deployment)
                .replace("terminationGracePeriodSeconds:", "terminationGracePeriodSecond:"));

        Deployment rendered = only(render(copy, "external-db-values.yaml", Map.of()), Deployment.class);

        assertThat(unknownFields(rendered, "Deployment")).singleElement().asString()
                .contains("template.spec").contains("terminationGracePeriodSecond");
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void serverProbesUseTheActuatorHealthEndpoints(String scenario) {
        Container server = serverContainer(render(scenario));

        assertThat(httpPath(server.getStartupProbe())).isEqualTo("/actuator/health/liveness");
        assertThat(httpPath(server.getLivenessProbe())).isEqualTo("/actuator/health/liveness");
        assertThat(httpPath(server.getReadinessProbe())).isEqualTo("/actuator/health/readiness");
        assertThat(server.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
        assertThat(server.getPorts()).singleElement()
                .satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(8080));
        assertThat(env(server, "PORT").getValue()).isEqualTo("8080");
        // Startup (migrations included) gets minutes before liveness may restart the pod.
        Probe startup = server.getStartupProbe();
        assertThat(startup.getPeriodSeconds() * startup.getFailureThreshold()).isGreaterThanOrEqualTo(120);
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void serverRunsAsNonRootOnAReadOnlyRootFilesystem(String scenario) {
        Deployment deployment = only(render(scenario), Deployment.class);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container server = serverContainer(deployment);

        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
        assertThat(server.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(server.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(server.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(server.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(server.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(server.getResources().getLimits()).containsKey("memory");
        assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();

        // The writable paths are pod-local scratch volumes.
        Map<String, String> mounts = new java.util.HashMap<>();
        server.getVolumeMounts().forEach(m -> mounts.put(m.getMountPath(), m.getName()));
        assertThat(mounts).containsOnlyKeys("/tmp", "/var/lib/stepwise");
        for (String volumeName : mounts.values()) {
            Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(volumeName)).findFirst()
                    .orElseThrow();
            assertThat(volume.getEmptyDir()).as("volume %s", volumeName).isNotNull();
        }
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void serverAlwaysUsesARealPostgresqlAndNeverItsPodLocalEmbeddedOne(String scenario) {
        Deployment deployment = only(render(scenario), Deployment.class);
        Container server = serverContainer(deployment);

        // Without a URL the server would start PostgreSQL inside the pod, in an emptyDir.
        assertThat(env(server, "SPRING_DATASOURCE_URL").getValue()).matches("jdbc:postgresql://[^:/]+:\\d+/\\w+.*");
        assertThat(env(server, "SPRING_DATASOURCE_USERNAME")).isNotNull();
        assertThat(env(server, "SPRING_DATASOURCE_PASSWORD").getValueFrom().getSecretKeyRef()).isNotNull();
        assertThat(env(server, "STEPWISE_DATA_DIR").getValue()).isEqualTo("/var/lib/stepwise");
        assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes())
                .allSatisfy(v -> assertThat(v.getPersistentVolumeClaim()).isNull());
        // The admin password always comes from a Secret, never from a file in the pod.
        assertThat(env(server, "STEPWISE_ADMIN_PASSWORD").getValueFrom().getSecretKeyRef()).isNotNull();
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void everySecretKeyTheServerReadsExistsInTheRenderedOrExistingSecret(String scenario) {
        List<KubernetesResource> docs = render(scenario);
        Map<String, Secret> rendered = new java.util.HashMap<>();
        all(docs, Secret.class).forEach(s -> rendered.put(s.getMetadata().getName(), s));
        Set<String> external = Set.of("tracker-db", "stepwise-admin", "stepwise-db-app");

        for (EnvVar var : serverContainer(docs).getEnv()) {
            if (var.getValueFrom() == null) {
                continue;
            }
            SecretKeySelector ref = var.getValueFrom().getSecretKeyRef();
            if (rendered.containsKey(ref.getName())) {
                assertThat(rendered.get(ref.getName()).getData()).as("%s", var.getName()).containsKey(ref.getKey());
            } else {
                assertThat(external).as("%s reads an unknown Secret", var.getName()).contains(ref.getName());
            }
        }
    }

    // ---------------------------------------------------------------- scenarios

    @Test
    void externalDatabaseIsReachedWithThePasswordFromTheChartSecret() {
        List<KubernetesResource> docs = render("external-db-values.yaml");
        Container server = serverContainer(docs);

        assertThat(env(server, "SPRING_DATASOURCE_URL").getValue())
                .isEqualTo("jdbc:postgresql://postgres.databases.svc.cluster.local:5432/stepwise?sslmode=prefer");
        assertThat(env(server, "SPRING_DATASOURCE_USERNAME").getValue()).isEqualTo("stepwise");
        assertSecretRef(env(server, "SPRING_DATASOURCE_PASSWORD"), FULLNAME, "database-password");
        assertThat(env(server, "STEPWISE_ADMIN_USERNAME").getValue()).isEqualTo("root");
        assertSecretRef(env(server, "STEPWISE_ADMIN_PASSWORD"), FULLNAME, "admin-password");

        Secret secret = only(docs, Secret.class);
        assertThat(decode(secret, "database-password")).isEqualTo("change-me");
        assertThat(decode(secret, "admin-password")).isEqualTo("initial-admin-secret");
        assertThat(all(docs, StatefulSet.class)).isEmpty();
        assertThat(all(docs, Service.class)).singleElement()
                .satisfies(s -> assertThat(s.getSpec().getSessionAffinity()).isEqualTo("None"));
    }

    @Test
    void existingSecretsAreReferencedAndTheChartRendersNoSecret() {
        List<KubernetesResource> docs = render("existing-secrets-values.yaml");
        Deployment deployment = only(docs, Deployment.class);
        Container server = serverContainer(deployment);

        assertThat(all(docs, Secret.class)).isEmpty();
        assertThat(env(server, "SPRING_DATASOURCE_URL").getValue())
                .isEqualTo("jdbc:postgresql://db.example.internal:6432/tracker");
        assertThat(env(server, "SPRING_DATASOURCE_USERNAME").getValue()).isEqualTo("tracker_app");
        assertSecretRef(env(server, "SPRING_DATASOURCE_PASSWORD"), "tracker-db", "db-password");
        assertSecretRef(env(server, "STEPWISE_ADMIN_PASSWORD"), "stepwise-admin", "password");
        Map<String, String> annotations = deployment.getSpec().getTemplate().getMetadata().getAnnotations();
        assertThat(annotations == null ? Map.of() : annotations).doesNotContainKey("checksum/secret");
    }

    @Test
    void inChartPostgresqlIsASingleNodeStatefulSetWithItsOwnServiceSecretAndVolume() {
        List<KubernetesResource> docs = render("embedded-db-values.yaml");
        String pgName = FULLNAME + "-postgresql";

        StatefulSet statefulSet = only(docs, StatefulSet.class);
        assertThat(statefulSet.getMetadata().getName()).isEqualTo(pgName);
        assertThat(statefulSet.getSpec().getReplicas()).isEqualTo(1);
        assertThat(statefulSet.getSpec().getServiceName()).isEqualTo(pgName);
        Container postgres = statefulSet.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(postgres.getImage()).isEqualTo("postgres:17");
        assertSecretRef(env(postgres, "POSTGRES_PASSWORD"), pgName, "password");
        assertThat(env(postgres, "POSTGRES_DB").getValue()).isEqualTo("stepwise");
        assertThat(statefulSet.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(statefulSet.getSpec().getVolumeClaimTemplates()).singleElement().satisfies(pvc -> {
            assertThat(pvc.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("20Gi");
            assertThat(pvc.getSpec().getStorageClassName()).isEqualTo("standard");
        });
        assertThat(postgres.getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getName()).isEqualTo("data");
            assertThat(m.getMountPath()).isEqualTo("/var/lib/postgresql/data");
        });

        Service pgService = all(docs, Service.class).stream()
                .filter(s -> s.getMetadata().getName().equals(pgName)).findFirst().orElseThrow();
        assertThat(pgService.getSpec().getPorts()).singleElement()
                .satisfies(p -> assertThat(p.getPort()).isEqualTo(5432));
        assertThat(pgService.getSpec().getSelector()).containsEntry("app.kubernetes.io/component", "postgresql");

        Container server = serverContainer(docs);
        assertThat(env(server, "SPRING_DATASOURCE_URL").getValue())
                .isEqualTo("jdbc:postgresql://" + pgName + ":5432/stepwise");
        assertSecretRef(env(server, "SPRING_DATASOURCE_PASSWORD"), pgName, "password");
        Secret pgSecret = all(docs, Secret.class).stream()
                .filter(s -> s.getMetadata().getName().equals(pgName)).findFirst().orElseThrow();
        assertThat(decode(pgSecret, "password")).isEqualTo("db-secret");

        // The server accepts the configured peers plus the release's helm test pod.
        NetworkPolicy serverPolicy = all(docs, NetworkPolicy.class).stream()
                .filter(p -> p.getMetadata().getName().equals(FULLNAME)).findFirst().orElseThrow();
        assertThat(serverPolicy.getSpec().getIngress()).singleElement().satisfies(rule -> assertThat(rule.getFrom())
                .hasSize(2).filteredOn(peer -> peer.getPodSelector() != null).singleElement()
                .satisfies(peer -> assertThat(peer.getPodSelector().getMatchLabels())
                        .containsEntry("app.kubernetes.io/component", "test")));

        // Only the server pods of the release may reach the database.
        NetworkPolicy pgPolicy = all(docs, NetworkPolicy.class).stream()
                .filter(p -> p.getMetadata().getName().equals(pgName)).findFirst().orElseThrow();
        assertThat(pgPolicy.getSpec().getIngress()).singleElement().satisfies(rule -> assertThat(rule.getFrom())
                .singleElement().satisfies(peer -> assertThat(peer.getPodSelector().getMatchLabels())
                        .containsEntry("app.kubernetes.io/component", "server")
                        .containsEntry("app.kubernetes.io/instance", RELEASE)));
    }

    @Test
    void defaultValuesRunTheServerAgainstTheInChartPostgresql() {
        List<KubernetesResource> docs = render(null, Map.of("admin.password", "a", "postgresql.embedded.auth.password", "b"));

        assertThat(only(docs, StatefulSet.class).getMetadata().getName()).isEqualTo(FULLNAME + "-postgresql");
        Deployment deployment = only(docs, Deployment.class);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
        assertThat(serverContainer(deployment).getImage()).isEqualTo("stepwise/stepwise:0.1.0");
        assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsKeys("checksum/secret", "checksum/postgresql-secret");
        assertThat(all(docs, Ingress.class)).isEmpty();
        assertThat(all(docs, HorizontalPodAutoscaler.class)).isEmpty();
        assertThat(all(docs, PodDisruptionBudget.class)).isEmpty();
        assertThat(all(docs, NetworkPolicy.class)).isEmpty();
        assertThat(all(docs, GenericKubernetesResource.class)).as("ServiceMonitor is off by default").isEmpty();
    }

    @Test
    void highAvailabilityScenarioAutoscalesFromThreeReplicasWithADisruptionBudget() {
        List<KubernetesResource> docs = render("ha-values.yaml");
        Deployment deployment = only(docs, Deployment.class);

        // The HPA owns the replica count; a fixed one would fight it on every upgrade.
        assertThat(deployment.getSpec().getReplicas()).isNull();
        HorizontalPodAutoscaler hpa = only(docs, HorizontalPodAutoscaler.class);
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(3);
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(10);
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(deployment.getMetadata().getName());
        assertThat(hpa.getSpec().getMetrics()).extracting(m -> m.getResource().getName())
                .containsExactly("cpu", "memory");

        PodDisruptionBudget pdb = only(docs, PodDisruptionBudget.class);
        assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(2);
        assertThat(pdb.getSpec().getMaxUnavailable()).isNull();
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
        assertThat(deployment.getSpec().getTemplate().getSpec().getTopologySpreadConstraints()).singleElement()
                .satisfies(c -> assertThat(c.getLabelSelector().getMatchLabels())
                        .containsEntry("app.kubernetes.io/instance", RELEASE));

        Container server = serverContainer(deployment);
        assertSecretRef(env(server, "SPRING_DATASOURCE_USERNAME"), "stepwise-db-app", "username");
        assertSecretRef(env(server, "SPRING_DATASOURCE_PASSWORD"), "stepwise-db-app", "password");
        assertThat(all(docs, StatefulSet.class)).isEmpty();
    }

    @Test
    void severalReplicasNeedNoAffinityBecauseSessionsLiveInPostgresql() {
        List<KubernetesResource> docs = render("ha-values.yaml");

        Service service = only(docs, Service.class);
        assertThat(service.getSpec().getSessionAffinity()).isEqualTo("None");
        assertThat(service.getSpec().getSessionAffinityConfig()).isNull();
        assertThat(service.getSpec().getSelector()).containsEntry("app.kubernetes.io/component", "server");

        Ingress ingress = only(docs, Ingress.class);
        assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");
        assertThat(ingress.getMetadata().getAnnotations())
                .doesNotContainKey("nginx.ingress.kubernetes.io/affinity")
                .containsEntry("nginx.ingress.kubernetes.io/proxy-body-size", "16m");
        // Still possible on request.
        Service pinned = only(render("ha-values.yaml", Map.of("service.sessionAffinity", "ClientIP")), Service.class);
        assertThat(pinned.getSpec().getSessionAffinity()).isEqualTo("ClientIP");
        assertThat(pinned.getSpec().getSessionAffinityConfig().getClientIP().getTimeoutSeconds()).isEqualTo(43200);
        assertThat(ingress.getSpec().getRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getHost()).isEqualTo("stepwise.example.com");
            assertThat(rule.getHttp().getPaths()).singleElement().satisfies(path -> {
                assertThat(path.getBackend().getService().getName()).isEqualTo(service.getMetadata().getName());
                assertThat(path.getBackend().getService().getPort().getNumber())
                        .isEqualTo(service.getSpec().getPorts().get(0).getPort());
            });
        });
        assertThat(ingress.getSpec().getTls()).singleElement()
                .satisfies(tls -> assertThat(tls.getSecretName()).isEqualTo("stepwise-tls"));
    }

    @Test
    void serviceMonitorScrapesThePrometheusEndpointOfTheServerService() {
        List<KubernetesResource> docs = render("ha-values.yaml");
        GenericKubernetesResource monitor = only(docs, GenericKubernetesResource.class);

        assertThat(monitor.getKind()).isEqualTo("ServiceMonitor");
        assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
        Map<String, Object> endpoint = endpointsOf(monitor).get(0);
        assertThat(endpoint).containsEntry("port", "http").containsEntry("path", "/actuator/prometheus");
        Map<String, Object> matchLabels = monitor.get("spec", "selector", "matchLabels");
        assertThat(only(docs, Service.class).getMetadata().getLabels()).containsAllEntriesOf(
                toStrings(matchLabels));
    }

    @Test
    void podsRollWhenTheSecretTheyReadChanges() {
        String first = secretChecksum(render("external-db-values.yaml", Map.of("postgresql.external.password", "one")));
        String same = secretChecksum(render("external-db-values.yaml", Map.of("postgresql.external.password", "one")));
        String second = secretChecksum(render("external-db-values.yaml", Map.of("postgresql.external.password", "two")));

        assertThat(first).matches("[0-9a-f]{64}").isEqualTo(same).isNotEqualTo(second);
    }

    @Test
    void renderingIsReproducibleWhenNoPasswordHasToBeGenerated() {
        TemplateCommand command = new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION).withValuesFile(CHART.resolve("ci/embedded-db-values.yaml"));

        assertThat(command.call()).isEqualTo(command.call());
    }

    @Test
    void helmTestPodChecksReadinessThroughTheService() throws IOException {
        // helm-java's template leaves hooks out, so render the test pod as a plain manifest.
        Path copy = copyChart();
        Path hook = copy.resolve("templates/tests/test-connection.yaml");
        String text = Files.readString(hook);
        assertThat(text).contains("helm.sh/hook: test");
        Files.writeString(hook, text.replaceAll("(?m)^\\s+helm\\.sh/hook.*\\n", ""));

        Pod pod = only(render(copy, "external-db-values.yaml", Map.of()), Pod.class);

        assertThat(unknownFields(pod, "Pod")).isEmpty();
        assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getMetadata().getLabels()).doesNotContainEntry("app.kubernetes.io/component", "server");
        assertThat(pod.getSpec().getContainers().get(0).getCommand()).first().isEqualTo("curl");
        assertThat(pod.getSpec().getContainers().get(0).getCommand())
                .contains("--fail", "http://" + FULLNAME + ":80/actuator/health/readiness");
    }

    @Test
    void installNotesTellHowToReadTheAdminPassword() {
        Release release = new Helm(CHART).install().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION).dryRun().withDryRunOption(DryRun.CLIENT).clientOnly()
                .withValuesFile(CHART.resolve("ci/ha-values.yaml")).call();

        assertThat(release.getOutput())
                .contains("kubectl get secret --namespace ml stepwise-admin")
                .contains("{.data.admin-password}")
                .contains("https://stepwise.example.com/")
                .contains("Browser sessions are stored in PostgreSQL");
    }

    // ---------------------------------------------------------------- refusals

    @Test
    void renderingFailsWhenNoDatabaseIsConfigured() {
        assertThatThrownBy(() -> render(null, Map.of("postgresql.embedded.enabled", "false", "admin.password", "a")))
                .hasMessageContaining("no database configured; configure exactly one database");
    }

    @Test
    void renderingFailsWhenBothDatabasesAreConfigured() {
        assertThatThrownBy(() -> render("external-db-values.yaml", Map.of("postgresql.embedded.enabled", "true",
                "postgresql.embedded.auth.password", "b")))
                .hasMessageContaining("configure exactly one database")
                .hasMessageContaining("not both");
    }

    @Test
    void renderingFailsWhenTheExternalDatabaseHasNoPassword() {
        assertThatThrownBy(() -> render(null, Map.of("postgresql.embedded.enabled", "false",
                "postgresql.external.host", "db.example.internal", "admin.password", "a")))
                .hasMessageContaining("postgresql.external.host is set but no password");
    }

    @Test
    void schemaRejectsAnUnknownTopLevelValue() {
        assertThatThrownBy(() -> render("external-db-values.yaml", Map.of("replicas", "3")))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining("replicas");
    }

    @Test
    void schemaRejectsAMisspelledDatabaseSetting() {
        assertThatThrownBy(() -> render("external-db-values.yaml", Map.of("postgresql.external.hostname", "db")))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining("hostname");
    }

    @Test
    void schemaRejectsAWronglyTypedValue() {
        assertThatThrownBy(() -> render("external-db-values.yaml", Map.of("service.sessionAffinity", "Cookie")))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining("sessionAffinity");
    }

    // ---------------------------------------------------------------- helpers

    static List<KubernetesResource> render(String scenario) {
        return render(scenario, Map.of());
    }

    static List<KubernetesResource> render(String scenario, Map<String, String> sets) {
        return render(CHART, scenario, sets);
    }

    static List<KubernetesResource> render(Path chart, String scenario, Map<String, String> sets) {
        TemplateCommand command = new Helm(chart).template().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        if (scenario != null) {
            command = command.withValuesFile(chart.resolve("ci").resolve(scenario));
        }
        for (Map.Entry<String, String> set : sets.entrySet()) {
            command = command.set(set.getKey(), set.getValue());
        }
        String manifests = command.call();
        List<KubernetesResource> docs = new ArrayList<>();
        for (String doc : manifests.split("(?m)^---\\s*$")) {
            boolean empty = doc.lines().map(String::strip).allMatch(l -> l.isEmpty() || l.startsWith("#"));
            if (!empty) {
                docs.add(Serialization.unmarshal(doc, KubernetesResource.class));
            }
        }
        return docs;
    }

    /** Paths of every non-empty {@code additionalProperties} map in a fabric8 model object graph. */
    static List<String> unknownFields(Object value, String path) {
        List<String> found = new ArrayList<>();
        collectUnknownFields(value, path, found);
        return found;
    }

    private static void collectUnknownFields(Object value, String path, List<String> found) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                collectUnknownFields(item, path + "[" + i++ + "]", found);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> collectUnknownFields(v, path + "." + k, found));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Class<?> type = value.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                field.setAccessible(true);
                Object child;
                try {
                    child = field.get(value);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
                if (field.getName().equals("additionalProperties")) {
                    if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        found.add(path + " " + extra.keySet());
                    }
                } else {
                    collectUnknownFields(child, path + "." + field.getName(), found);
                }
            }
        }
    }

    private static void assertServiceMonitorHasOnlyKnownFields(GenericKubernetesResource monitor) {
        Map<String, Object> spec = monitor.get("spec");
        assertThat(spec).containsKeys("endpoints", "selector");
        assertThat(spec.keySet()).isSubsetOf("endpoints", "selector", "namespaceSelector", "jobLabel",
                "targetLabels", "podTargetLabels", "sampleLimit");
        for (Map<String, Object> endpoint : endpointsOf(monitor)) {
            assertThat(endpoint.keySet()).isSubsetOf("port", "path", "interval", "scrapeTimeout", "scheme",
                    "honorLabels", "relabelings", "metricRelabelings", "tlsConfig", "authorization");
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> endpointsOf(GenericKubernetesResource monitor) {
        return (List<Map<String, Object>>) monitor.get("spec", "endpoints");
    }

    private static Map<String, String> toStrings(Map<String, Object> map) {
        Map<String, String> result = new java.util.HashMap<>();
        map.forEach((k, v) -> result.put(k, String.valueOf(v)));
        return result;
    }

    static <T> List<T> all(List<KubernetesResource> docs, Class<T> type) {
        return docs.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static <T> T only(List<KubernetesResource> docs, Class<T> type) {
        List<T> matches = all(docs, type);
        assertThat(matches).as("rendered %s objects", type.getSimpleName()).hasSize(1);
        return matches.get(0);
    }

    static Container serverContainer(List<KubernetesResource> docs) {
        return serverContainer(only(docs, Deployment.class));
    }

    static Container serverContainer(Deployment deployment) {
        List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).extracting(Container::getName).containsExactly("stepwise");
        return containers.get(0);
    }

    static EnvVar env(Container container, String name) {
        List<EnvVar> matches = container.getEnv().stream().filter(e -> e.getName().equals(name)).toList();
        assertThat(matches).as("env %s", name).hasSize(1);
        return matches.get(0);
    }

    static void assertSecretRef(EnvVar var, String secret, String key) {
        assertThat(var.getValue()).as("%s must not be inline", var.getName()).isNull();
        SecretKeySelector ref = var.getValueFrom().getSecretKeyRef();
        assertThat(ref.getName()).as("Secret of %s", var.getName()).isEqualTo(secret);
        assertThat(ref.getKey()).as("key of %s", var.getName()).isEqualTo(key);
    }

    static String httpPath(Probe probe) {
        assertThat(probe).isNotNull();
        return probe.getHttpGet().getPath();
    }

    static String decode(Secret secret, String key) {
        assertThat(secret.getData()).containsKey(key);
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }

    static String secretChecksum(List<KubernetesResource> docs) {
        return only(docs, Deployment.class).getSpec().getTemplate().getMetadata().getAnnotations()
                .get("checksum/secret");
    }

    @TempDir
    Path tempDir;

    Path copyChart() throws IOException {
        Path target = tempDir.resolve("stepwise");
        try (Stream<Path> files = Files.walk(CHART)) {
            for (Path source : files.toList()) {
                Path dest = target.resolve(CHART.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(source, dest);
                }
            }
        }
        return target;
    }
}
