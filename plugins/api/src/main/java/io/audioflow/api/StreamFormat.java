package io.audioflow.api;

/**
 * The audio format on a pipeline edge as far as it is known before any audio flows: a zero field
 * means it varies per recording (the decoder passes on whatever the input has).
 */
public record StreamFormat(int sampleRate, int channels) {

    public static final StreamFormat VARIES = new StreamFormat(0, 0);

    public boolean satisfies(FormatRequirement requirement) {
        boolean rateOk =
                requirement.sampleRates().isEmpty()
                        || (sampleRate != 0 && requirement.sampleRates().contains(sampleRate));
        boolean channelsOk =
                requirement.channels() == 0
                        || (channels != 0 && requirement.channels() == channels);
        return rateOk && channelsOk;
    }

    @Override
    public String toString() {
        String rate = sampleRate == 0 ? "the input's sample rate" : sampleRate + " Hz";
        String ch =
                channels == 0
                        ? "the input's channels"
                        : channels == 1
                                ? "mono"
                                : channels == 2 ? "stereo" : channels + " channels";
        return rate + ", " + ch;
    }
}
