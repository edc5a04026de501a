package io.audioflow.job.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audioflow.job.testing.LocalCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fault operations of deploy/local, as a person or scripts/chaos uses them: a TaskManager
 * killed and started again, one added, the broker killed and started on the same port with the same
 * data. Each acts on the process id {@code up} recorded, and {@code status} shows it.
 */
class LocalClusterFaultsE2EITCase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path RUN = Path.of("target/e2e-faults-run").toAbsolutePath();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static JsonNode cluster;

    @BeforeAll
    static void up() throws Exception {
        cluster =
                JSON.readTree(
                        LocalCluster.lastLine(
                                LocalCluster.script(
                                        RUN, "up", List.of("--taskmanagers", "1"), 600)));
    }

    @AfterAll
    static void down() throws Exception {
        LocalCluster.script(RUN, "down", List.of(), 120);
    }

    @Test
    void taskManagersAndTheBrokerCanBeKilledAndStartedAgain() throws Exception {
        String status = LocalCluster.script(RUN, "status", List.of(), 60);
        assertThat(status).containsPattern("taskmanager-0 +pid +\\d+ running");

        assertThat(LocalCluster.script(RUN, "tm", List.of("kill", "0"), 60))
                .startsWith("killed taskmanager-0");
        assertThat(LocalCluster.script(RUN, "status", List.of(), 60))
                .containsPattern("taskmanager-0 +pid +\\d+ stopped");
        LocalCluster.script(RUN, "tm", List.of("start", "0"), 60);
        LocalCluster.script(RUN, "tm", List.of("add"), 60);
        // The killed one stays listed until its heartbeat times out; the new ones register at once.
        await("two TaskManagers registered", () -> taskManagers() >= 2, Duration.ofSeconds(120));
        assertThat(LocalCluster.script(RUN, "status", List.of(), 60))
                .containsPattern("taskmanager-0 +pid +\\d+ running")
                .containsPattern("taskmanager-1 +pid +\\d+ running");

        String bootstrap = cluster.path("bootstrap_servers").asText();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic("faults.kept", 1, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        LocalCluster.script(RUN, "broker", List.of("kill"), 60);
        assertThat(LocalCluster.script(RUN, "status", List.of(), 60))
                .containsPattern("kafka +pid +\\d+ stopped");
        LocalCluster.script(RUN, "broker", List.of("start"), 120);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            assertThat(admin.listTopics().names().get(60, TimeUnit.SECONDS))
                    .as("same port, same data folder")
                    .contains("faults.kept");
        }
    }

    private static int taskManagers() {
        try {
            HttpResponse<String> r =
                    HTTP.send(
                            HttpRequest.newBuilder(
                                            URI.create(cluster.path("rest").asText() + "/overview"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body()).path("taskmanagers").asInt();
        } catch (Exception e) {
            return -1;
        }
    }

    private static void await(String what, BooleanSupplier done, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError(what + " within " + timeout);
            Thread.sleep(500);
        }
    }
}
