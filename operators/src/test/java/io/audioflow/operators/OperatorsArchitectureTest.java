package io.audioflow.operators;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "io.audioflow", importOptions = ImportOption.DoNotIncludeTests.class)
class OperatorsArchitectureTest {

    /** Dependencies point job → operators → plugins/api; never back. */
    @ArchTest
    static final ArchRule operatorsDoNotDependOnTheJob =
            noClasses()
                    .that()
                    .resideInAPackage("io.audioflow.operators..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAPackage("io.audioflow.job..");

    /** Operators reach plugins only through the SPI, so any plugin can be swapped in. */
    @ArchTest
    static final ArchRule operatorsDoNotDependOnBuiltInPlugins =
            noClasses()
                    .that()
                    .resideInAPackage("io.audioflow.operators..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAPackage("io.audioflow.plugins..");

    /** Built-in plugins are ordinary plugins: no Flink, no host internals. */
    @ArchTest
    static final ArchRule pluginsUseOnlyTheSpi =
            noClasses()
                    .that()
                    .resideInAPackage("io.audioflow.plugins..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(
                            "org.apache.flink..", "io.audioflow.operators..", "io.audioflow.job..");
}
