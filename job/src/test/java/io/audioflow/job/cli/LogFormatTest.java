package io.audioflow.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audioflow.api.ErrorCode;
import io.audioflow.pipeline.plugin.LoggingLifecycleListener;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.Test;

class LogFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void jsonLogLinesCarryTheRecordingStageAndErrorCodeAsFields() throws Exception {
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            AudioflowCli.newCommandLine()
                    .parseArgs("--log-format", "json", "validate", "../config/pipeline.yaml");
            new LoggingLifecycleListener("audioflow: default")
                    .stageFailed(
                            "decode", "rec-7", ErrorCode.TRUNCATED_HEADER, "header ends early");
        } finally {
            System.setErr(stderr);
            // back to the test configuration (log4j2-test.properties)
            Configurator.reconfigure(
                    LogFormatTest.class.getResource("/log4j2-test.properties").toURI());
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n"))
            if (!line.isBlank()) lines.add(JSON.readTree(line));
        assertThat(lines)
                .anySatisfy(
                        l -> {
                            assertThat(l.path("log.level").asText()).isEqualTo("WARN");
                            assertThat(l.path("audioflow.stage").asText()).isEqualTo("decode");
                            assertThat(l.path("audioflow.recording_id").asText())
                                    .isEqualTo("rec-7");
                            assertThat(l.path("audioflow.error_code").asText())
                                    .isEqualTo("truncated_header");
                            assertThat(l.path("audioflow.job").asText())
                                    .isEqualTo("audioflow: default");
                            assertThat(l.path("message").asText()).contains("event=failed");
                        });
    }
}
