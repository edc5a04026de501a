package io.audioflow.pipeline.plugin;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * A plugin jar that pinning ({@code plugins.allowed_sha256}) refused before any of its code ran.
 * What it holds is known only as data: the plugin names an earlier scan of the same bytes recorded
 * in the registry cache, and the class names its services file lists.
 *
 * @param source the plugin path entry (a jar, or a folder of jars)
 * @param jar the refused jar's file name
 * @param pluginNames plugin names from the registry cache; empty when the jar was never scanned
 * @param pluginClasses class names in the jar's {@code META-INF/services} file for the SPI
 */
public record PinnedOutJar(
        String source,
        String jar,
        String sha256,
        List<String> pluginNames,
        List<String> pluginClasses)
        implements Serializable {

    public PinnedOutJar {
        pluginNames = List.copyOf(pluginNames);
        pluginClasses = List.copyOf(pluginClasses);
    }

    /**
     * Whether {@code processor} is (by the cache) or looks to be (by a class or package named after
     * it, as {@code com.example.pauses.PausesAnalyzer} for {@code pauses}) a plugin of this jar.
     */
    public boolean mayHold(String processor) {
        if (pluginNames.contains(processor)) return true;
        String wanted = letters(processor);
        if (wanted.isEmpty()) return false;
        for (String className : pluginClasses)
            for (String part : className.split("\\."))
                if (letters(part).startsWith(wanted)) return true;
        return false;
    }

    private static String letters(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
