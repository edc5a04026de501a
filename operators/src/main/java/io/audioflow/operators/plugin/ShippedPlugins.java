package io.audioflow.operators.plugin;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.cache.DistributedCache;

/**
 * External plugin paths travel with the job through Flink's distributed cache, so TaskManagers on
 * other machines load the same jars: the client registers each plugin path under a name, the stage
 * specs carry {@code cache:<name>}, and each operator turns those back into the local copy.
 */
public final class ShippedPlugins {

    public static final String PREFIX = "cache:";

    private ShippedPlugins() {}

    /** The cache entry name for the {@code index}-th plugin path. */
    public static String entryName(int index) {
        return "audioflow-plugins-" + index;
    }

    /** Plugin paths as this process can read them: shipped ones from the cache, others as given. */
    public static List<String> local(List<String> paths, DistributedCache cache) {
        List<String> local = new ArrayList<>(paths.size());
        for (String p : paths)
            local.add(
                    p.startsWith(PREFIX)
                            ? cache.getFile(p.substring(PREFIX.length())).getAbsolutePath()
                            : p);
        return local;
    }
}
