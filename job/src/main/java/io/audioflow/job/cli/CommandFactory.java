package io.audioflow.job.cli;

import picocli.CommandLine;

/** Gives commands their collaborators through constructors (the environment), not statics. */
final class CommandFactory implements CommandLine.IFactory {

    private final Environment environment;
    private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

    CommandFactory(Environment environment) {
        this.environment = environment;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
        try {
            return type.getDeclaredConstructor(Environment.class).newInstance(environment);
        } catch (NoSuchMethodException e) {
            return fallback.create(type);
        }
    }
}
