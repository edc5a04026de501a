package io.audioflow.job.cli;

import java.net.URISyntaxException;
import org.apache.logging.log4j.core.config.Configurator;

/** How the CLI writes its log lines (always on stderr: stdout carries results). */
enum LogFormat {
    /** Human-readable lines (log4j2.xml). */
    text,
    /** One ECS JSON object per line with audioflow's fields (log4j2-json.xml). */
    json;

    void apply() {
        if (this != json) return;
        try {
            Configurator.reconfigure(LogFormat.class.getResource("/log4j2-json.xml").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("log4j2-json.xml is inside the jar", e);
        }
    }
}
