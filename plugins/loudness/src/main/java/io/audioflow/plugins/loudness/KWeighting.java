package io.audioflow.plugins.loudness;

/**
 * The BS.1770 K-weighting filter (a high shelf then a high pass) for any sample rate. The
 * coefficients come from the analog prototype through the bilinear transform, as libebur128 does,
 * so 44.1 kHz and 16 kHz are as exact as the 48 kHz table in the Recommendation.
 */
final class KWeighting {

    final double b0, b1, b2, a1, a2; // stage 1, the shelf
    final double hb0, hb1, hb2, ha1, ha2; // stage 2, the high pass

    KWeighting(int sampleRate) {
        double f0 = 1681.974450955533;
        double gain = 3.999843853973347;
        double q = 0.7071752369554196;
        double k = Math.tan(Math.PI * f0 / sampleRate);
        double vh = Math.pow(10.0, gain / 20.0);
        double vb = Math.pow(vh, 0.4996667741545416);
        double a0 = 1.0 + k / q + k * k;
        b0 = (vh + vb * k / q + k * k) / a0;
        b1 = 2.0 * (k * k - vh) / a0;
        b2 = (vh - vb * k / q + k * k) / a0;
        a1 = 2.0 * (k * k - 1.0) / a0;
        a2 = (1.0 - k / q + k * k) / a0;

        f0 = 38.13547087602444;
        q = 0.5003270373238773;
        k = Math.tan(Math.PI * f0 / sampleRate);
        double d = 1.0 + k / q + k * k;
        hb0 = 1.0;
        hb1 = -2.0;
        hb2 = 1.0;
        ha1 = 2.0 * (k * k - 1.0) / d;
        ha2 = (1.0 - k / q + k * k) / d;
    }
}
