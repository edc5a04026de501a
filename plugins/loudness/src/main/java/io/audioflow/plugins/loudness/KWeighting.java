package io.audioflow.plugins.loudness;

/**
 * The BS.1770 K-weighting filter (a high shelf then a high pass) for any sample rate. The
 * coefficients come from the analog prototype through the bilinear transform, as libebur128 does,
 * so 44.1 kHz and 16 kHz are as exact as the 48 kHz table in the Recommendation.
 */
final class KWeighting {

    final Biquad shelf;
    final Biquad highPass;

    KWeighting(int sampleRate) {
        double f0 = 1681.974450955533;
        double gain = 3.999843853973347;
        double q = 0.7071752369554196;
        double k = Math.tan(Math.PI * f0 / sampleRate);
        double vh = Math.pow(10.0, gain / 20.0);
        double vb = Math.pow(vh, 0.4996667741545416);
        double a0 = 1.0 + k / q + k * k;
        shelf =
                new Biquad(
                        (vh + vb * k / q + k * k) / a0,
                        2.0 * (k * k - vh) / a0,
                        (vh - vb * k / q + k * k) / a0,
                        2.0 * (k * k - 1.0) / a0,
                        (1.0 - k / q + k * k) / a0);

        f0 = 38.13547087602444;
        q = 0.5003270373238773;
        k = Math.tan(Math.PI * f0 / sampleRate);
        double d = 1.0 + k / q + k * k;
        highPass = new Biquad(1.0, -2.0, 1.0, 2.0 * (k * k - 1.0) / d, (1.0 - k / q + k * k) / d);
    }

    /**
     * y(n) = b0·x(n) + b1·x(n−1) + b2·x(n−2) − a1·y(n−1) − a2·y(n−2), in transposed direct form II:
     * y = b0·x + s0, then the state S = (s0, s1) steps to A·S + P·x, with A = [[−a1, 1], [−a2, 0]]
     * and P = (b1 − a1·b0, b2 − a2·b0). Two samples at a time, S steps to A²·S + A·P·x(n) +
     * P·x(n+1): its chain from one state to the next is as long as a single step's, so a recursion
     * bound by that chain waits half as long per sample.
     */
    record Biquad(double b0, double b1, double b2, double a1, double a2) {
        double p0() {
            return b1 - a1 * b0;
        }

        double p1() {
            return b2 - a2 * b0;
        }
    }
}
