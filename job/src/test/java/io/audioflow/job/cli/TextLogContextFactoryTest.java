package io.audioflow.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.spi.LoggerContext;
import org.junit.jupiter.api.Test;

class TextLogContextFactoryTest {

    @Test
    void flinkAndKafkaLogErrorsOnlyEverythingElseWarnings() {
        assertThat(TextLogContextFactory.levelOf("org.apache.flink.runtime.Foo"))
                .isEqualTo(Level.ERROR);
        assertThat(TextLogContextFactory.levelOf("org.apache.kafka.clients.Bar"))
                .isEqualTo(Level.ERROR);
        assertThat(TextLogContextFactory.levelOf("kafka.server.Baz")).isEqualTo(Level.ERROR);
        assertThat(TextLogContextFactory.levelOf("state.change.logger")).isEqualTo(Level.ERROR);
        assertThat(TextLogContextFactory.levelOf("io.audioflow.operators.Qux"))
                .isEqualTo(Level.WARN);
        assertThat(TextLogContextFactory.levelOf("kafkaesque.Thing")).isEqualTo(Level.WARN);
    }

    @Test
    void writesOneLinePerEventOnStderrWithTimeLevelAndClassName() {
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            LoggerContext context =
                    new TextLogContextFactory().getContext("test", null, null, false);
            context.getLogger("io.audioflow.job.Sample").warn("stage {} failed", "decode");
            context.getLogger("io.audioflow.job.Sample").info("not shown");
            context.getLogger("org.apache.flink.runtime.Sample").warn("not shown either");
            context.getLogger("org.apache.flink.runtime.Sample").error("shown");
        } finally {
            System.setErr(stderr);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8).split("\n"))
                .satisfiesExactly(
                        l ->
                                assertThat(l)
                                        .matches(
                                                "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN Sample stage decode failed"),
                        l ->
                                assertThat(l)
                                        .matches(
                                                "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ERROR Sample shown"));
    }

    @Test
    void jsonLogsAreRecognisedWhereverTheOptionStands() {
        Map<String, String> noEnv = Map.of();
        assertThat(CliLogging.wantsJson(new String[] {"--log-format", "json", "analyze"}, noEnv))
                .isTrue();
        assertThat(
                        CliLogging.wantsJson(
                                new String[] {"analyze", "--log-format=json", "a.wav"}, noEnv))
                .isTrue();
        assertThat(CliLogging.wantsJson(new String[] {"analyze", "a.wav"}, noEnv)).isFalse();
        assertThat(
                        CliLogging.wantsJson(
                                new String[] {"analyze"}, Map.of("AUDIOFLOW_LOG_FORMAT", "json")))
                .isTrue();
        assertThat(
                        CliLogging.wantsJson(
                                new String[] {"--log-format", "text", "analyze"},
                                Map.of("AUDIOFLOW_LOG_FORMAT", "json")))
                .isFalse();
    }

    @Test
    void log4jCoreStaysForJsonLogsAndForAUsersOwnLog4jSettings() {
        String[] analyze = {"analyze", "a.wav"};
        Properties none = new Properties();
        assertThat(CliLogging.needsLog4jCore(analyze, Map.of(), none)).isFalse();
        assertThat(
                        CliLogging.needsLog4jCore(
                                new String[] {"--log-format=json", "analyze"}, Map.of(), none))
                .isTrue();
        Properties own = new Properties();
        own.setProperty("log4j.configurationFile", "my-log4j2.xml");
        assertThat(CliLogging.needsLog4jCore(analyze, Map.of(), own)).isTrue();
        assertThat(
                        CliLogging.needsLog4jCore(
                                analyze, Map.of("LOG4J_CONFIGURATION_FILE", "my-log4j2.xml"), none))
                .isTrue();
    }
}
