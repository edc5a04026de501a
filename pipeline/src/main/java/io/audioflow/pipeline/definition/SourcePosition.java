package io.audioflow.pipeline.definition;

/** Where something stands in a pipeline file; line and column are 1-based, as editors show them. */
public record SourcePosition(String file, int line, int column) implements java.io.Serializable {

    public static SourcePosition start(String file) {
        return new SourcePosition(file, 1, 1);
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
