#!/usr/bin/env python3
"""audioflow's streaming benchmark: what the job costs per audio-second through a real Kafka
broker, exactly-once, against the DSP alone (`analyze`) on the same recordings in the same run.
Run from the repository root:

    python3 scripts/bench-stream.py [--hours 2] [--no-cluster]

It installs what it needs when missing (Debian: sox codec2-examples), builds the jars if needed,
starts deploy/local (a Kafka broker, a JobManager and two TaskManagers, each its own JVM; stopped
at the end), and makes its input at run time: codec2's 16 kHz reference speech repeated and cut
into recordings of 5 s to 10 min, alternately 16 kHz mono and 44.1 kHz stereo. The recordings are
published once, in 1 s chunks with `publish`, to a topic every run reads from its beginning.

Runs, in this order, in one invocation (this machine's speed moves by tens of percent over a day,
so only ratios within one invocation mean anything):
  1. DSP only: `analyze` over the recordings as files.
  2. `run` (the job on a local Flink in its own JVM) at parallelism 1, hashmap and RocksDB.
  3. The job jar on deploy/local at parallelism 1 and 2 (unless --no-cluster).
Each streaming run writes to its own result topic and is measured until every recording's result
is readable with read_committed. CPU comes from /proc (user + system time of every process
involved: the job's JVMs and the broker), so the broker's share is counted.
"""
import argparse, json, os, shutil, signal, subprocess, sys, tempfile, threading, time
import urllib.parse, urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = ROOT / "job/target/audioflow.jar"
JOB = ROOT / "job/target/audioflow-job.jar"
LOCAL = ROOT / "deploy/local/cluster.py"
SPEECH = "/usr/share/codec2/raw/speech_orig_16k.wav"
TICKS = os.sysconf("SC_CLK_TCK")
# Recording lengths, in turn, until the corpus is long enough.
LENGTHS_S = [5, 20, 60, 180, 600, 10, 45, 120, 300]


def ensure_tools():
    missing = [p for p, exe in [("sox", "sox")] if not shutil.which(exe)]
    if not os.path.exists(SPEECH):
        missing.append("codec2-examples")
    if missing:
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        subprocess.run(sudo + ["apt-get", "update", "-qq"], check=True)
        subprocess.run(sudo + ["apt-get", "install", "-y", "-qq", "--no-install-recommends"] + missing,
                       check=True, env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
    if not CLI.exists() or not JOB.exists():
        subprocess.run(["mvn", "-B", "-q", "package", "-DskipTests"], cwd=ROOT, check=True)


def cpu_of(pids):
    """User + system seconds of live processes, from /proc/PID/stat."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / TICKS
    return total


def make_corpus(folder, hours):
    folder.mkdir()
    long_speech = folder.parent / "speech-long.wav"
    subprocess.run(["sox", SPEECH, str(long_speech), "repeat", "60"], check=True)  # 11 min
    total, i = 0.0, 0
    while total < hours * 3600:
        seconds = LENGTHS_S[i % len(LENGTHS_S)]
        stereo = i % 2 == 1
        out = folder / ("rec-%04d-%s.wav" % (i, "44k-stereo" if stereo else "16k-mono"))
        effects = ["trim", str((i * 37) % 30), str(seconds)]
        if stereo:
            # 3 dB of headroom: the resampler's overshoot would clip the loudest peaks
            effects += ["gain", "-3", "rate", "44100", "channels", "2"]
        subprocess.run(["sox", "-V1", str(long_speech), str(out)] + effects, check=True)
        total += seconds
        i += 1
    long_speech.unlink()
    return i, total


def cli(*args, **kw):
    return subprocess.run(["java", "-jar", str(CLI)] + [str(a) for a in args], check=True, **kw)


def pipeline_for(tmp, name):
    """The default pipeline, reading the shared input topic and writing to topics of its own."""
    text = (ROOT / "config/pipeline.yaml").read_text()
    for old, new in (("input: audio.chunks", "input: bench.chunks"),
                     ("results: audio.results", f"results: bench.results.{name}"),
                     ("dlq: audio.dlq", f"dlq: bench.dlq.{name}"),
                     ("control: audio.control", "control: none"),
                     ("transactional_id_prefix: audioflow", f"transactional_id_prefix: bench-{name}")):
        if old not in text:
            sys.exit(f"config/pipeline.yaml has no `{old}`: update scripts/bench-stream.py")
        text = text.replace(old, new)
    path = tmp / f"pipeline-{name}.yaml"
    path.write_text(text)
    return path


def follow_results(bootstrap, topic, count, timeout_s, on_result):
    """Calls on_result with each result as it becomes readable (read_committed), until `count`."""
    tail = subprocess.Popen(["java", "-jar", str(CLI), "tail", "--bootstrap-servers", bootstrap,
                             "--topic", topic, "--max-records", str(count), "--duration-s",
                             str(timeout_s), "--format", "jsonl"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in tail.stdout:
        if line.startswith("{"):
            on_result(json.loads(line))
    tail.wait()


class ProcessedAudio:
    """Samples, every `period` s while a deploy/local job runs, the audio its decode stage has gone
    through (the job's own `audioSecondsProcessed` gauge, summed over subtasks, from Flink's REST
    API) and the CPU of every process involved. Unlike results, which become readable only at
    checkpoints, the gauge moves with the work, so a window of samples gives the steady cost."""

    def __init__(self, rest, job_id, pids, period=2.0):
        self.rest, self.job_id, self.pids, self.period = rest, job_id, pids, period
        self.samples = []  # (audio seconds, CPU seconds)
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _get(self, path):
        with urllib.request.urlopen(self.rest + path, timeout=5) as r:
            return json.load(r)

    def _processed(self):
        total, found = 0.0, False
        for vertex in self._get(f"/jobs/{self.job_id}")["vertices"]:
            base = f"/jobs/{self.job_id}/vertices/{vertex['id']}/subtasks/metrics"
            names = [m["id"] for m in self._get(base)
                     if m["id"].endswith("audioflow_stage.decode.audioSecondsProcessed")]
            if not names:
                continue
            query = urllib.parse.urlencode({"get": ",".join(names), "agg": "sum"})
            for m in self._get(f"{base}?{query}"):
                total += float(m.get("sum", 0.0))
                found = True
        return total if found else None

    def _run(self):
        while not self.stopped.wait(self.period):
            try:
                audio = self._processed()
            except OSError:
                continue
            if audio is not None:
                self.samples.append((audio, cpu_of(self.pids)))

    def stop(self):
        self.stopped.set()
        self.thread.join()

    def steady(self, total_audio, start=1 / 3, end=0.9):
        """Audio per CPU-second between the samples where a third and 90 % of the corpus had been
        decoded: past the JIT's first work, before the last recordings drain."""
        window = [s for s in self.samples if start * total_audio <= s[0] <= end * total_audio]
        if len(window) < 2 or window[-1][1] <= window[0][1]:
            return None
        return {"audio": window[-1][0] - window[0][0], "cpu": window[-1][1] - window[0][1],
                "samples": len(window)}


def streaming_run(name, start, stop, job_pids, broker_pid, bootstrap, recordings, timeout_s,
                  sampler=None):
    """CPU of every process involved for the whole run, until every result is readable; with a
    sampler, also the steady window (ProcessedAudio.steady)."""
    before_broker = cpu_of([broker_pid])
    started = time.monotonic()
    handle = start()
    before_job = cpu_of(job_pids(handle))
    processed = sampler(handle, job_pids(handle) + [broker_pid]) if sampler else None
    follow_results(bootstrap, f"bench.results.{name}", recordings, timeout_s, lambda r: None)
    wall = time.monotonic() - started
    job_cpu = cpu_of(job_pids(handle)) - before_job
    broker_cpu = cpu_of([broker_pid]) - before_broker
    if processed:
        processed.stop()
    stop(handle)
    return {"job": job_cpu, "broker": broker_cpu, "wall": wall, "processed": processed}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hours", type=float, default=2.0)
    ap.add_argument("--no-cluster", action="store_true", help="skip the deploy/local job-jar runs")
    ap.add_argument("--timeout-s", type=int, default=1800)
    args = ap.parse_args()
    ensure_tools()
    runs = {}
    with tempfile.TemporaryDirectory(prefix="bench-stream-") as tmp_name:
        tmp = Path(tmp_name)
        env = dict(os.environ, AUDIOFLOW_RUN_DIR=str(tmp / "cluster"))
        corpus = tmp / "corpus"
        recordings, audio_s = make_corpus(corpus, args.hours)
        print(f"corpus: {recordings} recordings, {audio_s / 3600:.2f} h", file=sys.stderr)
        up = subprocess.run([sys.executable, str(LOCAL), "up", "--taskmanagers", "2"], env=env,
                            check=True, capture_output=True, text=True)
        cluster = json.loads(up.stdout.strip().splitlines()[-1])
        state = json.loads((tmp / "cluster" / "cluster.json").read_text())
        bootstrap, broker = cluster["bootstrap_servers"], state["pids"]["kafka"]
        flink_pids = [pid for name, pid in state["pids"].items() if name != "kafka"]
        try:
            cli("publish", "--bootstrap-servers", bootstrap, "--topic", "bench.chunks",
                "--chunk-ms", 1000, corpus, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

            started = time.monotonic()
            before = os.times()
            cli("analyze", "--pipeline", ROOT / "config/pipeline.yaml", corpus, stdout=subprocess.DEVNULL)
            after = os.times()
            runs["DSP only: analyze"] = {
                "job": (after.children_user - before.children_user) + (after.children_system - before.children_system),
                "broker": 0.0, "wall": time.monotonic() - started}
            # The DSP alone in a warm JVM: the profile's total after one warm-up pass (one thread).
            table = subprocess.run(["java", "-jar", str(CLI), "profile", "--warmup", "1", "-o",
                                    str(tmp / "profile.html"), str(corpus)],
                                   capture_output=True, text=True, check=True).stdout
            warm_ms = next(float(l.split()[1]) for l in table.splitlines() if l.startswith("T_total"))

            def local_run(backend):
                name = f"run-{backend}"

                def start():
                    log = open(tmp / f"{name}.log", "w")
                    return subprocess.Popen(
                        ["java", "-jar", str(CLI), "run", "--pipeline", str(pipeline_for(tmp, name)),
                         "--bootstrap-servers", bootstrap, "--group-id", f"bench-{name}",
                         "--parallelism", "1", "--state-backend", backend,
                         "--checkpoint-dir", str(tmp / f"checkpoints-{name}")],
                        stdout=log, stderr=log)

                def stop(p):
                    p.send_signal(signal.SIGINT)
                    try:
                        p.wait(60)
                    except subprocess.TimeoutExpired:
                        p.kill()

                return name, start, stop, lambda p: [p.pid]

            def cluster_run(parallelism):
                name = f"cluster-p{parallelism}"

                def start():
                    submitted = subprocess.run(
                        [sys.executable, str(LOCAL), "submit", str(JOB), "--pipeline",
                         str(pipeline_for(tmp, name)), "--bootstrap-servers", bootstrap,
                         "--group-id", f"bench-{name}", "--parallelism", str(parallelism)],
                        env=env, check=True, capture_output=True, text=True)
                    return submitted.stdout.strip().splitlines()[-1]

                def stop(job):
                    subprocess.run([sys.executable, str(LOCAL), "cancel", job], env=env, check=True)
                    time.sleep(5)  # the slots come free before the next run

                return name, start, stop, lambda job: flink_pids

            def sample_cluster(job, pids):
                return ProcessedAudio(state["rest"], job, pids)

            plan = [local_run("hashmap") + (None,), local_run("rocksdb") + (None,)]
            if not args.no_cluster:
                plan += [cluster_run(1) + (sample_cluster,), cluster_run(2) + (sample_cluster,)]
            for name, start, stop, pids, sampler in plan:
                print(f"running {name}…", file=sys.stderr)
                runs[name] = streaming_run(name, start, stop, pids, broker, bootstrap, recordings,
                                           args.timeout_s, sampler)
                if runs[name]["processed"]:
                    runs[name]["window"] = runs[name]["processed"].steady(audio_s)
        finally:
            subprocess.run([sys.executable, str(LOCAL), "down"], env=env, check=False,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    dsp = runs["DSP only: analyze"]
    dsp_rate = audio_s / dsp["job"]
    warm_rate = audio_s / (warm_ms / 1000)
    print(f"input: {recordings} recordings, {audio_s / 3600:.2f} h of speech (16 kHz mono and "
          f"44.1 kHz stereo), published in 1 s chunks; exactly-once, 10 s checkpoints")
    print("whole runs (audio-s per CPU-s of every process; DSP only = analyze, start-up included):")
    print("%-24s %10s %10s %10s %18s %14s" % ("run", "job CPU-s", "broker", "wall s",
                                              "audio-s per CPU-s", "vs DSP only"))
    for name, r in runs.items():
        cpu = r["job"] + r["broker"]
        rate = audio_s / cpu
        print("%-24s %10.1f %10.1f %10.1f %18.0f %13.0f%%" % (name, r["job"], r["broker"], r["wall"],
                                                             rate, 100 * rate / dsp_rate))
    print("\nsteady, from the job's own audioSecondsProcessed (decode stage, all subtasks) between a third"
          " and 90 % of the audio, every process's CPU in that window; DSP only = profile --warmup 1:")
    for name, r in runs.items():
        w = r.get("window")
        if w:
            rate = w["audio"] / w["cpu"]
            print("  %-22s %8.0f s of audio, %6.1f CPU-s (%d samples): %6.0f audio-s per CPU-s, %4.0f%% of DSP only"
                  % (name, w["audio"], w["cpu"], w["samples"], rate, 100 * rate / warm_rate))
    print("\ntargets:")
    if "cluster-p2" in runs:
        r = runs["cluster-p2"]
        share = (audio_s / (r["job"] + r["broker"])) / dsp_rate
        print("  %-4s deploy/local, parallelism 2, exactly-once, whole run: %.0f%% of DSP only (>= 90%%)"
              % ("pass" if share >= 0.9 else "FAIL", 100 * share))
        if r.get("window"):
            share = (r["window"]["audio"] / r["window"]["cpu"]) / warm_rate
            print("  %-4s deploy/local, parallelism 2, exactly-once, steady: %.0f%% of warm DSP only (>= 90%%)"
                  % ("pass" if share >= 0.9 else "FAIL", 100 * share))
    else:
        print("  (skipped: deploy/local runs, --no-cluster)")


if __name__ == "__main__":
    main()
