package io.audioflow.job.report;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.Histogram;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/** Charts drawn by XChart, as PNG data URIs that a self-contained page can embed. */
final class Charts {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 360;

    private Charts() {}

    /** One bar per category. */
    static String bars(String title, String yTitle, List<String> categories, List<Double> values) {
        CategoryChart chart = chart(title, "", yTitle);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(categories.size() > 6 ? 30 : 0);
        chart.addSeries(title, categories, values).setFillColor(new Color(0x3B, 0x6E, 0xA8));
        return dataUri(chart);
    }

    /** A histogram of {@code values} in {@code bins} equal bins. */
    static String histogram(String title, String xTitle, List<Double> values, int bins) {
        CategoryChart chart = chart(title, xTitle, "recordings");
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setAvailableSpaceFill(0.96);
        chart.getStyler().setXAxisDecimalPattern("0.#");
        chart.getStyler().setXAxisLabelRotation(45);
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        if (max - min < 1e-9) {
            min -= 0.5;
            max += 0.5;
        }
        Histogram h = new Histogram(values, bins, min, max);
        List<Double> centres = new ArrayList<>();
        for (double c : h.getxAxisData()) centres.add(Math.round(c * 10) / 10.0);
        chart.addSeries(title, centres, h.getyAxisData()).setFillColor(new Color(0x4C, 0x9A, 0x6A));
        return dataUri(chart);
    }

    private static CategoryChart chart(String title, String xTitle, String yTitle) {
        CategoryChart chart =
                new CategoryChartBuilder()
                        .width(WIDTH)
                        .height(HEIGHT)
                        .title(title)
                        .xAxisTitle(xTitle)
                        .yAxisTitle(yTitle)
                        .build();
        Styler styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderVisible(false);
        styler.setChartTitleBoxVisible(false);
        return chart;
    }

    private static String dataUri(Chart<?, ?> chart) {
        try {
            byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
            return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
        } catch (IOException e) {
            throw new UncheckedIOException("drawing a chart in memory", e);
        }
    }
}
