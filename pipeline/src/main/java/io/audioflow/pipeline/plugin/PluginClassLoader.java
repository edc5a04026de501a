package io.audioflow.pipeline.plugin;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Enumeration;
import java.util.List;

/**
 * Loads one external plugin: its own classes and libraries first, so two plugins may bundle
 * different versions of the same library, but the SPI, the JDK and logging always from the host, so
 * plugin and host agree on the types they exchange (as Kafka Connect's PluginClassLoader).
 */
final class PluginClassLoader extends URLClassLoader {

    private static final List<String> FROM_HOST =
            List.of(
                    "java.",
                    "javax.",
                    "jdk.",
                    "sun.",
                    "com.sun.",
                    "io.audioflow.api.",
                    "org.slf4j.",
                    "org.apache.logging.log4j.");

    static {
        ClassLoader.registerAsParallelCapable();
    }

    PluginClassLoader(String name, URL[] jars, ClassLoader host) {
        super(name, jars, host);
    }

    static boolean fromHost(String className) {
        for (String prefix : FROM_HOST) {
            if (className.startsWith(prefix)) return true;
        }
        return false;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (fromHost(name)) return super.loadClass(name, resolve);
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                try {
                    c = findClass(name);
                } catch (ClassNotFoundException e) {
                    c = getParent().loadClass(name);
                }
            }
            if (resolve) resolveClass(c);
            return c;
        }
    }

    @Override
    public URL getResource(String name) {
        URL own = findResource(name);
        return own != null ? own : super.getResource(name);
    }

    /** Only this plugin's own resources: the host's service files are not the plugin's. */
    Enumeration<URL> ownResources(String name) throws IOException {
        return findResources(name);
    }
}
