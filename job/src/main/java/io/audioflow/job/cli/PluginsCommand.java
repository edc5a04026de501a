package io.audioflow.job.cli;

import io.audioflow.api.ConfigOption;
import io.audioflow.api.MetricDefinition;
import io.audioflow.api.PluginInfo;
import io.audioflow.api.Spi;
import io.audioflow.pipeline.definition.PipelineLoader;
import io.audioflow.pipeline.plugin.LoadedPlugin;
import io.audioflow.pipeline.plugin.PluginIndex;
import io.audioflow.pipeline.plugin.PluginRegistry;
import io.audioflow.pipeline.plugin.RejectedPlugin;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "plugins",
        mixinStandardHelpOptions = true,
        description = "List discovered stage plugins and rejected candidates.")
final class PluginsCommand implements Callable<Integer> {

    private final Environment env;

    @Spec CommandSpec spec;

    @Option(
            names = {"-v", "--verbose"},
            description =
                    "Show SPI range, metrics, config options and where each plugin was loaded from.")
    boolean verbose;

    // The spelling users are told elsewhere ("plugins --list"); listing is what the command does.
    @Option(names = "--list", description = "List the plugins (what the command does anyway).")
    boolean list;

    PluginsCommand(Environment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<String> invalid = PipelineLoader.invalidAllowedSha256(env.variables());
        for (String digest : invalid)
            spec.commandLine()
                    .getErr()
                    .println(
                            "error: "
                                    + PipelineLoader.invalidDigestMessage(digest)
                                    + "; fix: "
                                    + PipelineLoader.DIGEST_FIX);
        if (!invalid.isEmpty()) return 1;
        List<String> pinned = PipelineLoader.allowedPluginSha256(env.variables(), null);
        PluginRegistry registry =
                PluginRegistry.load(
                        env.pluginPaths(),
                        pinned,
                        io.audioflow.api.LifecycleListener.NONE,
                        PluginIndex.fromEnvironment(env.variables()));
        out.println("stage SPI " + Spi.VERSION);
        if (!env.pluginPaths().isEmpty())
            out.println("plugin paths: " + String.join(":", env.pluginPaths()));
        if (!pinned.isEmpty())
            out.println(
                    "pinned: only external jars with the " + pinned.size() + " allowed digest(s)");
        out.printf("%-12s %-9s %-10s %s%n", "NAME", "VERSION", "KIND", "DESCRIPTION");
        for (LoadedPlugin p : registry.plugins()) {
            PluginInfo info = p.info();
            out.printf(
                    "%-12s %-9s %-10s %s%n",
                    info.name(), info.version(), info.kind().label(), info.description());
            if (verbose) details(out, p);
        }
        if (!registry.rejected().isEmpty() || verbose) {
            out.println();
            out.println("rejected candidates: " + (registry.rejected().isEmpty() ? "none" : ""));
            for (RejectedPlugin r : registry.rejected())
                out.println("  " + r.candidate() + " from " + r.source() + ": " + r.reason());
        }
        return 0;
    }

    private static void details(PrintWriter out, LoadedPlugin p) {
        PluginInfo info = p.info();
        out.println("    spi:      " + info.spiRange());
        out.println("    source:   " + p.source());
        PluginRegistry.sha256(p.source()).ifPresent(d -> out.println("    sha256:   " + d));
        if (!info.dependencies().isEmpty())
            out.println("    needs:    " + String.join(", ", info.dependencies()));
        for (String product : info.products())
            out.println(
                    "    product:  "
                            + product
                            + " (passed on with its audio to the stages after it)");
        for (MetricDefinition m : info.metrics()) {
            out.println(
                    "    metric:   " + m.name() + " [" + m.unit().symbol() + "] " + m.definition());
        }
        for (ConfigOption o : info.options()) {
            out.println(
                    "    config:   "
                            + o.name()
                            + " ("
                            + o.type().name().toLowerCase(java.util.Locale.ROOT)
                            + ", default "
                            + o.defaultValue()
                            + ") "
                            + o.description());
        }
    }
}
