package io.audioflow.job.testing;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * deploy/local as the end-to-end tests and scripts/chaos drive it, each in a run folder of its own.
 */
public final class LocalCluster {

    /** The repository: the tests run in job/, scripts/chaos at the root. */
    public static final Path ROOT =
            Files.exists(Path.of("deploy/local/cluster.py"))
                    ? Path.of("").toAbsolutePath()
                    : Path.of("..").toAbsolutePath().normalize();

    private LocalCluster() {}

    /** Runs deploy/local/cluster.py; returns its standard output, or fails with its error. */
    public static String script(Path run, String command, List<String> args, int timeoutS)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of("python3", "deploy/local/cluster.py", command));
        cmd.addAll(args);
        Files.createDirectories(run);
        Path err = Files.createTempFile(run, command, ".err");
        ProcessBuilder pb =
                new ProcessBuilder(cmd)
                        .directory(ROOT.toFile())
                        .redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("AUDIOFLOW_RUN_DIR", run.toString());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish in " + timeoutS + " s");
        }
        // No AssertJ here: scripts/chaos runs this outside the tests, on the product jar alone.
        if (p.exitValue() != 0)
            throw new AssertionError(command + " " + args + " failed: " + Files.readString(err));
        return new String(out, StandardCharsets.UTF_8).strip();
    }

    public static String lastLine(String output) {
        String[] lines = output.split("\n");
        return lines[lines.length - 1].strip();
    }
}
