package io.audioflow.job.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** TLS material for a test broker, made with the JDK's keytool at test time. */
final class Certificates {

    private Certificates() {}

    /**
     * A self-signed key and certificate for 127.0.0.1 in {@code keystore}, and a truststore that
     * trusts exactly that certificate; both PKCS12 with {@code password}.
     */
    static void selfSigned(Path keystore, Path truststore, String password)
            throws IOException, InterruptedException {
        Path cert = keystore.resolveSibling("broker.cer");
        keytool(
                "-genkeypair",
                "-alias",
                "broker",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                password,
                "-keypass",
                password);
        keytool(
                "-exportcert",
                "-alias",
                "broker",
                "-keystore",
                keystore.toString(),
                "-storepass",
                password,
                "-file",
                cert.toString());
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "broker",
                "-file",
                cert.toString(),
                "-storetype",
                "PKCS12",
                "-keystore",
                truststore.toString(),
                "-storepass",
                password);
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Path log = Files.createTempFile("keytool-", ".log");
        Process p =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        int exit = p.waitFor();
        String output = Files.readString(log);
        Files.deleteIfExists(log);
        if (exit != 0)
            throw new IOException("keytool " + args[0] + " failed (" + exit + "): " + output);
    }
}
