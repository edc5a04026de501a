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
 * a rule can fail. Dependencies point {@code job → operators → pipeline → plugins/api ← plugins/*};
 * the SPI, every plugin and the pipeline module (model, parser, validator, DAG, stage runtime) stay
 * free of Flink and Kafka; no class of ours lives in a framework's package.
 */
class ModuleBoundariesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static JavaClasses ours;

    /**
     * The pipeline module's packages. The model keeps the package it began in under operators: its
     * classes are named in savepoints (Flink's POJO serializer and {@code PipelineVersion}'s Java
     * serialization record class names), so moving it would leave old savepoints unreadable.
     */
    private static final String[] PIPELINE = {
        "io.audioflow.pipeline..", "io.audioflow.operators.model.."
    };

    /** The operators module's packages: the model is the pipeline module's. */
    private static final String[] OPERATORS = {
        "io.audioflow.operators.control..",
        "io.audioflow.operators.functions..",
        "io.audioflow.operators.ingest..",
        "io.audioflow.operators.metrics..",
        "io.audioflow.operators.plugin.."
    };

    @BeforeAll
    static void importEveryModule() throws IOException {
        List<Path> classes;
        try (Stream<Path> dirs =
                Stream.concat(
                        Stream.of(
                                ROOT.resolve("job"),
                                ROOT.resolve("operators"),
                                ROOT.resolve("pipeline")),
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
                        "pipeline/target/classes",
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
                .resideInAnyPackage(
                        "io.audioflow.operators..", "io.audioflow.pipeline..", "io.audioflow.job..")
                .check(ours);
    }

    @Test
    void operatorsNeverDependOnTheJob() {
        noClasses()
                .that()
                .resideInAnyPackage(OPERATORS)
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.audioflow.job..")
                .check(ours);
    }

    @Test
    void thePipelineModuleDependsOnNeitherTheOperatorsNorTheJob() {
        noClasses()
                .that()
                .resideInAnyPackage(PIPELINE)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(OPERATORS)
                .orShould()
                .dependOnClassesThat()
                .resideInAPackage("io.audioflow.job..")
                .because("the operators wrap the pipeline runtime, not the other way round")
                .check(ours);
    }

    @Test
    void operatorsReachPluginsOnlyThroughTheSpi() {
        noClasses()
                .that()
                .resideInAnyPackage("io.audioflow.operators..", "io.audioflow.pipeline..")
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
                .resideInAnyPackage(
                        "io.audioflow.pipeline..",
                        "io.audioflow.operators.model..",
                        "io.audioflow.job.local..",
                        "io.audioflow.job.profile..")
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
