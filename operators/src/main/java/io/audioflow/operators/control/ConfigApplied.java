package io.audioflow.operators.control;

/**
 * One stamper subtask now stamps {@code version} on every chunk it sees: once every subtask has
 * said so, a recording whose first chunk is published from then on runs under it, and the update is
 * acknowledged.
 */
public record ConfigApplied(long version, int subtask) {}
