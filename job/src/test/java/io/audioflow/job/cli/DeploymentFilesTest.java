package io.audioflow.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine;

/**
 * The Docker, Kubernetes, Prometheus and Grafana files cannot run here (no Docker engine, no
 * cluster), so they are checked for what breaks them in practice: syntax, unpinned images, paths
 * that do not exist, job arguments the job jar would refuse, and dashboard queries on metrics the
 * job does not export.
 */
class DeploymentFilesTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern IMAGE = Pattern.compile("^[\\w./-]+:[\\w.-]+$");
    private static final Pattern METRIC = Pattern.compile("\\bflink_[A-Za-z0-9_]+");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(String path) throws IOException {
        return new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(Files.readString(ROOT.resolve(path)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object o) {
        return ((List<Object>) o).stream().map(String::valueOf).toList();
    }

    private static void assertPinned(String image) {
        assertThat(image).as("image %s has an explicit tag", image).matches(IMAGE);
        assertThat(image).as("image %s is pinned", image).doesNotEndWith(":latest");
    }

    /** The job jar's own parser accepts these arguments (it throws on an unknown flag). */
    private static void assertJobAccepts(List<String> args) {
        new CommandLine(new FlinkJobMain(Environment.system()))
                .parseArgs(args.toArray(String[]::new));
    }

    @Test
    void composeFileParsesPinsItsImagesAndPassesFlagsTheJobAccepts() throws IOException {
        Map<String, Object> services = map(yaml("docker-compose.yml").get("services"));
        assertThat(services)
                .containsKeys(
                        "kafka",
                        "jobmanager",
                        "taskmanager",
                        "topics",
                        "client",
                        "producer",
                        "prometheus",
                        "grafana");
        for (var e : services.entrySet()) {
            Map<String, Object> service = map(e.getValue());
            assertThat(service).as(e.getKey()).containsKey("image");
            assertPinned((String) service.get("image"));
            Object dependsOn = service.getOrDefault("depends_on", List.of());
            Set<String> needed =
                    dependsOn instanceof Map<?, ?> m
                            ? m.keySet().stream().map(String::valueOf).collect(Collectors.toSet())
                            : Set.copyOf(strings(dependsOn));
            assertThat(services.keySet()).as("%s depends on", e.getKey()).containsAll(needed);
            for (String volume : strings(service.getOrDefault("volumes", List.of()))) {
                String source = volume.split(":")[0];
                if (source.startsWith("./"))
                    assertThat(ROOT.resolve(source))
                            .as("%s mounts %s", e.getKey(), source)
                            .exists();
            }
        }
        List<String> client = strings(map(services.get("client")).get("command"));
        int jar = client.indexOf("/opt/flink/usrlib/audioflow-job.jar");
        assertThat(jar).isPositive();
        assertJobAccepts(client.subList(jar + 1, client.size()));

        assertThat(String.join(" ", strings(map(services.get("topics")).get("command"))))
                .as("the topics service creates the job's default topics")
                .contains(
                        "audio.chunks",
                        "audio.results",
                        "audio.dlq",
                        "audio.control",
                        "audio.control.results");

        List<String> producer = strings(map(services.get("producer")).get("command"));
        AudioflowCli.newCommandLine().parseArgs(producer.toArray(String[]::new));
        assertThat(producer).contains("/opt/audioflow/test-data/audio");

        String flinkConfig =
                (String)
                        map(map(services.get("jobmanager")).get("environment"))
                                .get("FLINK_PROPERTIES");
        assertThat(flinkConfig)
                .contains("org.apache.flink.metrics.prometheus.PrometheusReporterFactory")
                .contains("metrics.reporter.prom.port: 9249");
        assertThat(Files.readString(ROOT.resolve("deploy/prometheus/prometheus.yml")))
                .contains("jobmanager:9249", "taskmanager:9249");
    }

    @Test
    void dockerfilePinsItsBaseImagesAndCopiesWhatExists() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("deploy/docker/Dockerfile"));
        List<String> froms = lines.stream().filter(l -> l.startsWith("FROM ")).toList();
        assertThat(froms).hasSize(2);
        for (String from : froms) assertPinned(from.split("\\s+")[1]);
        for (String copy : lines.stream().filter(l -> l.startsWith("COPY ")).toList()) {
            String[] parts = copy.split("\\s+");
            if (parts[1].startsWith("--from")) continue;
            assertThat(ROOT.resolve(parts[1])).as(copy).exists();
        }
        assertThat(lines)
                .contains(
                        "COPY --from=build /src/job/target/audioflow-job.jar /opt/flink/usrlib/audioflow-job.jar");
    }

    @Test
    void flinkDeploymentRunsTheJobJarFromTheImageWithSavepointUpgrades() throws IOException {
        Map<String, Object> doc = yaml("deploy/k8s/flinkdeployment.yaml");
        assertThat(doc.get("apiVersion")).isEqualTo("flink.apache.org/v1beta1");
        assertThat(doc.get("kind")).isEqualTo("FlinkDeployment");
        Map<String, Object> spec = map(doc.get("spec"));
        Map<String, Object> job = map(spec.get("job"));
        assertThat(job.get("jarURI")).isEqualTo("local:///opt/flink/usrlib/audioflow-job.jar");
        assertThat(job.get("entryClass")).isEqualTo(FlinkJobMain.class.getName());
        assertThat(job.get("upgradeMode")).isEqualTo("savepoint");
        assertJobAccepts(strings(job.get("args")));
        Map<String, Object> conf = map(spec.get("flinkConfiguration"));
        assertThat(conf.get("metrics.reporter.prom.factory.class"))
                .isEqualTo("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        assertThat(conf)
                .containsKeys(
                        "execution.checkpointing.dir", "execution.checkpointing.savepoint-dir");
        assertThat(conf).containsEntry("high-availability.type", "kubernetes");
        assertThat((String) conf.get("high-availability.storageDir")).startsWith("s3://");
        assertThat(map(spec.get("jobManager")).get("replicas")).isEqualTo(2);
        Map<String, Object> annotations =
                map(map(map(spec.get("podTemplate")).get("metadata")).get("annotations"));
        assertThat(annotations.get("prometheus.io/port"))
                .isEqualTo(conf.get("metrics.reporter.prom.port"));
    }

    /** The series deploy/prometheus/audioflow-metrics.txt says the job exports. */
    private static Set<String> exportedSeries() throws IOException {
        return Files.readAllLines(ROOT.resolve("deploy/prometheus/audioflow-metrics.txt")).stream()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    @SuppressWarnings("unchecked")
    void alertRulesQueryOnlyMetricsTheJobExportsAndPrometheusLoadsThem() throws IOException {
        Set<String> exported = exportedSeries();
        assertThat(strings(yaml("deploy/prometheus/prometheus.yml").get("rule_files")))
                .containsExactly("alerts.yml");
        assertThat(Files.readString(ROOT.resolve("docker-compose.yml")))
                .contains("./deploy/prometheus/alerts.yml:/etc/prometheus/alerts.yml");
        List<Map<String, Object>> groups =
                (List<Map<String, Object>>) yaml("deploy/prometheus/alerts.yml").get("groups");
        List<String> alerts = new ArrayList<>();
        for (Map<String, Object> group : groups)
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                alerts.add((String) rule.get("alert"));
                Matcher m = METRIC.matcher((String) rule.get("expr"));
                assertThat(m.find()).as("%s names a metric", rule.get("alert")).isTrue();
                do assertThat(exported).contains(m.group());
                while (m.find());
                assertThat(map(rule.get("annotations"))).containsKey("summary");
            }
        assertThat(alerts).contains("AudioflowDeadLetters", "AudioflowRestarting");
    }

    @Test
    void dashboardQueriesOnlyMetricsTheJobExports() throws IOException {
        Set<String> exported = exportedSeries();
        JsonNode dashboard =
                new ObjectMapper()
                        .readTree(
                                ROOT.resolve("deploy/grafana/dashboards/audioflow.json").toFile());
        assertThat(dashboard.path("panels").size()).isGreaterThanOrEqualTo(8);
        List<String> used = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(panel.path("datasource").path("uid").asText()).isEqualTo("prometheus");
            assertThat(panel.path("targets").size()).as(panel.path("title").asText()).isPositive();
            for (JsonNode target : panel.path("targets")) {
                Matcher m = METRIC.matcher(target.path("expr").asText());
                boolean any = false;
                while (m.find()) {
                    used.add(m.group());
                    any = true;
                }
                assertThat(any).as("a query in %s names a metric", panel.path("title")).isTrue();
            }
        }
        assertThat(exported).containsAll(used);
        assertThat(used).containsAll(exported);
        assertThat(
                        Files.readString(
                                ROOT.resolve(
                                        "deploy/grafana/provisioning/datasources/prometheus.yml")))
                .contains("uid: prometheus");
    }
}
