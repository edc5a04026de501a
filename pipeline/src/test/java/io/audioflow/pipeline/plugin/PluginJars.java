package io.audioflow.pipeline.plugin;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Compiles plugin sources at test time into a jar, the way a third party would ship one. */
public final class PluginJars {

    private PluginJars() {}

    /**
     * @param sources class name to Java source
     * @param services lines of META-INF/services/io.audioflow.api.StagePlugin, or null for none
     */
    public static Path build(
            Path dir, String jarName, Map<String, String> sources, List<String> services)
            throws IOException {
        // Sources and classes live outside `dir`, which is a plugin folder the test scans.
        Path src = Files.createTempDirectory("audioflow-plugin-src");
        Path classes = Files.createTempDirectory("audioflow-plugin-classes");
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
        }
        List<String> files;
        try (Stream<Path> walk = Files.walk(src)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).map(Path::toString).toList();
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String[] args =
                Stream.concat(
                                Stream.of(
                                        "-d",
                                        classes.toString(),
                                        "-cp",
                                        System.getProperty("java.class.path"),
                                        "--release",
                                        "17"),
                                files.stream())
                        .toArray(String[]::new);
        if (javac.run(null, null, null, args) != 0)
            throw new IllegalStateException("plugin sources did not compile");
        Path jar = dir.resolve(jarName);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> walk = Files.walk(classes)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
            if (services != null) {
                out.putNextEntry(new JarEntry("META-INF/services/io.audioflow.api.StagePlugin"));
                OutputStream o = out;
                o.write(String.join("\n", services).getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }

    /**
     * Source of an analyzer plugin named {@code name} whose one metric, {@code lib}, is the value
     * of {@code com.example.Lib.VERSION} from the library bundled with it.
     */
    public static String analyzer(String pkg, String name, String version, String spiRange) {
        return """
                package %1$s;
                import io.audioflow.api.*;
                import java.io.*;
                import java.util.List;
                public class Plugin implements AudioAnalyzer {
                    static final MetricDefinition LIB = new MetricDefinition("lib", Unit.NONE, "bundled library version");
                    public PluginInfo info() {
                        return PluginInfo.builder("%2$s", "%3$s", StageKind.ANALYZER).spiRange("%4$s").metrics(LIB).build();
                    }
                    public FormatRequirement accepts(StageConfig config) { return FormatRequirement.ANY; }
                    public Accumulator open(AudioFormat format, StageContext context) { return new Acc(); }
                    public Accumulator restore(AudioFormat format, StageContext context, DataInput in) { return new Acc(); }
                    static final class Acc implements Accumulator {
                        public void accept(AudioBlock block) {}
                        public List<QualityMetric> result() { return List.of(LIB.value(com.example.Lib.VERSION)); }
                        public void writeTo(DataOutput out) {}
                    }
                }
                """
                .formatted(pkg, name, version, spiRange);
    }

    public static String library(double version) {
        return "package com.example; public class Lib { public static final double VERSION = "
                + version
                + "; }";
    }
}
