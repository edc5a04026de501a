package io.audioflow.job.kafka;

import io.audioflow.operators.plugin.ShippedPlugins;
import io.audioflow.pipeline.definition.ValidatedPipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Ships the pipeline's external plugin paths with the job: each path (a folder of plugins, or one
 * jar) goes into Flink's distributed cache, which copies it from the client to every TaskManager
 * (folders are zipped and unpacked), and the stage specs then name the cache entries instead of the
 * client's paths. Without this a TaskManager would look for the jars at the client's path, where on
 * another machine there is nothing.
 */
public final class PluginShipping {

    private PluginShipping() {}

    public static ValidatedPipeline ship(
            ValidatedPipeline pipeline, StreamExecutionEnvironment env) {
        List<String> paths = pipeline.stages().get(0).spec().pluginPaths();
        if (paths.isEmpty()) return pipeline;
        List<String> shipped = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            Path path = Path.of(paths.get(i)).toAbsolutePath();
            if (!Files.exists(path)) continue; // validation reported it; nothing to ship
            String name = ShippedPlugins.entryName(i);
            env.registerCachedFile(path.toUri().toString(), name);
            shipped.add(ShippedPlugins.PREFIX + name);
        }
        return pipeline.withPluginPaths(shipped);
    }
}
