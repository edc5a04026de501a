#!/usr/bin/env python3
"""Start-up with and without the plugin registry cache. Run from the repository root:

    python3 scripts/bench-plugins.py [--plugins 40] [--repeat 9]

It makes a plugins folder the way a platform team's looks after a while: --plugins external
plugins, each a folder with its own small plugin jar and the libraries it bundles (copies of
TarsosDSP and jFLAC from the local Maven repository: about 340 KB per plugin), every jar pinned
by digest. Then it times `audioflow validate config/pipeline.yaml` (the default pipeline, which
uses none of them) and `audioflow plugins` (which lists them all), wall-clock, as a user waits,
against the same commands with no external plugins at all:

  - no cache (PLUGIN_CACHE=none): every jar is hashed and opened, every plugin instantiated;
  - warm cache: unchanged jars are declared from the index; nothing is hashed or opened unless
    a pipeline uses it.

It also times the registry scan alone inside a fresh JVM (PluginRegistry.load, what the cache
replaces), since JVM start-up dominates the whole commands.

Figures are medians of --repeat runs, measured in the same run; the ratio is what to quote.
"""
import argparse, glob, os, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
JAR = os.path.join(ROOT, "job/target/audioflow.jar")
M2 = os.path.expanduser("~/.m2/repository")
BUNDLED = [
    os.path.join(M2, "com/github/axet/TarsosDSP/2.4-1/TarsosDSP-2.4-1.jar"),
    os.path.join(M2, "org/jflac/jflac-codec/1.5.2/jflac-codec-1.5.2.jar"),
]

SOURCE = """package bench.%(pkg)s;
import io.audioflow.api.*;
import java.io.*;
import java.util.List;
public class Plugin implements AudioAnalyzer {
    static final MetricDefinition ONE = new MetricDefinition("one", Unit.NONE, "always 1");
    public PluginInfo info() {
        return PluginInfo.builder("%(name)s", "1.0.0", StageKind.ANALYZER).description("benchmark plugin").metrics(ONE).build();
    }
    public FormatRequirement accepts(StageConfig config) { return FormatRequirement.ANY; }
    public Accumulator open(AudioFormat format, StageContext context) { return new Acc(); }
    public Accumulator restore(AudioFormat format, StageContext context, DataInput in) { return new Acc(); }
    static final class Acc implements Accumulator {
        public void accept(AudioBlock block) {}
        public List<QualityMetric> result() { return List.of(ONE.value(1)); }
        public void writeTo(DataOutput out) {}
    }
}
"""


def build_plugins(root, count):
    api = [j for j in glob.glob(os.path.join(ROOT, "plugins/api/target/audioflow-plugin-api-*.jar")) if not j.endswith("-tests.jar")][0]
    src, classes = os.path.join(root, "src"), os.path.join(root, "classes")
    files = []
    for i in range(count):
        d = os.path.join(src, "bench", "p%03d" % i)
        os.makedirs(d)
        files.append(os.path.join(d, "Plugin.java"))
        with open(files[-1], "w") as f:
            f.write(SOURCE % {"pkg": "p%03d" % i, "name": "bench-%03d" % i})
    subprocess.run(["javac", "--release", "17", "-cp", api, "-d", classes] + files, check=True)
    plugins = os.path.join(root, "plugins")
    for i in range(count):
        folder = os.path.join(plugins, "bench-%03d" % i)
        services = os.path.join(root, "svc%03d" % i, "META-INF", "services")
        os.makedirs(services)
        with open(os.path.join(services, "io.audioflow.api.StagePlugin"), "w") as f:
            f.write("bench.p%03d.Plugin\n" % i)
        os.makedirs(folder)
        subprocess.run(["jar", "cf", os.path.join(folder, "plugin.jar"),
                        "-C", classes, "bench/p%03d" % i, "-C", os.path.join(root, "svc%03d" % i), "META-INF"], check=True)
        for lib in BUNDLED:
            shutil.copy(lib, folder)
    return plugins


def digests(plugins):
    out = []
    for jar in sorted(glob.glob(os.path.join(plugins, "*", "*.jar"))):
        out.append(subprocess.run(["sha256sum", jar], capture_output=True, text=True, check=True).stdout.split()[0])
    return sorted(set(out))


SCAN = """import io.audioflow.pipeline.plugin.*;
import java.nio.file.Path;
import java.util.List;
public class Scan {
    public static void main(String[] a) {
        long started = System.nanoTime();
        PluginIndex index = a[1].equals("none") ? PluginIndex.none() : PluginIndex.at(Path.of(a[1]));
        PluginRegistry r = PluginRegistry.load(List.of(a[0]), List.of(System.getenv("PLUGIN_ALLOWED_SHA256").split(",")),
                io.audioflow.api.LifecycleListener.NONE, index);
        System.out.println((System.nanoTime() - started) / 1e9 + " " + r.plugins().size());
    }
}
"""


def scan_seconds(tmp, plugins, env, cache):
    source = os.path.join(tmp, "Scan.java")
    with open(source, "w") as f:
        f.write(SCAN)
    out = subprocess.run(["java", "-cp", JAR, source, plugins, cache], env=env, capture_output=True, text=True, check=True).stdout
    return float(out.split()[0])


def wall(cmd, env):
    started = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plugins", type=int, default=40)
    ap.add_argument("--repeat", type=int, default=9)
    args = ap.parse_args()
    if not os.path.exists(JAR):
        subprocess.run(["mvn", "-B", "-q", "package", "-DskipTests"], cwd=ROOT, check=True)
    with tempfile.TemporaryDirectory() as tmp:
        plugins = build_plugins(tmp, args.plugins)
        base = dict(os.environ, PLUGIN_PATHS=plugins, PLUGIN_ALLOWED_SHA256=",".join(digests(plugins)))
        cache = os.path.join(tmp, "plugin-index.bin")
        envs = {"no cache": dict(base, PLUGIN_CACHE="none"), "warm cache": dict(base, PLUGIN_CACHE=cache),
                "no plugins": {k: v for k, v in os.environ.items() if not k.startswith("PLUGIN_")}}
        commands = {
            "validate config/pipeline.yaml": ["java", "-jar", JAR, "validate", os.path.join(ROOT, "config/pipeline.yaml")],
            "plugins": ["java", "-jar", JAR, "plugins"],
        }
        listed = subprocess.run(commands["plugins"], env=envs["warm cache"], capture_output=True, text=True, check=True).stdout
        found = listed.count("benchmark plugin")
        if found != args.plugins:
            sys.exit("expected %d benchmark plugins listed, found %d:\n%s" % (args.plugins, found, listed))
        print("%d external plugins (%d jars, pinned); median of %d runs, wall-clock seconds" % (
            args.plugins, args.plugins * (1 + len(BUNDLED)), args.repeat))
        print("%-32s %10s %10s %8s %12s" % ("command", "no cache", "warm", "ratio", "no plugins"))
        for name, cmd in commands.items():
            times = {}
            for label, env in envs.items():
                wall(cmd, env)  # warm-up: page cache, and the index for the cached runs
                times[label] = statistics.median(wall(cmd, env) for _ in range(args.repeat))
            print("%-32s %10.3f %10.3f %7.2fx %12.3f" % (name, times["no cache"], times["warm cache"],
                                                         times["no cache"] / times["warm cache"], times["no plugins"]))
        scans = {}
        for label, cache_file in (("no cache", "none"), ("warm cache", cache)):
            scans[label] = statistics.median(scan_seconds(tmp, plugins, envs[label], cache_file) for _ in range(args.repeat))
        print("%-32s %10.3f %10.3f %7.2fx" % ("registry scan alone (in-JVM)", scans["no cache"], scans["warm cache"],
                                              scans["no cache"] / scans["warm cache"]))


if __name__ == "__main__":
    main()
