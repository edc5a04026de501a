#!/usr/bin/env python3
"""A real Kafka broker and Flink standalone cluster on 127.0.0.1, each its own JVM, without Docker.

    deploy/local/cluster.py up [--taskmanagers 2] [--secure] [--ha] [-D KEY=VALUE ...]
                                                     start Kafka (KRaft) + JobManager + TaskManagers;
                                                     -D sets a Flink option in their config.yaml
                                                     (env.java.opts.* reach the JVMs' command lines);
                                                     --secure adds a SASL_SSL listener (SCRAM, ACLs);
                                                     --ha: ZooKeeper and two JobManagers (leader, standby)
    deploy/local/cluster.py status                   what runs, where
    deploy/local/cluster.py submit [--resume|-s SP] JAR [ARGS...]
                                                     upload and run a job jar (REST); prints the job id
    deploy/local/cluster.py stop JOB [--savepoint-dir DIR]   stop with a savepoint; prints its path
    deploy/local/cluster.py cancel JOB
    deploy/local/cluster.py down                     stop every process, remove temporary files
    deploy/local/cluster.py tm kill N | tm start N | tm add     lose or (re)start a TaskManager
    deploy/local/cluster.py broker kill | broker start          lose or restart the broker
    deploy/local/cluster.py jm kill N|leader | jm start N        lose or (re)start a JobManager (--ha)

Jars come from Maven Central through deploy/local/pom.xml. Everything a run writes (config, logs,
data, checkpoints, temporary files) stays under the run folder ($AUDIOFLOW_RUN_DIR, default
deploy/local/run); `down` keeps logs, checkpoints and savepoints there and removes the rest.
Ports are free ones chosen at start and written to <run>/cluster.json.
"""
import argparse
import hashlib
import base64
import json
import os
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
LIBS = HERE / "target"

# What Flink's own config.yaml passes to every JVM (env.java.opts.all) on Java 17.
JAVA_OPENS = (
    "--add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED "
    "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED "
    "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED "
    "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED "
    "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED "
    "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED "
    "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED "
    "--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED "
    "--add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED "
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED "
    "--add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED "
    "--add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED "
    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED "
    "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED"
).split()

LOG4J = """rootLogger.level = INFO
rootLogger.appenderRef.file.ref = file
appender.file.name = file
appender.file.type = File
appender.file.fileName = ${sys:log.file}
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-60c %x - %m%n
logger.kafka.name = org.apache.kafka
logger.kafka.level = WARN
"""

# `up --json-logs`: the Flink processes write ECS JSON lines, as config/log4j2-json.properties
# does on a console; audioflow's MDC fields (audioflow.stage, audioflow.recording_id, ...) become
# top-level keys.
LOG4J_JSON = LOG4J.replace(
    "appender.file.layout.type = PatternLayout\n"
    "appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-60c %x - %m%n\n",
    "appender.file.layout.type = JsonTemplateLayout\n"
    "appender.file.layout.eventTemplateUri = classpath:EcsLayout.json\n")


# ZooKeeper logs through logback: INFO to its log file, as the other processes log.
ZOOKEEPER_LOGBACK = """<configuration>
  <appender name="file" class="ch.qos.logback.core.FileAppender">
    <file>${log.file}</file>
    <encoder><pattern>%d{HH:mm:ss,SSS} %-5p %-60c - %m%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="file"/></root>
</configuration>
"""


def run_dir():
    return Path(os.environ.get("AUDIOFLOW_RUN_DIR", HERE / "run")).resolve()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fail(message):
    print(f"cluster: {message}", file=sys.stderr)
    sys.exit(1)


def fetch_libs():
    # Fetched again when deploy/local/pom.xml changes, so a new dependency reaches old checkouts.
    pom_hash = hashlib.sha256((HERE / "pom.xml").read_bytes()).hexdigest()
    for profile in ("flink", "kafka", "zookeeper"):
        target = LIBS / f"{profile}-lib"
        stamp = target / ".pom-sha256"
        if stamp.is_file() and stamp.read_text() == pom_hash and any(target.glob("*.jar")):
            continue
        shutil.rmtree(target, ignore_errors=True)
        print(f"fetching the {profile} jars from Maven Central ...", file=sys.stderr)
        subprocess.run(
            ["mvn", "-B", "-q", "-Dstyle.color=never", "-f", str(HERE / "pom.xml"), "-P", profile,
             "dependency:copy-dependencies", "-DincludeScope=runtime",
             f"-DoutputDirectory={target}"],
            check=True, stdout=sys.stderr)  # stdout carries only the result, for scripts
        stamp.write_text(pom_hash)


def classpath(profile):
    return os.pathsep.join(str(p) for p in sorted((LIBS / f"{profile}-lib").glob("*.jar")))


def spawn(name, command, run, state=None):
    """Starts one process of the stack in its own process group; with `state`, records its
    command line so that `tm start` and `broker start` can start it again the same way."""
    log = run / "logs" / f"{name}.out"
    with open(log, "ab") as out:
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            cwd=run, start_new_session=True)
    if state is not None:
        state.setdefault("commands", {})[name] = command
    return process.pid


def wait_for(what, check, timeout_s, pids=()):
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        for pid in pids:
            if not alive(pid):
                fail(f"{what}: process {pid} exited; see its log under {run_dir() / 'logs'}")
        try:
            if check():
                return
        except (OSError, urllib.error.URLError, ValueError):
            pass
        time.sleep(0.5)
    fail(f"{what}: not ready after {timeout_s} s; see the logs under {run_dir() / 'logs'}")


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (exited, not yet reaped) is not alive
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"
    except OSError:
        return True


def port_open(port):
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def make_tls(run, password):
    """A self-signed certificate for 127.0.0.1 (broker keystore) and a truststore with it."""
    tls = run / "conf" / "tls"
    shutil.rmtree(tls, ignore_errors=True)
    tls.mkdir(parents=True)
    keytool = str(Path(os.environ.get("JAVA_HOME", "")) / "bin" / "keytool") \
        if os.environ.get("JAVA_HOME") else "keytool"
    for args in (
            ["-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048",
             "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "30",
             "-storetype", "PKCS12", "-keystore", str(tls / "broker.p12"),
             "-storepass", password, "-keypass", password],
            ["-exportcert", "-alias", "broker", "-keystore", str(tls / "broker.p12"),
             "-storepass", password, "-file", str(tls / "broker.cer")],
            ["-importcert", "-noprompt", "-alias", "broker", "-file", str(tls / "broker.cer"),
             "-storetype", "PKCS12", "-keystore", str(tls / "truststore.p12"),
             "-storepass", password]):
        subprocess.run([keytool] + args, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    return tls


def secure_listener(run, port, user, password, store_password):
    """Broker settings for SASL_SSL (SCRAM-SHA-512) with ACLs, and the client config for `user`."""
    tls = make_tls(run, store_password)
    client = run / "conf" / "client.properties"
    client.write_text("\n".join([
        "security.protocol=SASL_SSL", "sasl.mechanism=SCRAM-SHA-512",
        "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required "
        f'username="{user}" password="{password}";',
        "ssl.truststore.type=PKCS12", f"ssl.truststore.location={tls / 'truststore.p12'}",
        f"ssl.truststore.password={store_password}",
    ]) + "\n")
    client.chmod(0o600)
    return client, [
        f"listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config="
        "org.apache.kafka.common.security.scram.ScramLoginModule required;",
        "sasl.enabled.mechanisms=SCRAM-SHA-512",
        "ssl.keystore.type=PKCS12", f"ssl.keystore.location={tls / 'broker.p12'}",
        f"ssl.keystore.password={store_password}", f"ssl.key.password={store_password}",
        "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
        "allow.everyone.if.no.acl.found=false",
        # The PLAINTEXT listeners (127.0.0.1 only: administration, the controller) stay open
        # and their anonymous principal is the super user that grants the ACLs.
        "super.users=User:ANONYMOUS",
    ]


def create_topics(java, bootstrap):
    """The default topics, made before the job starts: on a secured cluster the job's principal
    does not create topics (nor may it ask the broker whether it would)."""
    for topic, partitions in (("audio.chunks", 2), ("audio.results", 1), ("audio.dlq", 1),
                              ("audio.control", 1), ("audio.control.results", 1)):
        subprocess.run(java + ["org.apache.kafka.tools.TopicCommand", "--bootstrap-server",
                               bootstrap, "--create", "--if-not-exists", "--topic", topic,
                               "--partitions", str(partitions)],
                       check=True, stdout=subprocess.DEVNULL)


def grant(java, bootstrap, user):
    """What audioflow's user may do on the local stack: the audio.* topics, its groups and
    transactional ids (the job, publish, tail, report and control all run as it)."""
    acl = java + ["org.apache.kafka.tools.AclCommand", "--bootstrap-server", bootstrap, "--add",
                  "--allow-principal", f"User:{user}"]
    for extra in (
            ["--operation", "All", "--topic", "audio.", "--resource-pattern-type", "prefixed"],
            ["--operation", "Read", "--group", "audioflow", "--resource-pattern-type", "prefixed"],
            ["--operation", "Write", "--operation", "Describe", "--transactional-id", "audioflow",
             "--resource-pattern-type", "prefixed"]):
        subprocess.run(acl + extra, check=True, stdout=subprocess.DEVNULL)


def start_kafka(run, state, secure=False):
    broker, controller = free_port(), free_port()
    data = run / "kafka-data"
    props = run / "conf" / "kafka.properties"
    listeners = f"PLAINTEXT://127.0.0.1:{broker},CONTROLLER://127.0.0.1:{controller}"
    advertised = f"PLAINTEXT://127.0.0.1:{broker}"
    protocols = "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
    extra, scram = [], []
    if secure:
        sasl_port = free_port()
        user, password = "audioflow", secrets.token_urlsafe(18)
        client, extra = secure_listener(run, sasl_port, user, password, secrets.token_urlsafe(18))
        listeners += f",SASL_SSL://127.0.0.1:{sasl_port}"
        advertised += f",SASL_SSL://127.0.0.1:{sasl_port}"
        protocols += ",SASL_SSL:SASL_SSL"
        scram = ["--add-scram", f"SCRAM-SHA-512=[name={user},password={password}]"]
    props.write_text("\n".join(extra + [
        "process.roles=broker,controller", "node.id=1",
        f"controller.quorum.voters=1@127.0.0.1:{controller}",
        f"listeners={listeners}", f"advertised.listeners={advertised}",
        "controller.listener.names=CONTROLLER", "inter.broker.listener.name=PLAINTEXT",
        f"listener.security.protocol.map={protocols}",
        f"log.dirs={data}", "num.partitions=2", "auto.create.topics.enable=true",
        "offsets.topic.replication.factor=1", "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1", "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1", "group.initial.rebalance.delay.ms=0",
        # Flink's KafkaSink transactions must fit under this (the job sets 10 min)
        "transaction.max.timeout.ms=900000",
    ]) + "\n")
    # As Kafka's own Uuid.randomUuid(): an id starting with "-" would read as an option to
    # kafka-storage (one start in 64 failed with "argument --cluster-id: expected one argument").
    cluster_id = "-"
    while cluster_id.startswith("-"):
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode()
    java = ["java", "-Xmx384m", "-Xms384m", f"-Djava.io.tmpdir={run / 'tmp'}",
            f"-Dlog4j2.configurationFile={run / 'conf' / 'log4j.properties'}",
            f"-Dlog.file={run / 'logs' / 'kafka.log'}", "-cp", classpath("kafka")]
    subprocess.run(java + ["kafka.tools.StorageTool", "format", "-t", cluster_id, "-c", str(props)]
                   + scram, check=True, stdout=subprocess.DEVNULL)
    pid = spawn("kafka", java + ["kafka.Kafka", str(props)], run, state)
    state["pids"]["kafka"] = pid
    state["bootstrap_servers"] = f"127.0.0.1:{broker}"
    if secure:
        state["secure_bootstrap_servers"] = f"127.0.0.1:{sasl_port}"
        state["client_config"] = str(client)
    save(run, state)
    wait_for("Kafka broker", lambda: port_open(broker), 60, [pid])
    if secure:
        wait_for("Kafka SASL_SSL listener", lambda: port_open(sasl_port), 60, [pid])
        create_topics(java, state["bootstrap_servers"])
        grant(java, state["bootstrap_servers"], "audioflow")


def flink_conf(run, taskmanagers, zookeeper=None, taskmanager_memory="1024m", options=None):
    rpc, rest, blob = free_port(), free_port(), free_port()
    conf = {
        "jobmanager.rpc.address": "127.0.0.1", "jobmanager.rpc.port": rpc,
        "jobmanager.bind-host": "127.0.0.1", "rest.address": "127.0.0.1",
        "rest.bind-address": "127.0.0.1", "rest.port": rest, "blob.server.port": blob,
        "taskmanager.host": "127.0.0.1", "taskmanager.bind-host": "127.0.0.1",
        "jobmanager.memory.process.size": "640m", "taskmanager.memory.process.size": taskmanager_memory,
        # little managed memory: the job keeps its state on the heap (hashmap backend)
        "taskmanager.memory.managed.fraction": 0.1,
        "taskmanager.numberOfTaskSlots": 2, "parallelism.default": 2,
        "io.tmp.dirs": str(run / "tmp"), "web.tmpdir": str(run / "tmp" / "web"),
        "web.upload.dir": str(run / "tmp" / "upload"),
        "execution.checkpointing.dir": (run / "checkpoints").as_uri(),
        "execution.checkpointing.savepoint-dir": (run / "savepoints").as_uri(),
        "metrics.reporter.prom.factory.class":
            "org.apache.flink.metrics.prometheus.PrometheusReporterFactory",
        "metrics.reporter.prom.port": "9250-9270",
    }
    if zookeeper:
        # Flink's ZooKeeper HA services: leader election and retrieval for the JobManagers,
        # job graphs and checkpoint pointers in ZooKeeper, their data under storageDir.
        conf.update({
            "high-availability.type": "zookeeper",
            "high-availability.zookeeper.quorum": zookeeper,
            "high-availability.storageDir": (run / "ha").as_uri(),
            "high-availability.cluster-id": "/audioflow-local",
            # A killed leader's ZooKeeper session (and so its leadership) ends only when the
            # session times out: Flink's default of 60 s is a minute without a JobManager.
            "high-availability.zookeeper.client.session-timeout": 10000,
            # The local ZooKeeper has no SASL: without this Curator looks for a JAAS section
            # and logs an authentication error at every connection.
            "zookeeper.sasl.disable": "true",
        })
    conf.update(options or {})
    (run / "conf" / "config.yaml").write_text(
        "".join(f"{k}: {json.dumps(v) if isinstance(v, str) else v}\n" for k, v in conf.items()))
    return rpc, rest


def options_of(extra):
    """`up -D KEY=VALUE` options as a dict."""
    options = {}
    for option in extra:
        key, sep, value = option.partition("=")
        if not sep or not key.strip():
            fail(f"-D {option}: expected KEY=VALUE, e.g. -D cluster.evenly-spread-out-slots=true")
        options[key.strip()] = value.strip()
    return options


def java_opts(options, role):
    """The JVM options Flink's own scripts add to a process: env.java.opts.all, then the role's
    (env.java.opts.jobmanager or env.java.opts.taskmanager). BashJavaUtils leaves them out."""
    return shlex.split(options.get("env.java.opts.all", "")) + shlex.split(
        options.get(f"env.java.opts.{role}", ""))


def resource_params(command, run):
    """JVM flags and dynamic options as Flink's scripts compute them (BashJavaUtils)."""
    out = subprocess.run(
        ["java", "-cp", classpath("flink"), "org.apache.flink.runtime.util.bash.BashJavaUtils",
         command, "--configDir", str(run / "conf")],
        check=True, capture_output=True, text=True).stdout
    lines = [l.split("BASH_JAVA_UTILS_EXEC_RESULT:", 1)[1].strip()
             for l in out.splitlines() if "BASH_JAVA_UTILS_EXEC_RESULT:" in l]
    if len(lines) < 2:
        fail(f"BashJavaUtils {command} printed no result:\n{out}")
    return lines[-2].split(), lines[-1].split()


def start_zookeeper(run, state):
    """A one-node ZooKeeper server for the JobManagers' HA services, from ZooKeeper's own jars
    (deploy/local/pom.xml, profile zookeeper), in its own JVM like the broker."""
    port = free_port()
    (run / "zookeeper").mkdir(exist_ok=True)
    cfg = run / "conf" / "zoo.cfg"
    cfg.write_text(f"tickTime=2000\ndataDir={run / 'zookeeper'}\nclientPort={port}\n"
                   "clientPortAddress=127.0.0.1\n"
                   # no AdminServer: its Jetty would take port 8080
                   "admin.enableServer=false\n")
    (run / "conf" / "zookeeper-logback.xml").write_text(ZOOKEEPER_LOGBACK)
    pid = spawn("zookeeper", ["java", "-Xmx128m", f"-Djava.io.tmpdir={run / 'tmp'}",
                              f"-Dlogback.configurationFile={run / 'conf' / 'zookeeper-logback.xml'}",
                              f"-Dlog.file={run / 'logs' / 'zookeeper.log'}", "-cp", classpath("zookeeper"),
                              "org.apache.zookeeper.server.ZooKeeperServerMain", str(cfg)], run, state)
    state["pids"]["zookeeper"] = pid
    state["zookeeper"] = f"127.0.0.1:{port}"
    save(run, state)
    wait_for("ZooKeeper", lambda: port_open(port), 60, [pid])
    return state["zookeeper"]


def start_flink(run, state, taskmanagers, ha=False, taskmanager_memory="1024m", options=None):
    options = options or {}
    zookeeper = start_zookeeper(run, state) if ha else None
    rpc, rest = flink_conf(run, taskmanagers, zookeeper, taskmanager_memory, options)
    common = JAVA_OPENS + [f"-Djava.io.tmpdir={run / 'tmp'}",
                           f"-Dlog4j.configurationFile={run / 'conf' / 'flink-log4j.properties'}"]
    jvm, dynamic = resource_params("GET_JM_RESOURCE_PARAMS", run)
    # With HA, a standby JobManager beside the leader: each its own ports, the same HA services.
    names = ["jobmanager-0", "jobmanager-1"] if ha else ["jobmanager"]
    state["rests"] = []
    for i, name in enumerate(names):
        ports = [] if i == 0 else ["-D", f"jobmanager.rpc.port={free_port()}",
                                   "-D", f"rest.port={free_port()}", "-D", f"blob.server.port={free_port()}"]
        jm = spawn(name, ["java"] + jvm + common + java_opts(options, "jobmanager") + [
            f"-Dlog.file={run / 'logs' / f'{name}.log'}", "-cp", classpath("flink"),
            "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
            "--configDir", str(run / "conf")] + dynamic + ports, run, state)
        state["pids"][name] = jm
        state["rests"].append(f"http://127.0.0.1:{rest}" if i == 0 else
                              f"http://127.0.0.1:{ports[3].split('=')[1]}")
    state["rest"] = state["rests"][0]
    save(run, state)
    wait_for("JobManager", lambda: rest_get(state, "/overview") is not None, 90,
             [state["pids"][n] for n in names])
    jvm, dynamic = resource_params("GET_TM_RESOURCE_PARAMS", run)
    for i in range(taskmanagers):
        tm = spawn(f"taskmanager-{i}", ["java"] + jvm + common + java_opts(options, "taskmanager") + [
            f"-Dlog.file={run / 'logs' / f'taskmanager-{i}.log'}", "-cp", classpath("flink"),
            "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
            "--configDir", str(run / "conf"),
            # its name in the REST API and logs: the same process name as here, across restarts
            "-D", f"taskmanager.resource-id=taskmanager-{i}"] + dynamic, run, state)
        state["pids"][f"taskmanager-{i}"] = tm
    save(run, state)
    wait_for(f"{taskmanagers} TaskManagers",
             lambda: rest_get(state, "/overview")["taskmanagers"] >= taskmanagers, 120,
             list(state["pids"].values()))


def save(run, state):
    (run / "cluster.json").write_text(json.dumps(state, indent=2) + "\n")


def load():
    f = run_dir() / "cluster.json"
    if not f.exists():
        fail(f"no cluster in {run_dir()}: start one with `deploy/local/up`")
    return json.loads(f.read_text())


def rest_urls(state):
    """Every JobManager's REST endpoint: with HA each serves the cluster (standbys ask the
    leader), so a request goes to the first that answers."""
    return state.get("rests") or [state["rest"]]


def rest_call(state, path, make_request, timeout):
    last = None
    for base in rest_urls(state):
        try:
            with urllib.request.urlopen(make_request(base + path), timeout=timeout) as r:
                return json.load(r)
        except urllib.error.HTTPError:
            raise
        except OSError as e:  # refused or timed out: that JobManager is down
            last = e
    raise last


def rest_get(state, path):
    return rest_call(state, path, lambda url: url, 10)


def rest_post(state, path, body, content_type="application/json"):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    try:
        return rest_call(state, path,
                         lambda url: urllib.request.Request(url, data=data, method="POST",
                                                            headers={"Content-Type": content_type}),
                         120)
    except urllib.error.HTTPError as e:
        fail(f"POST {path}: HTTP {e.code}: {e.read().decode(errors='replace')[:4000]}")


def cmd_up(args):
    options = options_of(args.flink_conf)  # a malformed -D fails before anything starts
    run = run_dir()
    if (run / "cluster.json").exists() and any(alive(p) for p in load()["pids"].values()):
        fail(f"a cluster already runs from {run}; `deploy/local/down` first")
    fetch_libs()
    for d in ("conf", "logs", "tmp", "checkpoints", "savepoints", "ha"):
        (run / d).mkdir(parents=True, exist_ok=True)
    # Each run starts its own logs; the last run's stay in logs/previous.
    previous = run / "logs" / "previous"
    shutil.rmtree(previous, ignore_errors=True)
    previous.mkdir()
    for f in list((run / "logs").glob("*.log")) + list((run / "logs").glob("*.out")):
        f.rename(previous / f.name)
    shutil.rmtree(run / "kafka-data", ignore_errors=True)
    (run / "conf" / "log4j.properties").write_text(LOG4J)
    (run / "conf" / "flink-log4j.properties").write_text(LOG4J_JSON if args.json_logs else LOG4J)
    state = {"run_dir": str(run), "pids": {}}
    started = time.time()
    try:
        if not args.no_kafka:
            start_kafka(run, state, secure=args.secure)
        start_flink(run, state, args.taskmanagers, ha=args.ha,
                    taskmanager_memory=args.taskmanager_memory, options=options)
    except SystemExit:
        stop_all(state)
        raise
    summary = {"bootstrap_servers": state.get("bootstrap_servers"), "rest": state["rest"],
               "rests": state["rests"], "run_dir": str(run),
               "seconds": round(time.time() - started, 1)}
    if args.ha:
        summary["zookeeper"] = state["zookeeper"]
    if args.secure:
        summary["secure_bootstrap_servers"] = state["secure_bootstrap_servers"]
        summary["client_config"] = state["client_config"]
        print(f"SASL_SSL (SCRAM-SHA-512) at {state['secure_bootstrap_servers']}; user `audioflow`,"
              f" client config: {state['client_config']} (pass it as --kafka-config)",
              file=sys.stderr)
    print(json.dumps(summary))


def cmd_status(args):
    state = load()
    for name, pid in state["pids"].items():
        print(f"{name:16} pid {pid:7} {'running' if alive(pid) else 'stopped'}")
    print(f"kafka            {state.get('bootstrap_servers')}")
    if state.get("secure_bootstrap_servers"):
        print(f"kafka SASL_SSL   {state['secure_bootstrap_servers']}"
              f" (--kafka-config {state['client_config']})")
    print(f"flink rest       {' '.join(rest_urls(state))}")
    if state.get("zookeeper"):
        print(f"zookeeper        {state['zookeeper']} (HA: {leader(state) or 'no leader'} leads)")
    try:
        print(f"jobs             {json.dumps(rest_get(state, '/jobs')['jobs'])}")
    except (OSError, urllib.error.URLError):
        print("jobs             (JobManager not answering)")


def cmd_submit(args):
    state = load()
    jar = Path(args.jar).resolve()
    if not jar.is_file():
        fail(f"no jar at {jar}: build it with `mvn -B -q package -DskipTests`")
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"jarfile\"; "
            f"filename=\"{jar.name}\"\r\nContent-Type: application/x-java-archive\r\n\r\n"
            ).encode() + jar.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    uploaded = rest_post(state, "/jars/upload", body, f"multipart/form-data; boundary={boundary}")
    jar_id = uploaded["filename"].split("/")[-1]
    run = {"programArgsList": args.args}
    if args.from_savepoint and args.resume:
        fail("give either -s SAVEPOINT or --resume")
    if args.from_savepoint:
        run["savepointPath"] = args.from_savepoint
    elif args.resume:
        latest = latest_checkpoint(Path(state["run_dir"]) / "checkpoints")
        if latest is None:
            print("no retained checkpoint: starting fresh", file=sys.stderr)
        else:
            print(f"resuming from {latest}", file=sys.stderr)
            run["savepointPath"] = latest.as_uri()
    print(rest_post(state, f"/jars/{jar_id}/run", run)["jobid"])


def latest_checkpoint(checkpoints):
    """The newest completed checkpoint, across job ids (each submission has a new one), as
    `run --resume` finds it: <dir>/<job id>/chk-<n>/_metadata."""
    done = [m.parent for m in checkpoints.glob("*/chk-*/_metadata") if m.is_file()]
    return max(done, key=lambda c: (c / "_metadata").stat().st_mtime, default=None)


def cmd_stop(args):
    state = load()
    target = args.savepoint_dir or (Path(state["run_dir"]) / "savepoints").as_uri()
    trigger = rest_post(state, f"/jobs/{args.job}/stop", {"targetDirectory": target, "drain": False})
    deadline = time.time() + args.timeout_s
    while time.time() < deadline:
        status = rest_get(state, f"/jobs/{args.job}/savepoints/{trigger['request-id']}")
        if status["status"]["id"] == "COMPLETED":
            operation = status["operation"]
            if "location" not in operation:
                fail(f"savepoint failed: {json.dumps(operation)[:4000]}")
            print(operation["location"])
            return
        time.sleep(0.5)
    fail(f"no savepoint after {args.timeout_s} s")


def cmd_cancel(args):
    state = load()
    rest_call(state, f"/jobs/{args.job}?mode=cancel",
              lambda url: urllib.request.Request(url, method="PATCH"), 30)


def stop_all(state):
    pids = list(state.get("pids", {}).items())
    # TaskManagers first, then the JobManager, then Kafka: the reverse of start
    for name, pid in reversed(pids):
        if alive(pid):
            os.killpg(pid, signal.SIGTERM)
    deadline = time.time() + 30
    for name, pid in reversed(pids):
        while alive(pid) and time.time() < deadline:
            time.sleep(0.2)
        if alive(pid):
            os.killpg(pid, signal.SIGKILL)


def kill(state, name):
    """SIGKILL to the process group of `name`, by the pid `up` recorded: what the kernel's OOM
    killer or a lost machine does, with no chance to clean up."""
    pid = state["pids"].get(name)
    if pid is None:
        fail(f"no process `{name}`; processes: {', '.join(state['pids'])}")
    if not alive(pid):
        fail(f"{name} (pid {pid}) is not running")
    os.killpg(pid, signal.SIGKILL)
    deadline = time.time() + 10
    while alive(pid) and time.time() < deadline:
        time.sleep(0.1)
    print(f"killed {name} (pid {pid})")


def start_again(state, name, command=None):
    run = Path(state["run_dir"])
    pid = state["pids"].get(name)
    if pid is not None and alive(pid):
        fail(f"{name} already runs (pid {pid})")
    command = command or state.get("commands", {}).get(name)
    if command is None:
        fail(f"no recorded command line for `{name}`")
    state["pids"][name] = spawn(name, command, run, state)
    save(run, state)
    return state["pids"][name]


def cmd_tm(args):
    state = load()
    if args.action == "add":
        taken = [int(n.split("-")[1]) for n in state["pids"] if n.startswith("taskmanager-")]
        index = max(taken, default=-1) + 1
        template = state["commands"]["taskmanager-0"]
        command = [a.replace("taskmanager-0.log", f"taskmanager-{index}.log")
                   .replace("resource-id=taskmanager-0", f"resource-id=taskmanager-{index}")
                   for a in template]
        pid = start_again(state, f"taskmanager-{index}", command)
        print(f"started taskmanager-{index} (pid {pid})")
        return
    if args.n is None:
        fail(f"tm {args.action} needs the TaskManager's number (see `deploy/local/status`)")
    name = f"taskmanager-{args.n}"
    if args.action == "kill":
        kill(state, name)
    else:
        pid = start_again(state, name)
        print(f"started {name} (pid {pid})")


def cmd_broker(args):
    state = load()
    if args.action == "kill":
        kill(state, "kafka")
        return
    # Same port and data folder: the kafka.properties `up` wrote; the log is not formatted again.
    pid = start_again(state, "kafka")
    port = int(state["bootstrap_servers"].rsplit(":", 1)[1])
    wait_for("Kafka broker", lambda: port_open(port), 60, [pid])
    print(f"started kafka (pid {pid})")


def leader(state):
    """The JobManager that leads, from the JobManagers' own logs: the last alive one to be granted
    the dispatcher's leadership (what ZooKeeper decided; Flink's REST does not say)."""
    best, when = None, ""
    for name, pid in state["pids"].items():
        if not name.startswith("jobmanager") or not alive(pid):
            continue
        log = Path(state["run_dir"]) / "logs" / f"{name}.log"
        granted = [l for l in log.read_text(errors="replace").splitlines()
                   if "was granted leadership" in l and "Dispatcher" in l] if log.exists() else []
        if granted and granted[-1][:12] > when:
            best, when = name, granted[-1][:12]
    return best


def cmd_jm(args):
    state = load()
    if "jobmanager-1" not in state["pids"]:
        fail("one JobManager only: `up --ha` starts a standby beside the leader")
    if args.n == "leader":
        name = leader(state)
        if name is None:
            fail("no JobManager leads (none alive, or none granted leadership yet)")
    else:
        name = f"jobmanager-{args.n}"
    if args.action == "kill":
        kill(state, name)
    else:
        pid = start_again(state, name)
        print(f"started {name} (pid {pid})")


def cmd_down(args):
    run = run_dir()
    if not (run / "cluster.json").exists():
        return
    stop_all(load())
    for d in ("tmp", "kafka-data", "zookeeper", "ha"):
        shutil.rmtree(run / d, ignore_errors=True)
    (run / "cluster.json").unlink()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("up")
    up.add_argument("--taskmanagers", type=int, default=2)
    up.add_argument("--taskmanager-memory", default="1024m",
                    help="each TaskManager's taskmanager.memory.process.size (default 1024m); state "
                         "lives on the heap, so many open recordings want more")
    up.add_argument("--no-kafka", action="store_true", help="Flink only; bring your own broker")
    up.add_argument("--secure", action="store_true",
                    help="a SASL_SSL listener too (SCRAM-SHA-512, TLS, ACLs); prints the client config")
    up.add_argument("--json-logs", action="store_true",
                    help="JobManager and TaskManager logs as ECS JSON lines (for a log platform)")
    up.add_argument("--ha", action="store_true",
                    help="ZooKeeper HA: two JobManagers, the standby taking over when the leader dies")
    up.add_argument("-D", dest="flink_conf", action="append", default=[], metavar="KEY=VALUE",
                    help="a Flink option for every Flink process's config.yaml, over the defaults "
                         "(repeatable), e.g. -D cluster.evenly-spread-out-slots=true")
    up.set_defaults(func=cmd_up)
    sub.add_parser("status").set_defaults(func=cmd_status)
    submit = sub.add_parser("submit")
    submit.add_argument("-s", "--from-savepoint")
    submit.add_argument("--resume", action="store_true",
                        help="from the newest retained checkpoint of this stack, if any")
    submit.add_argument("jar")
    submit.add_argument("args", nargs=argparse.REMAINDER)
    submit.set_defaults(func=cmd_submit)
    stop = sub.add_parser("stop")
    stop.add_argument("job")
    stop.add_argument("--savepoint-dir")
    stop.add_argument("--timeout-s", type=int, default=120)
    stop.set_defaults(func=cmd_stop)
    cancel = sub.add_parser("cancel")
    cancel.add_argument("job")
    cancel.set_defaults(func=cmd_cancel)
    sub.add_parser("down").set_defaults(func=cmd_down)
    tm = sub.add_parser("tm", help="kill N | start N | add: a TaskManager, by the pid up recorded")
    tm.add_argument("action", choices=["kill", "start", "add"])
    tm.add_argument("n", nargs="?", type=int)
    tm.set_defaults(func=cmd_tm)
    broker = sub.add_parser("broker", help="kill | start: the Kafka broker (same port and data)")
    broker.add_argument("action", choices=["kill", "start"])
    broker.set_defaults(func=cmd_broker)
    jm = sub.add_parser("jm", help="kill N|leader | start N: a JobManager of an `up --ha` stack")
    jm.add_argument("action", choices=["kill", "start"])
    jm.add_argument("n", help="0, 1, or (kill) `leader`")
    jm.set_defaults(func=cmd_jm)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
