#!/usr/bin/env python3
"""audioflow's streaming benchmark: what the job costs per audio-second through a real Kafka
broker, exactly-once, against the DSP alone (`analyze`) on the same recordings in the same run,
its latency with live sources, and its cost with many recordings open. Run from the repository root:

    python3 scripts/bench-stream.py [--hours 2] [--passes 5] [--live-s 180] [--scale 100,1000,10000]
                                    [--scale-rounds 2] [--flink-conf KEY=VALUE] [--no-cluster]
    python3 scripts/bench-stream.py --against OTHER/audioflow-job.jar [--rounds 2]

It installs what it needs when missing (Debian: sox codec2-examples), builds the jars if needed,
starts deploy/local (a Kafka broker, a JobManager and two TaskManagers, each its own JVM; stopped
at the end), and makes its input at run time from codec2's 16 kHz reference speech. In one
invocation (this machine's speed moves by tens of percent over a day, so only ratios within one
invocation mean anything):
  1. Throughput. `--hours` of recordings of 5 s to 10 min, alternately 16 kHz mono and 44.1 kHz
     stereo, published `--passes` times (the later ones are the steady part) in 1 s chunks to one
     topic, then: `analyze` over the same files (DSP only, the ceiling: its warm cost is what the
     passes after the first add, medians of three runs of each, before, amid and after the
     streaming runs); `run` (the job on a local Flink in its own JVM) at parallelism 1 with
     hashmap and RocksDB; the job jar on deploy/local at parallelism 1 and 2. Each run reads the topic from its beginning into a result topic of its
     own, until every result is readable with read_committed. Whole runs: CPU from /proc of every
     process involved (the broker's included). Steady part (deploy/local): the job's own
     audioSecondsProcessed and each stage's busy time from the TaskManagers' Prometheus endpoints,
     sampled every second with every process's CPU, from a tenth into the second pass (and at
     least 40 s into the job, past most of its JIT) to four fifths into the last.
  2. Latency at half of the peak measured in 1: `publish --sources N --real-time` with N live
     sources (N = half the peak in audio-s per s), recordings of 3 to 11 s. Processing latency
     from the job's resultLatencyMs histogram; visibility latency from each recording's last
     chunk (by the publisher's schedule) to its result read with read_committed. Then with 4
     sources and 40 recordings, where no network buffer fills.
  3. Scale: 10 000 recordings of 5 s published twice with 100, 1 000 and 10 000 open at once
     (`publish --sources`), each analysed by a fresh job: steady cost per audio-second in the
     second pass, largest checkpoint. `--scale-rounds` times, in ABBA order (100, 1 000, 10 000,
     10 000, 1 000, 100): the target compares the medians.
The last lines say which targets pass.

With `--against JAR` it does none of that: it compares this build's job jar (A) with another
(B, say one built in a worktree of an earlier commit) on one deploy/local cluster at parallelism
2, in the order A B B A, `--rounds` times, over the same topic, and prints B / A per round for
the whole runs and their steady windows. On this machine one run's figure moves by a tenth or
more from the next; a change smaller than that shows only this way.
"""
import argparse, json, os, shutil, signal, statistics, subprocess, sys, tempfile, threading, time
import urllib.request
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


# Threads of a TaskManager by what they do, from their names (Linux keeps the first 15 characters).
THREAD_KINDS = (("JIT compiler", ("C1 CompilerThre", "C2 CompilerThre")),
                ("GC", ("GC Thread", "G1 ", "VM Thread")),
                ("Kafka clients", ("Source Data Fet", "kafka-producer-", "kafka-coordinat")),
                # a task thread is named after its operator chain: these are the job's heads
                ("task threads", ("Source: ", "reassemble chun", "apply config up", "decode ",
                                  "decision ", "results", "kafka: ")))


def cpu_by_thread_kind(pid):
    """CPU seconds of a process's threads by THREAD_KINDS, the rest as "Flink runtime"."""
    kinds = {}
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return kinds
    for task in tasks:
        try:
            stat = (task / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat.rsplit(")", 1)[1].split()
        kind = next((k for k, prefixes in THREAD_KINDS if name.startswith(prefixes)), "Flink runtime")
        kinds[kind] = kinds.get(kind, 0.0) + (int(fields[11]) + int(fields[12])) / TICKS
    return kinds


def make_corpus(folder, hours, lengths=LENGTHS_S, stereo_too=True, count=None):
    """Recordings cut from codec2's speech repeated: `lengths` in turn until `hours` (or `count`
    recordings), alternately 16 kHz mono and 44.1 kHz stereo unless `stereo_too` is false."""
    folder.mkdir()
    long_speech = folder.parent / f"{folder.name}-speech-long.wav"
    subprocess.run(["sox", SPEECH, str(long_speech), "repeat", "60"], check=True)  # 11 min
    total, i = 0.0, 0
    while (total < hours * 3600) if count is None else (i < count):
        seconds = lengths[i % len(lengths)]
        stereo = stereo_too and i % 2 == 1
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


def cli_cpu(*args):
    """User + system CPU seconds of one CLI run (its stdout dropped)."""
    before = os.times()
    cli(*args, stdout=subprocess.DEVNULL)
    after = os.times()
    return (after.children_user - before.children_user) + (after.children_system - before.children_system)


def pipeline_for(tmp, name, input_topic="bench.chunks"):
    """The default pipeline, reading `input_topic` and writing to topics of its own."""
    text = (ROOT / "config/pipeline.yaml").read_text()
    for old, new in (("input: audio.chunks", f"input: {input_topic}"),
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
    through (the job's own `audioSecondsProcessed` gauge, summed over subtasks), each stage's busy
    time (`audioSecondsProcessed` / `realTimeFactor`) and the CPU of every process involved. The
    gauges are read from the TaskManagers' Prometheus endpoints, which report them as they are when
    scraped (Flink's REST API caches metrics for 10 s). Unlike results, which become readable only
    at checkpoints, the gauges move with the work, so a window of samples gives the steady cost and
    where it went."""

    PREFIX = "flink_taskmanager_job_task_operator_audioflow_stage_"

    def __init__(self, job_id, pids, period=1.0):
        """pids: process name -> pid (broker, JobManager, TaskManagers)."""
        self.job_id, self.pids, self.period = job_id, pids, period
        self.ports = prometheus_ports()
        # (decoded audio s, {process: CPU s}, {stage: busy s}, monotonic s,
        #  {TaskManager thread kind: CPU s})
        self.samples = []
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    @staticmethod
    def scrape(port):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as r:
                return r.read().decode()
        except OSError:
            return None

    def _gauges(self):
        """{(metric, stage, subtask): value} of this job's stage gauges."""
        return {(name, labels.get("audioflow_stage", ""),
                 labels.get("subtask_index", "") + labels.get("tm_id", "")): value
                for name, labels, value in job_series(self.ports, self.job_id, self.PREFIX)}

    def _run(self):
        while not self.stopped.wait(self.period):
            g = self._gauges()
            decoded = [v for (name, stage, _), v in g.items()
                       if name == "audioSecondsProcessed" and stage == "decode"]
            if not decoded:
                continue
            busy = {}
            for (name, stage, sub), audio in g.items():
                rtf = g.get(("realTimeFactor", stage, sub), 0.0)
                if name == "audioSecondsProcessed" and rtf > 0:
                    busy[stage] = busy.get(stage, 0.0) + audio / rtf
            cpu = {name: cpu_of([pid]) for name, pid in self.pids.items()}
            threads = {}
            for name, pid in self.pids.items():
                if name.startswith("taskmanager"):
                    for kind, c in cpu_by_thread_kind(pid).items():
                        threads[kind] = threads.get(kind, 0.0) + c
            self.samples.append((sum(decoded), cpu, busy, time.monotonic(), threads))

    def stop(self):
        self.stopped.set()
        self.thread.join()

    def steady(self, total_audio, start, end, after_s=0.0):
        """Between the samples where `start` and `end` of the corpus had been decoded (past the
        JIT's first work, before the last recordings drain), and no earlier than `after_s` after
        the first sample: audio, CPU of every process, each stage's busy time, wall time."""
        if not self.samples:
            return None
        since = self.samples[0][3] + after_s
        window = [s for s in self.samples
                  if start * total_audio <= s[0] <= end * total_audio and s[3] >= since]
        if len(window) < 2:
            return None
        first, last = window[0], window[-1]
        cpu = {p: last[1][p] - first[1].get(p, 0.0) for p in last[1]}
        if sum(cpu.values()) <= 0:
            return None
        return {"audio": last[0] - first[0], "cpu": sum(cpu.values()), "by_process": cpu,
                "stages": {st: last[2][st] - first[2].get(st, 0.0) for st in last[2]},
                "wall": last[3] - first[3], "samples": len(window),
                "threads": {k: last[4][k] - first[4].get(k, 0.0) for k in last[4]}}


def prometheus_ports():
    """The TaskManagers' Prometheus endpoints (deploy/local gives each Flink process a port from
    9250 on). Not the JobManager's, which has no job gauges: each scrape costs the scraped process
    about 15 ms of CPU, and the steady windows count that CPU."""
    return [p for p in range(9250, 9271) if "flink_taskmanager_" in (ProcessedAudio.scrape(p) or "")]


def job_series(ports, job_id, prefix):
    """(name after `prefix`, {label: value}, value) of every series of the job whose name starts
    with `prefix`, as the TaskManagers' Prometheus endpoints serve them now."""
    for port in ports:
        for line in (ProcessedAudio.scrape(port) or "").splitlines():
            if not line.startswith(prefix) or f'job_id="{job_id}"' not in line:
                continue
            labels = dict(kv.split("=", 1) for kv in line[line.index("{") + 1:line.rindex("}")].split(",")
                          if "=" in kv)
            yield (line[len(prefix):line.index("{")], {k: v.strip('"') for k, v in labels.items()},
                   float(line.rsplit(" ", 1)[1]))


QUANTILES = {"0.5": "p50", "0.99": "p99", "0.999": "p99.9"}


def prometheus_quantiles(job_id, metric):
    """{"p50": [...], "p99": [...], "p99.9": [...]}: a histogram's quantiles from every subtask."""
    found = {q: [] for q in QUANTILES.values()}
    for name, labels, value in job_series(prometheus_ports(), job_id,
                                          "flink_taskmanager_job_task_operator_" + metric):
        if name == "" and labels.get("quantile") in QUANTILES:
            found[QUANTILES[labels["quantile"]]].append(value)
    return found


def rest_get(rest, path):
    with urllib.request.urlopen(rest + path, timeout=5) as r:
        return json.load(r)


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


class Cluster:
    """deploy/local, started for the benchmark in its own run directory."""

    def __init__(self, tmp, taskmanagers=2, memory="1024m", flink_conf=()):
        self.env = dict(os.environ, AUDIOFLOW_RUN_DIR=str(tmp / "cluster"))
        self.tmp = tmp
        up = subprocess.run([sys.executable, str(LOCAL), "up", "--taskmanagers", str(taskmanagers),
                             "--taskmanager-memory", memory] + [f"-D{o}" for o in flink_conf],
                            env=self.env, check=True, capture_output=True, text=True)
        self.bootstrap = json.loads(up.stdout.strip().splitlines()[-1])["bootstrap_servers"]
        state = json.loads((tmp / "cluster" / "cluster.json").read_text())
        self.rest = state["rest"]
        self.broker = state["pids"]["kafka"]
        self.flink_pids = [pid for name, pid in state["pids"].items() if name != "kafka"]
        self.pids = dict(state["pids"])

    def create_topic(self, topic, partitions=2):
        """With Kafka's own tool, from the jars deploy/local runs the broker with."""
        jars = sorted((ROOT / "deploy/local/target/kafka-lib").glob("*.jar"))
        subprocess.run(["java", "-cp", os.pathsep.join(map(str, jars)), "org.apache.kafka.tools.TopicCommand",
                        "--bootstrap-server", self.bootstrap, "--create", "--if-not-exists", "--topic", topic,
                        "--partitions", str(partitions)], check=True, stdout=subprocess.DEVNULL)

    def submit(self, name, parallelism, input_topic, jar=JOB):
        submitted = subprocess.run(
            [sys.executable, str(LOCAL), "submit", str(jar), "--pipeline",
             str(pipeline_for(self.tmp, name, input_topic)), "--bootstrap-servers", self.bootstrap,
             "--group-id", f"bench-{name}", "--parallelism", str(parallelism)],
            env=self.env, check=True, capture_output=True, text=True)
        return submitted.stdout.strip().splitlines()[-1]

    def cancel(self, job):
        subprocess.run([sys.executable, str(LOCAL), "cancel", job], env=self.env, check=True,
                       stdout=subprocess.DEVNULL)
        time.sleep(5)  # the slots come free before the next run

    def down(self):
        subprocess.run([sys.executable, str(LOCAL), "down"], env=self.env, check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else float("nan")


def latency_run(cluster, tmp, sources, live_s, chunk_ms, checkpoint_s, count=None, name="live"):
    """`sources` live sources at once: processing latency from the job's
    resultLatencyMs (last chunk's Kafka timestamp -> result emitted; its window is the last 1 000
    results, so the run has more than that after its warm-up) and visibility latency (last chunk
    due -> result readable with read_committed, as `tail` sees it)."""
    corpus = tmp / name
    # Lengths that are no multiple of one another, so that recordings end at all times, not in
    # waves; enough of them that each result subtask's resultLatencyMs window (its last 1 000)
    # holds only results from after the first third of the run.
    lengths = [3.1, 4.7, 6.3, 7.9, 9.4, 11.2]
    if count is None:
        count = max(3000, int(sources * live_s / (sum(lengths) / len(lengths))))
    make_corpus(corpus, 0, lengths=lengths, stereo_too=False, count=count)
    files = sorted(corpus.iterdir())
    # The schedule `publish --sources N --real-time` keeps (ConcurrentSources): file i to source
    # i mod N, each source's files back to back, sources starting spread over one chunk.
    end_ms, source_end = {}, {}
    for i, f in enumerate(files):
        j = i % sources
        start = source_end.get(j, j * chunk_ms / sources)
        source_end[j] = start + lengths[i % len(lengths)] * 1000
        end_ms[f.name] = source_end[j]
    cluster.create_topic(f"bench.{name}")
    job = cluster.submit(name, 2, f"bench.{name}")
    time.sleep(15)  # the job's sources are assigned their partitions
    arrivals = {}
    # Its stderr goes to a file: a line per recording would fill a pipe nobody reads until the end.
    publish_log = tmp / f"publish-{name}.log"
    with open(publish_log, "w") as log:
        publish = subprocess.Popen(["java", "-jar", str(CLI), "publish", "--bootstrap-servers", cluster.bootstrap,
                                    "--topic", f"bench.{name}", "--chunk-ms", str(chunk_ms), "--sources", str(sources),
                                    "--real-time", str(corpus)], stdout=subprocess.DEVNULL, stderr=log)

    def arrived(r):
        arrivals[r["recording_id"]] = time.time() * 1000

    follow_results(cluster.bootstrap, f"bench.results.{name}", len(files),
                   int(max(end_ms.values()) / 1000 + 600), arrived)
    publish.wait()
    err = publish_log.read_text()
    started = next((int(l.split(" from ")[1].split()[0]) for l in err.splitlines()
                    if "published in real time from" in l), None)
    late = next((int(l.split(" was ")[1].split()[0]) for l in err.splitlines() if "ms late" in l), None)
    # Quantiles as the TaskManagers' Prometheus endpoints serve them now (the REST API caches
    # metrics for 10 s), the worst subtask's.
    processing = {q: max(v, default=float("nan"))
                  for q, v in prometheus_quantiles(job, "audioflow_resultLatencyMs").items()}
    cluster.cancel(job)
    if started is None:
        sys.exit("publish --real-time said nothing about its start:\n" + err)
    # The first third of the run is left out: the job's classes are still being compiled.
    visible = [arrivals[name] - (started + end) for name, end in end_ms.items()
               if name in arrivals and end > max(end_ms.values()) / 3]
    return {"sources": sources, "recordings": len(files), "results": len(arrivals), "late_ms": late,
            "processing": processing,
            "visibility": {"p50": percentile(visible, 0.5), "p99": percentile(visible, 0.99),
                           "max": max(visible) if visible else float("nan")},
            "checkpoint_s": checkpoint_s}


def scale_run(cluster, tmp, corpus, files, audio_s, open_recordings, timeout_s, round_no=0):
    """The same recordings published with `open_recordings` of them open at once (`publish
    --sources`), twice (once per size: later rounds read the same topic), then analysed by a fresh
    job at parallelism 2 from the beginning: its steady cost in the second pass (the first is
    mostly the new job's JIT) and its largest checkpoint."""
    topic = f"bench.scale.{open_recordings}"
    if round_no == 0:
        for prefix in ("pass0-", "pass1-"):
            cli("publish", "--bootstrap-servers", cluster.bootstrap, "--topic", topic, "--chunk-ms", 1000,
                "--sources", open_recordings, "--id-prefix", prefix, corpus,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    files, audio_s = 2 * files, 2 * audio_s
    name = f"scale-{open_recordings}" + (f"-r{round_no}" if round_no else "")
    job = cluster.submit(name, 2, topic)
    processed = ProcessedAudio(job, cluster.pids)
    checkpoints = []

    def on_result(_):
        pass

    follow_results(cluster.bootstrap, f"bench.results.{name}", files, timeout_s, on_result)
    processed.stop()
    history = rest_get(cluster.rest, f"/jobs/{job}/checkpoints").get("history", [])
    checkpoints = [c for c in history if c.get("status") == "COMPLETED"]
    cluster.cancel(job)
    largest = max(checkpoints, key=lambda c: c.get("checkpointed_size", c.get("state_size", 0)), default=None)
    return {"open": open_recordings, "round": round_no,
            "window": processed.steady(audio_s, start=0.55, end=0.9),
            "checkpoints": len(checkpoints),
            "checkpoint_bytes": largest.get("checkpointed_size", largest.get("state_size")) if largest else None,
            "checkpoint_ms": max((c.get("end_to_end_duration", 0) for c in checkpoints), default=None)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hours", type=float, default=2.0,
                    help="audio for the throughput runs; under 1 h the warm reference (a difference "
                         "of two analyze runs) is mostly noise")
    ap.add_argument("--passes", type=int, default=5,
                    help="times the corpus is published and read: a job's first 40 s go largely "
                         "to the JIT compiler (each job's classes are new); the steady window runs "
                         "from the second pass, 40 s into the job at the earliest, into the last")
    ap.add_argument("--no-cluster", action="store_true",
                    help="skip everything on deploy/local (job-jar runs, latency, scale)")
    ap.add_argument("--live-s", type=int, default=180,
                    help="length of the latency run in real time; 0 skips it")
    ap.add_argument("--scale", default="100,1000,10000",
                    help="numbers of recordings open at once for the scale runs; empty skips them")
    ap.add_argument("--scale-recordings", type=int, default=10000,
                    help="recordings of 5 s each in every scale run")
    ap.add_argument("--taskmanager-memory", default="2048m",
                    help="each deploy/local TaskManager's process size (state is on the heap)")
    ap.add_argument("--scale-rounds", type=int, default=2,
                    help="times each scale run is made, in ABBA order (100, 10000, 10000, 100, ...): "
                         "this machine's speed drifts by tens of percent within minutes")
    ap.add_argument("--flink-conf", action="append", default=[], metavar="KEY=VALUE",
                    help="a Flink option for deploy/local (its `up -D`), repeatable")
    ap.add_argument("--against", type=Path, metavar="JOB_JAR",
                    help="compare this build's job jar with another (e.g. one built from an earlier "
                         "commit) on one deploy/local cluster at parallelism 2, in ABBA order "
                         "(--rounds times), over the same topic; nothing else is run")
    ap.add_argument("--rounds", type=int, default=2, help="ABBA rounds of --against")
    ap.add_argument("--timeout-s", type=int, default=1800)
    args = ap.parse_args()
    if args.against and not args.against.is_file():
        sys.exit(f"--against {args.against}: no such jar (build one with `mvn -q package -DskipTests` "
                 "in a worktree of the commit to compare)")
    ensure_tools()
    runs, latency, scale = {}, None, []
    with tempfile.TemporaryDirectory(prefix="bench-stream-") as tmp_name:
        tmp = Path(tmp_name)
        corpus = tmp / "corpus"
        recordings, audio_s = make_corpus(corpus, args.hours)
        print(f"corpus: {recordings} recordings, {audio_s / 3600:.2f} h", file=sys.stderr)
        cluster = Cluster(tmp, memory=args.taskmanager_memory, flink_conf=args.flink_conf)
        bootstrap, broker = cluster.bootstrap, cluster.broker
        try:
            # Under an id prefix per pass: the first passes warm the job (a fresh job's classes
            # are compiled by the JIT again), the steady window lies in the last.
            passes = max(2, args.passes)
            for i in range(passes):
                cli("publish", "--bootstrap-servers", bootstrap, "--topic", "bench.chunks", "--chunk-ms",
                    1000, "--id-prefix", f"pass{i}-", corpus, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            pass_audio_s = audio_s
            recordings, audio_s = passes * recordings, passes * audio_s
            if args.against:
                compared = compare_jars(cluster, args.against, args.rounds, recordings, audio_s, passes,
                                        args.timeout_s)
                report_comparison(compared, args.against, audio_s, passes)
                return

            # The later passes under other names (analyze refuses two inputs with one recording id).
            copies = []
            for i in range(1, passes):
                copies.append(tmp / f"corpus-pass{i}")
                copies[-1].mkdir()
                for f in corpus.iterdir():
                    os.link(f, copies[-1] / (f"pass{i}-" + f.name))
            pipeline = ROOT / "config/pipeline.yaml"
            # The DSP alone, warm: what the passes after the first add to `analyze`'s CPU (its JIT,
            # GC and every thread counted, as the streaming runs' steady windows count them). This
            # machine's speed drifts within minutes and a difference of two runs carries the noise
            # of both: three pairs, before, amid and after the streaming runs, and their medians.
            one, all_passes, walls = [], [], []

            def reference():
                one.append(cli_cpu("analyze", "--pipeline", pipeline, corpus))
                started = time.monotonic()
                all_passes.append(cli_cpu("analyze", "--pipeline", pipeline, corpus, *copies))
                walls.append(time.monotonic() - started)

            reference()

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

                return name, start, stop, lambda p: [p.pid], None

            def cluster_run(parallelism):
                name = f"cluster-p{parallelism}"
                return (name, lambda: cluster.submit(name, parallelism, "bench.chunks"), cluster.cancel,
                        lambda job: cluster.flink_pids,
                        lambda job, pids: ProcessedAudio(job, cluster.pids))

            plan = [local_run("hashmap"), local_run("rocksdb")]
            if not args.no_cluster:
                plan += [cluster_run(1), cluster_run(2)]
            for name, start, stop, pids, sampler in plan:
                if name == plan[-1][0]:
                    reference()
                print(f"running {name}…", file=sys.stderr)
                runs[name] = streaming_run(name, start, stop, pids, broker, bootstrap, recordings,
                                           args.timeout_s, sampler)
                if runs[name]["processed"]:
                    runs[name]["window"] = steady_window(runs[name]["processed"], audio_s, passes)
            reference()
            runs = {"DSP only: analyze": {"job": statistics.median(all_passes), "broker": 0.0,
                                          "wall": statistics.median(walls)}, **runs}
            warm_cpu = (statistics.median(all_passes) - statistics.median(one)) / (passes - 1)
            warm_each = [pass_audio_s * (passes - 1) / (a - o) for o, a in zip(one, all_passes)]

            peak = runs.get("cluster-p2", {}).get("window")
            if peak and args.live_s > 0 and peak["audio"] / peak["wall"] < 20:
                print("latency run skipped: a peak of %.0f audio-s per s is too low to measure"
                      % (peak["audio"] / peak["wall"]), file=sys.stderr)
            elif peak and args.live_s > 0:
                rate = peak["audio"] / peak["wall"]
                sources = int(rate / 2)
                print(f"latency run: {sources} live sources (half of {rate:.0f} audio-s per s)…", file=sys.stderr)
                latency = latency_run(cluster, tmp, sources, args.live_s, 1000, 10)
                latency["peak"] = rate
                # And at a trickle, where no buffer ever fills: what a lone source waits.
                print("latency run: 4 live sources…", file=sys.stderr)
                latency["low"] = latency_run(cluster, tmp, 4, 0, 1000, 10, count=40, name="trickle")
            sizes = [int(x) for x in args.scale.split(",") if x.strip()] if not args.no_cluster else []
            if sizes:
                scale_corpus = tmp / "scale"
                files, scale_audio = make_corpus(scale_corpus, 0, lengths=[5], stereo_too=False,
                                                 count=args.scale_recordings)
                for round_no in range(max(1, args.scale_rounds)):
                    for size in sizes if round_no % 2 == 0 else reversed(sizes):
                        print(f"scale run: {size} recordings open at once…", file=sys.stderr)
                        scale.append(scale_run(cluster, tmp, scale_corpus, files, scale_audio, size,
                                               args.timeout_s, round_no))
        finally:
            cluster.down()

    print(f"deploy/local: two TaskManagers of {args.taskmanager_memory} with two slots each")
    if args.hours < 1:
        print("warning: under 1 h of audio, the warm DSP reference and the steady windows are mostly noise")
    report(runs, audio_s, recordings, pass_audio_s / warm_cpu, warm_each, latency, scale)


# A fresh job's first 40 s go largely to the JIT (its classes come with their own class loader):
# the compilers took 20-27 % of the TaskManager's CPU in the first 25 s, 3-6 % after 40 s.
JIT_S = 40


def steady_window(processed, audio_s, passes):
    """From a tenth into the second pass, and no earlier than JIT_S into the job, to four fifths
    into the last pass (before the last recordings drain)."""
    return processed.steady(audio_s, start=1.1 / passes, end=(passes - 0.2) / passes, after_s=JIT_S)


def compare_jars(cluster, other, rounds, recordings, audio_s, passes, timeout_s):
    """This build's job jar (A) against `other` (B) on one cluster, at parallelism 2, in the order
    A B B A per round: a drift of the machine's speed that is linear over a round cancels out of
    each round's ratio. Each job reads the whole topic; steady_window says which part counts."""
    runs = []
    for round_no in range(rounds):
        for label in ("A", "B", "B", "A"):
            name = f"compare-{round_no}-{len(runs)}-{label}"
            jar = JOB if label == "A" else other
            print(f"running {name} ({jar.name})…", file=sys.stderr)
            result = streaming_run(name, lambda: cluster.submit(name, 2, "bench.chunks", jar=jar),
                                   cluster.cancel, lambda job: cluster.flink_pids, cluster.broker,
                                   cluster.bootstrap, recordings, timeout_s,
                                   lambda job, pids: ProcessedAudio(job, cluster.pids))
            result["window"] = steady_window(result["processed"], audio_s, passes)
            runs.append({"round": round_no, "label": label, **result})
    return runs


def report_comparison(runs, other, audio_s, passes):
    print(f"A = {JOB.relative_to(ROOT)} (this build), B = {other}; deploy/local parallelism 2,"
          f" exactly-once, {audio_s / 3600:.2f} h of audio in {passes} passes per run")
    print("%-6s %-3s %18s %18s %18s" % ("round", "jar", "whole: audio-s/CPU-s", "steady: audio-s/CPU-s",
                                          "steady: audio-s/s"))
    for r in runs:
        w = r["window"]
        print("%-6d %-3s %18.0f %18s %18s" % (
            r["round"], r["label"], audio_s / (r["job"] + r["broker"]),
            "%.0f" % (w["audio"] / w["cpu"]) if w else "-", "%.0f" % (w["audio"] / w["wall"]) if w else "-"))
    for figure, rate in (("whole run", lambda r: audio_s / (r["job"] + r["broker"])),
                         ("steady", lambda r: r["window"]["audio"] / r["window"]["cpu"] if r["window"] else None),
                         ("steady audio-s per s", lambda r: r["window"]["audio"] / r["window"]["wall"]
                          if r["window"] else None)):
        ratios = []
        for round_no in sorted({r["round"] for r in runs}):
            rates = {label: [rate(r) for r in runs if r["round"] == round_no and r["label"] == label]
                     for label in "AB"}
            if all(x is not None for x in rates["A"] + rates["B"]):
                ratios.append(sum(rates["B"]) / sum(rates["A"]))
        if ratios:
            print("B / A, %s: %s (each round); mean %.3f" % (figure, ", ".join("%.3f" % x for x in ratios),
                                                            statistics.mean(ratios)))
    for r in runs:
        if r["window"]:
            print(f"  round {r['round']} {r['label']}:")
            print_breakdown(r["window"])


def print_breakdown(w):
    """Where a window's CPU went: each process; the TaskManagers' threads by kind; and how the
    task threads' time divides among the stages (each stage's busy time, its steps with session
    restore and write, is wall time: it is shown as shares of the stages' sum, not of CPU)."""
    cpu = w["cpu"]
    by = ", ".join("%s %.0f%%" % (p, 100 * c / cpu) for p, c in sorted(w["by_process"].items()))
    print("      CPU by process: " + by)
    threads = ", ".join("%s %.0f%%" % (k, 100 * c / cpu) for k, c in
                        sorted(w["threads"].items(), key=lambda kv: -kv[1]))
    print("      TaskManagers' threads: " + threads)
    stages = sum(w["stages"].values())
    if stages > 0:
        detail = ", ".join("%s %.0f%%" % (st, 100 * b / stages) for st, b in
                           sorted(w["stages"].items(), key=lambda kv: -kv[1]))
        task = w["threads"].get("task threads", 0.0)
        print("      stages' busy time %.1f s against the task threads' %.1f CPU-s; by stage: %s"
              % (stages, task, detail))


def report(runs, audio_s, recordings, warm_rate, warm_each, latency, scale):
    dsp = runs["DSP only: analyze"]
    dsp_rate = audio_s / dsp["job"]
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
    print("\nsteady, from the job's own audioSecondsProcessed (decode stage, all subtasks) from a tenth into"
          " the corpus's second pass (and %d s into the job at the earliest) to four fifths into the last,"
          " every process's CPU in that window; warm DSP only = what"
          " analyze's later passes over the corpus add to its first"
          " (%.0f audio-s per CPU-s; before, amid and after the streaming runs: %s):"
          % (JIT_S, warm_rate, " / ".join("%.0f" % r for r in warm_each)))
    for name, r in runs.items():
        w = r.get("window")
        if r.get("processed") and not w:
            print("  %-22s no steady window: %d samples in all, too short a run" % (name, len(r["processed"].samples)))
        if w:
            rate = w["audio"] / w["cpu"]
            print("  %-22s %8.0f s of audio, %6.1f CPU-s, %5.1f s (%d samples): %6.0f audio-s per CPU-s,"
                  " %4.0f%% of DSP only; %5.0f audio-s per s"
                  % (name, w["audio"], w["cpu"], w["wall"], w["samples"], rate, 100 * rate / warm_rate,
                     w["audio"] / w["wall"]))
            print_breakdown(w)
    if latency:
        p, v = latency["processing"], latency["visibility"]
        print(f"\nlatency at half of the peak ({latency['peak']:.0f} audio-s per s): {latency['sources']} live "
              f"sources, {latency['recordings']} recordings of 3-11 s, {latency['results']} results; the "
              f"publisher's latest message was {latency['late_ms']} ms late")
        print("  processing (last chunk's Kafka timestamp -> result emitted, resultLatencyMs, last 1 000): "
              "p50 %.0f ms, p99 %.0f ms, p99.9 %.0f ms" % (p["p50"], p["p99"], p["p99.9"]))
        print("  visibility (last chunk due -> readable with read_committed, after the first third): "
              "p50 %.0f ms, p99 %.0f ms, max %.0f ms" % (v["p50"], v["p99"], v["max"]))
        low = latency["low"]["processing"]
        print("  processing with 4 live sources (40 recordings): p50 %.0f ms, p99 %.0f ms"
              % (low["p50"], low["p99"]))
    if scale:
        print("\nscale: the same 5 s recordings with N open at once, published twice, deploy/local parallelism 2,"
              " steady window in the second pass:")
        for r in scale:
            w = r["window"]
            rate = w["audio"] / w["cpu"] if w else float("nan")
            print("  %6d open (round %d): %6.0f audio-s per CPU-s; %d checkpoints, largest %s bytes, longest %s ms"
                  % (r["open"], r["round"], rate, r["checkpoints"], r["checkpoint_bytes"], r["checkpoint_ms"]))
            if w:
                print_breakdown(w)
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
    if latency:
        p99 = latency["processing"]["p99"]
        print("  %-4s processing latency p99 at half of peak: %.0f ms (<= 100 ms)" % ("pass" if p99 <= 100 else "FAIL", p99))
        vmax = latency["visibility"]["max"]
        limit = latency["checkpoint_s"] * 1000 + 1000
        print("  %-4s visibility latency max: %.0f ms (<= checkpoint interval + 1 s = %d ms)"
              % ("pass" if vmax <= limit else "FAIL", vmax, limit))
    by_open = {}
    for r in scale:
        if r["window"]:
            by_open.setdefault(r["open"], []).append(r["window"]["audio"] / r["window"]["cpu"])
    rates = {n: statistics.median(each) for n, each in by_open.items()}
    if len({len(each) for each in by_open.values()}) == 1 and len(next(iter(by_open.values()), [])) > 1:
        low, high = min(rates), max(rates)
        print("       (cost per audio-second with %d open against %d open, each round: %s; the target"
              " compares the medians)"
              % (high, low, ", ".join("%.0f%%" % (100 * l / h) for l, h in zip(by_open[low], by_open[high]))))
    if min(rates, default=None) is not None and len(rates) > 1:
        low, high = min(rates), max(rates)
        # cost per audio-second with the most open over the cost with the fewest
        ratio = rates[low] / rates[high]
        print("  %-4s cost per audio-second with %d open within 10%% of %d open: %.0f%%"
              % ("pass" if 1 / 1.1 <= ratio <= 1.1 else "FAIL", high, low, 100 * ratio))


if __name__ == "__main__":
    main()
