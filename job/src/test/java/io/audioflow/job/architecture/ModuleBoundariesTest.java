package io.audioflow.job.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries, checked over the compiled classes of every module of the build, the
 * external example plugin included: the job is the only module that sees them all, so this is where
 * a rule can fail. Dependencies point {@code job → operators → plugins/api ← plugins/*}; the SPI,
 * every plugin and the stage runtime stay free of Flink and Kafka; no class of ours lives in a
 * framework's package.
 */
class ModuleBoundariesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static JavaClasses ours;

    @BeforeAll
    static void importEveryModule() throws IOException {
        List<Path> classes;
        try (Stream<Path> dirs =
                Stream.concat(
                        Stream.of(ROOT.resolve("job"), ROOT.resolve("operators")),
                        Files.list(ROOT.resolve("plugins")))) {
            classes =
                    dirs.map(m -> m.resolve("target/classes")).filter(Files::isDirectory).toList();
        }
        assertThat(classes)
                .as("compiled modules (run after `mvn compile` of the whole build)")
                .extracting(p -> ROOT.relativize(p).toString())
                .contains(
                        "job/target/classes",
                        "operators/target/classes",
                        "plugins/api/target/classes",
                        "plugins/codecs/target/classes",
                        "plugins/example-pauses/target/classes",
                        "plugins/pitch-tarsos/target/classes");
        ours =
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPaths(classes);
    }

    @Test
    void theSpiAndEveryPluginStayFreeOfFlinkAndKafka() {
        noClasses()
                .that()
                .resideInAnyPackage("io.audioflow.api..", "io.audioflow.plugins..", "com.example..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.apache.flink..", "org.apache.kafka..")
                .because("a stage plugin compiles against the SPI only (docs/plugins.md)")
                .check(ours);
    }

    @Test
    void pluginsReachTheHostOnlyThroughTheSpi() {
        noClasses()
                .that()
                .resideInAnyPackage("io.audioflow.plugins..", "com.example..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.audioflow.operators..", "io.audioflow.job..")
                .check(ours);
    }

    @Test
    void operatorsNeverDependOnTheJob() {
        noClasses()
                .that()
                .resideInAPackage("io.audioflow.operators..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.audioflow.job..")
                .check(ours);
    }

    @Test
    void operatorsReachPluginsOnlyThroughTheSpi() {
        noClasses()
                .that()
                .resideInAPackage("io.audioflow.operators..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.audioflow.plugins..", "com.example..")
                .because("any plugin can be swapped in")
                .check(ours);
    }

    @Test
    void analysisOutsideTheJobNeedsNoFlink() {
        // Transitively: `analyze` and `profile` run the stage runners the operators wrap, and
        // nothing they reach may start, or even load, Flink.
        noClasses()
                .that()
                .resideInAnyPackage("io.audioflow.operators.runtime..", "io.audioflow.job.local..")
                .should()
                .transitivelyDependOnClassesThat()
                .resideInAnyPackage("org.apache.flink..", "org.apache.kafka..")
                .because("one pipeline runtime serves the job and the CLI (docs/pipelines.md)")
                .check(ours);
    }

    @Test
    void noClassOfOursLivesInAFrameworksPackage() {
        noClasses()
                .should()
                .resideInAnyPackage("org.apache.flink..", "org.apache.kafka..")
                .because("configure the frameworks; never reach into their packages")
                .check(ours);
    }
}
