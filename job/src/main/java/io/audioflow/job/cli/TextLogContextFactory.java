package io.audioflow.job.cli;

import java.net.URI;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.message.MessageFactory;
import org.apache.logging.log4j.simple.SimpleLogger;
import org.apache.logging.log4j.spi.ExtendedLogger;
import org.apache.logging.log4j.spi.LoggerContext;
import org.apache.logging.log4j.spi.LoggerContextFactory;
import org.apache.logging.log4j.spi.LoggerRegistry;
import org.apache.logging.log4j.util.PropertiesUtil;

/**
 * The CLI's text logs without log4j-core: log4j-api's own {@link SimpleLogger} with the levels of
 * {@code log4j2.xml} (warnings from audioflow, errors only from Flink and Kafka), one line per
 * event on stderr. log4j-core's start-up (its plugin registry and an XML parser, some 600 classes)
 * cost every command about 0.12 CPU-seconds, more than the logging of a whole run. JSON logs and a
 * user's own log4j configuration still go through log4j-core: see {@link CliLogging}.
 */
public final class TextLogContextFactory implements LoggerContextFactory {

    private static final List<String> ERRORS_ONLY =
            List.of("org.apache.flink", "org.apache.kafka", "kafka", "state.change.logger");

    private final TextLogContext context = new TextLogContext();

    static Level levelOf(String loggerName) {
        for (String prefix : ERRORS_ONLY)
            if (loggerName.equals(prefix) || loggerName.startsWith(prefix + "."))
                return Level.ERROR;
        return Level.WARN;
    }

    @Override
    public LoggerContext getContext(
            String fqcn, ClassLoader loader, Object externalContext, boolean currentContext) {
        return context;
    }

    @Override
    public LoggerContext getContext(
            String fqcn,
            ClassLoader loader,
            Object externalContext,
            boolean currentContext,
            URI configLocation,
            String name) {
        return context;
    }

    @Override
    public void removeContext(LoggerContext removed) {}

    @Override
    public boolean isClassLoaderDependent() {
        return false;
    }

    private static final class TextLogContext implements LoggerContext {
        private final LoggerRegistry<ExtendedLogger> loggers = new LoggerRegistry<>();

        @Override
        public Object getExternalContext() {
            return null;
        }

        @Override
        public ExtendedLogger getLogger(String name) {
            return getLogger(name, null);
        }

        @Override
        public ExtendedLogger getLogger(String name, MessageFactory messageFactory) {
            ExtendedLogger existing = loggers.getLogger(name, messageFactory);
            if (existing != null) return existing;
            loggers.putIfAbsent(
                    name,
                    messageFactory,
                    new SimpleLogger(
                            name,
                            levelOf(name),
                            false,
                            true, // the class's simple name, as %c{1} in log4j2.xml
                            true,
                            false,
                            "HH:mm:ss.SSS",
                            messageFactory,
                            PropertiesUtil.getProperties(),
                            System.err));
            return loggers.getLogger(name, messageFactory);
        }

        @Override
        public boolean hasLogger(String name) {
            return loggers.hasLogger(name);
        }

        @Override
        public boolean hasLogger(String name, MessageFactory messageFactory) {
            return loggers.hasLogger(name, messageFactory);
        }

        @Override
        public boolean hasLogger(String name, Class<? extends MessageFactory> messageFactoryClass) {
            return loggers.hasLogger(name, messageFactoryClass);
        }
    }
}
