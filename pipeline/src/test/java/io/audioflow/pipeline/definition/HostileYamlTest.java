package io.audioflow.pipeline.definition;

import static org.assertj.core.api.Assertions.assertThat;

import io.audioflow.pipeline.plugin.PluginRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Pipeline files may come from users: hostile ones are refused quickly with a clear message. */
@Timeout(10)
class HostileYamlTest {

    private static Problems load(byte[] yaml) {
        Problems problems = new Problems();
        new PipelineLoader(PluginRegistry.builtIn(), Map.of()).load(yaml, "hostile.yaml", problems);
        return problems;
    }

    private static String firstError(byte[] yaml) {
        return load(yaml).errors().get(0).message();
    }

    @Test
    void refusesABillionLaughsAliasBomb() {
        StringBuilder y =
                new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 10; i++) {
            y.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 9; j++) y.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            y.append("]\n");
        }
        assertThat(firstError(y.toString().getBytes())).contains("aliases");
    }

    @Test
    void refusesDeeplyNestedDocuments() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        assertThat(firstError(deep.getBytes())).containsIgnoringCase("nesting");
    }

    @Test
    void refusesFilesOverTheSizeLimit() {
        byte[] big = ("# " + "x".repeat(YamlLoader.MAX_BYTES) + "\n").getBytes();
        assertThat(firstError(big)).contains("limited to " + YamlLoader.MAX_BYTES + " bytes");
    }

    @Test
    void refusesBytesThatAreNotUtf8() {
        byte[] latin1 = "name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(firstError(latin1)).contains("not valid UTF-8");
    }

    @Test
    void neverInstantiatesClassesFromTags() {
        String yaml =
                "name: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://localhost/\"]]]]\nversion: 1.0.0\nstages: []\n";
        assertThat(load(yaml.getBytes()).hasErrors()).isTrue();
        String local =
                "name: !custom x\nversion: 1.0.0\nstages:\n  - {name: decode, processor: decode}\n";
        assertThat(firstError(local.getBytes())).contains("YAML tag `!custom` is not allowed");
    }

    @Test
    void refusesAnEmptyFile() {
        assertThat(firstError(new byte[0])).contains("file is empty");
    }
}
