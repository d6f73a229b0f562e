package io.procura.app.mechanism;

import io.procura.mechanism.StakeLevel;
import io.procura.mechanism.SweepPoint;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Renders a loss sweep ({@link io.procura.mechanism.LossSweep}) as a PNG like the paper's Fig. 3.3
 * (XChart, headless): worst-case loss against the liveness penalty {@code C} on a log axis, one
 * solid curve per honest fraction {@code alpha}, dashed curves with stake, and thin dotted
 * {@code ln(C)/alpha} reference curves.
 */
public final class SweepPlot {

    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd),
        new Color(0xff7f0e), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf),
    };

    private SweepPlot() {}

    /**
     * Writes the plot.
     *
     * @param points the sweep, as returned by {@link io.procura.mechanism.LossSweep#sweep}
     * @param title the chart title
     * @param png the output file (the {@code .png} suffix is added if missing)
     * @throws IOException if the file cannot be written
     */
    public static void write(List<SweepPoint> points, String title, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(1000).height(650).title(title)
                .xAxisTitle("liveness penalty C (proof-cost units, log scale)")
                .yAxisTitle("optimal worst-case loss (proof-cost units)").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(0xdddddd));
        chart.getStyler().setXAxisDecimalPattern("0.#E0");
        Map<String, List<SweepPoint>> curves = new LinkedHashMap<>();
        List<Double> alphas = new ArrayList<>();
        for (SweepPoint p : points) {
            String key = p.alpha() + "|" + p.stakeLevel().label();
            curves.computeIfAbsent(key, x -> new ArrayList<>()).add(p);
            if (!alphas.contains(p.alpha())) {
                alphas.add(p.alpha());
            }
        }
        for (List<SweepPoint> curve : curves.values()) {
            SweepPoint first = curve.get(0);
            Color color = PALETTE[alphas.indexOf(first.alpha()) % PALETTE.length];
            boolean staked = !first.stakeLevel().equals(StakeLevel.NONE);
            String name = String.format(java.util.Locale.ROOT, "alpha=%.2f (h=%d)%s", first.alpha(), first.h(),
                    staked ? ", " + first.stakeLevel().label() : "");
            XYSeries s = chart.addSeries(name, curve.stream().mapToDouble(SweepPoint::livenessPenalty).toArray(),
                    curve.stream().mapToDouble(SweepPoint::loss).toArray());
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(color);
            s.setLineStyle(staked
                    ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {9f, 6f}, 0f)
                    : new BasicStroke(2.5f));
        }
        for (double alpha : alphas) {
            List<SweepPoint> curve = curves.get(alpha + "|" + StakeLevel.NONE.label());
            if (curve == null) {
                continue;
            }
            Color color = PALETTE[alphas.indexOf(alpha) % PALETTE.length];
            XYSeries ref = chart.addSeries(String.format(java.util.Locale.ROOT, "ln(C)/%.2f", alpha),
                    curve.stream().mapToDouble(SweepPoint::livenessPenalty).toArray(),
                    curve.stream().mapToDouble(p -> Math.log(p.livenessPenalty()) / alpha).toArray());
            ref.setMarker(SeriesMarkers.NONE);
            ref.setLineColor(color.brighter());
            ref.setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {2f, 4f}, 0f));
        }
        BitmapEncoder.saveBitmap(chart, png.toString().replaceFirst("\\.png$", ""), BitmapEncoder.BitmapFormat.PNG);
    }
}
