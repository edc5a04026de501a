package io.audioflow.pipeline.definition;

/** A value read from the pipeline file together with where it was written. */
public record Located<T>(T value, SourcePosition at) implements java.io.Serializable {}
