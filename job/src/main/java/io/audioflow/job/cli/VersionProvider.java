package io.audioflow.job.cli;

import io.audioflow.api.Spi;
import picocli.CommandLine.IVersionProvider;

final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = AudioflowCli.class.getPackage().getImplementationVersion();
        return new String[] {
            "audioflow " + (version == null ? "dev" : version) + " (stage SPI " + Spi.VERSION + ")"
        };
    }
}
