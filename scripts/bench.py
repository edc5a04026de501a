#!/usr/bin/env python3
"""audioflow's benchmark: CPU-seconds to analyse one hour of 16 kHz mono speech, for the whole
default pipeline and stage by stage, against the reference tools on the same file in the same
run. Run from the repository root:

    python3 scripts/bench.py [--repeat 3]

It installs what it needs when missing (Debian: sox ffmpeg aubio-tools codec2-examples; it
asks apt, as root or through sudo), builds job/target/audioflow.jar if needed, and makes the
input at run time: codec2's 10.8 s reference speech recording repeated to one hour.

CPU time is user + system time of the whole process and its children, as a user pays it:
JVM and local Flink start-up included for audioflow, whole processes for the tools. Figures
are the median of the repeats; ratios compare figures from the same run. Stage costs come from
the `profile` command's per-stage times in one warm JVM: the difference of two whole runs (one
with a stage, one without) is smaller than their run-to-run noise.
"""
import argparse, os, resource, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
JAR = os.path.join(ROOT, "job/target/audioflow.jar")
SPEECH = "/usr/share/codec2/raw/speech_orig_16k.wav"


def ensure_tools():
    missing = [p for p, exe in [("sox", "sox"), ("ffmpeg", "ffmpeg"), ("aubio-tools", "aubiopitch")] if not shutil.which(exe)]
    if not os.path.exists(SPEECH):
        missing.append("codec2-examples")
    if missing:
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        subprocess.run(sudo + ["apt-get", "update", "-qq"], check=True)
        subprocess.run(sudo + ["apt-get", "install", "-y", "-qq", "--no-install-recommends"] + missing, check=True,
                       env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
    if not os.path.exists(JAR):
        subprocess.run(["mvn", "-B", "-q", "package", "-DskipTests"], cwd=ROOT, check=True)


def cpu_seconds(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def decode_only(path):
    with open(path, "w") as f:
        f.write("name: bench\nversion: 1.0.0\nstages:\n  - {name: decode, processor: decode}\n")
    return path


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    ensure_tools()
    with tempfile.TemporaryDirectory() as tmp:
        audio = os.path.join(tmp, "speech-1h.wav")
        subprocess.run(["sox", SPEECH, audio, "repeat", "332"], check=True)
        hours = float(subprocess.run(["soxi", "-D", audio], capture_output=True, text=True, check=True).stdout) / 3600
        analyze = ["java", "-jar", JAR, "analyze", "--pipeline"]
        launcher = [os.path.join(ROOT, "scripts/audioflow"), "analyze", "--pipeline"]
        default = os.path.join(ROOT, "config/pipeline.yaml")
        # The launcher writes its class-data-sharing archive on its first run; make it now.
        subprocess.run(launcher + [default, os.path.join(ROOT, "test-data/audio/sine-1k-16k-mono.wav")], check=True, stdout=subprocess.DEVNULL)
        runs = {
            "audioflow: default pipeline (java -jar)": analyze + [default, audio],
            "audioflow: default pipeline (scripts/audioflow)": launcher + [default, audio],
            "audioflow: decode only": analyze + [decode_only(os.path.join(tmp, "decode.yaml")), audio],
            "reference: ffmpeg astats,ebur128=peak=true": ["ffmpeg", "-nostats", "-i", audio, "-af", "astats,ebur128=peak=true", "-f", "null", "-"],
            "reference: aubiopitch -p yinfft": ["aubiopitch", "-p", "yinfft", "-i", audio],
            "reference: sox stats": ["sox", audio, "-n", "stats"],
        }
        results = {name: [] for name in runs}
        for _ in range(args.repeat):
            for name, cmd in runs.items():
                results[name].append(cpu_seconds(cmd))
        cpu = {name: statistics.median(v) for name, v in results.items()}
        # A folder of short files: analyze spreads them over the cores (--jobs, default: all).
        folder = os.path.join(tmp, "short")
        os.mkdir(folder)
        for i in range(100):
            shutil.copy(SPEECH, os.path.join(folder, "speech-%03d.wav" % i))
        folder_runs = []
        for _ in range(args.repeat):
            started = time.monotonic()
            folder_cpu = cpu_seconds(analyze + [default, folder])
            folder_runs.append((time.monotonic() - started, folder_cpu))
        folder_wall, folder_cpu = sorted(folder_runs)[len(folder_runs) // 2]
        # Stage by stage without start-up and JIT warm-up: the profile command's table.
        table = subprocess.run([os.path.join(ROOT, "scripts/audioflow"), "profile", "--warmup", "1", "-o",
                                os.path.join(tmp, "profile.html"), audio], capture_output=True, text=True, check=True).stdout
        profile = table.split("\n\n")[0]
    print("input: %.3f h of 16 kHz mono speech; CPU-seconds per hour of audio (median of %d runs)" % (hours, args.repeat))
    print("%-48s %10s %14s" % ("run", "CPU-s/h", "x real time"))
    for name, c in cpu.items():
        print("%-48s %10.2f %14.0f" % (name, c / hours, 3600 * hours / c))
    tools = cpu["reference: ffmpeg astats,ebur128=peak=true"] + cpu["reference: aubiopitch -p yinfft"]
    print("\nratio, reference tools (ffmpeg astats+ebur128 + aubiopitch yinfft) / audioflow default pipeline:")
    for how in ("java -jar", "scripts/audioflow"):
        name = "audioflow: default pipeline (%s)" % how
        # Each repeat runs everything once, in turn, so a repeat's own ratio compares runs made
        # close together; the spread shows how much the machine's speed moved meanwhile.
        each = [(f + a) / ours for f, a, ours in zip(results["reference: ffmpeg astats,ebur128=peak=true"],
                                                     results["reference: aubiopitch -p yinfft"], results[name])]
        print("  %-18s %.2f   (per repeat: %s)" % (how, tools / cpu[name], ", ".join("%.2f" % r for r in each)))
    print("start-up and decoding (decode-only run, java -jar): %.2f CPU-s" % cpu["audioflow: decode only"])
    print("folder of 100 files of 10.8 s (java -jar analyze DIR): %.2f s wall, %.2f CPU-s, %.2f cores busy"
          % (folder_wall, folder_cpu, folder_cpu / folder_wall))
    print("\ntargets:")
    for how, target in (("java -jar", 2.5), ("scripts/audioflow", 3.5)):
        ratio = tools / cpu["audioflow: default pipeline (%s)" % how]
        print("  %-4s %-40s %.2f >= %.1f" % ("pass" if ratio >= target else "FAIL", "reference / audioflow, " + how, ratio, target))
    print("  %-4s %-40s %.2f s < %.2f CPU-s" % ("pass" if folder_wall < folder_cpu else "FAIL",
                                                 "folder: wall time below one core's work", folder_wall, folder_cpu))
    print("\nper stage in a warm JVM (scripts/audioflow profile --warmup 1, one thread, same file):")
    print(profile)


if __name__ == "__main__":
    main()
