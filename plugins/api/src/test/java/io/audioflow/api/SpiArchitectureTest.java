package io.audioflow.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The SPI is what third parties compile against: it must not drag in Flink, Kafka or anything. */
@AnalyzeClasses(packages = "io.audioflow.api", importOptions = ImportOption.DoNotIncludeTests.class)
class SpiArchitectureTest {

    @ArchTest
    static final ArchRule spiDependsOnlyOnTheJdk =
            noClasses()
                    .that()
                    .resideInAPackage("io.audioflow.api..")
                    .should()
                    .dependOnClassesThat()
                    .resideOutsideOfPackages("java..", "io.audioflow.api..");

    @ArchTest
    static final ArchRule noFlinkInTheSpi =
            noClasses()
                    .that()
                    .resideInAPackage("io.audioflow.api..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage("org.apache.flink..", "org.apache.kafka..");
}
