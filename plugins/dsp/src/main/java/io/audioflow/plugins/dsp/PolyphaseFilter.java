package io.audioflow.plugins.dsp;

/**
 * The immutable half of the resampler: a Kaiser-windowed sinc tabulated at the L phases of the
 * ratio out/in = L/M. Designing it costs far more than running it, so one filter serves every
 * recording with the same pair of rates.
 */
final class PolyphaseFilter {

    private static final int ZERO_CROSSINGS = 16;
    private static final double KAISER_BETA = 8.6;
    private static final int MAX_TABLE_PHASES = 4096;

    final int up; // L
    final int down; // M
    final int taps; // K, even
    private final double cutoff;
    private final double windowNorm;
    private final double[][] table; // [phase][tap], null when L is too large to tabulate

    PolyphaseFilter(int inRate, int outRate) {
        int g = gcd(inRate, outRate);
        this.up = outRate / g;
        this.down = inRate / g;
        // A little below the lower Nyquist frequency, so the transition band does not alias.
        this.cutoff = Math.min(1.0, (double) up / down) * 0.94;
        this.taps = 2 * (int) Math.ceil(ZERO_CROSSINGS / cutoff);
        this.windowNorm = besselI0(KAISER_BETA);
        if (up <= MAX_TABLE_PHASES) {
            table = new double[up][];
            for (int p = 0; p < up; p++) table[p] = design((double) p / up);
        } else {
            table = null;
        }
    }

    boolean identity() {
        return up == down;
    }

    double[] coefficients(int phase) {
        return table != null ? table[phase] : design((double) phase / up);
    }

    /** Coefficients for an output that falls {@code frac} of an input period after sample i. */
    private double[] design(double frac) {
        double[] h = new double[taps];
        int half = taps / 2;
        for (int k = 0; k < taps; k++) {
            // tap k multiplies x[i - half + 1 + k]; its distance from the output instant:
            double d = frac + half - 1 - k;
            // Rounded to float as resample 1.0.0 tabulated them: outputs differ from that version's
            // only in the order of summation.
            h[k] = (float) (cutoff * sinc(cutoff * d) * kaiser(d / half));
        }
        return h;
    }

    private static double sinc(double x) {
        if (Math.abs(x) < 1e-12) return 1.0;
        double px = Math.PI * x;
        return Math.sin(px) / px;
    }

    private double kaiser(double x) {
        if (Math.abs(x) > 1) return 0;
        return besselI0(KAISER_BETA * Math.sqrt(1 - x * x)) / windowNorm;
    }

    private static double besselI0(double x) {
        double sum = 1, term = 1;
        for (int k = 1; k < 50; k++) {
            term *= (x / (2 * k)) * (x / (2 * k));
            sum += term;
            if (term < 1e-12 * sum) break;
        }
        return sum;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
