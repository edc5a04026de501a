package io.audioflow.pipeline.definition;

/**
 * A processor as pipelines name it: {@code name} or {@code name@constraint} ({@code temporal},
 * {@code loudness@^1.0}, {@code pitch@>=1.2 <2}), for a stage, its fallback, its shadow or a
 * control update.
 *
 * @param constraint what followed {@code @}, or {@code *} when nothing did
 */
public record ProcessorRef(String name, String constraint) {

    public static ProcessorRef parse(String text) {
        String t = text.strip();
        int at = t.indexOf('@');
        return at < 0
                ? new ProcessorRef(t, "*")
                : new ProcessorRef(t.substring(0, at).strip(), t.substring(at + 1).strip());
    }
}
