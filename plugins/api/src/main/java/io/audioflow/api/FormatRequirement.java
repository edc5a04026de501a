package io.audioflow.api;

import java.io.Serializable;
import java.util.List;

/**
 * What a stage accepts as input. An empty list or zero means "any". A stage that accepts any format
 * says so explicitly with {@link #ANY}.
 */
public record FormatRequirement(List<Integer> sampleRates, int channels) implements Serializable {

    public static final FormatRequirement ANY = new FormatRequirement(List.of(), 0);

    public FormatRequirement {
        sampleRates = List.copyOf(sampleRates);
    }

    public static FormatRequirement of(int sampleRate, int channels) {
        return new FormatRequirement(List.of(sampleRate), channels);
    }

    public boolean accepts(AudioFormat format) {
        return (sampleRates.isEmpty() || sampleRates.contains(format.sampleRate()))
                && (channels == 0 || channels == format.channels());
    }

    @Override
    public String toString() {
        if (this.equals(ANY)) return "any format";
        String rates = sampleRates.isEmpty() ? "any rate" : sampleRates + " Hz";
        String ch = channels == 0 ? "any channels" : channels == 1 ? "mono" : channels + " ch";
        return rates + " " + ch;
    }
}
