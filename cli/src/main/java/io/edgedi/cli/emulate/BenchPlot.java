package io.edgedi.cli.emulate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The benchmark's picture: measured speedup and its bound against the number of workers (XChart
 * PNG).
 */
public final class BenchPlot {
  private BenchPlot() {}

  /** One point of the scaling run: k fastest workers, their measured speedup and bound. */
  public record Point(int workers, double speedup, double bound) {}

  /**
   * Writes the PNG: per planner its measured speedup on the 1..N fastest workers, and the bound
   * (the same for every planner: the workers' summed speed over the fastest one's).
   */
  public static void write(Path png, String title, Map<String, List<Point>> curves)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(600)
            .title(title)
            .xAxisTitle("workers (fastest first)")
            .yAxisTitle("speedup over the fastest single worker")
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setXAxisDecimalPattern("0");
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    boolean boundDrawn = false;
    for (Map.Entry<String, List<Point>> e : curves.entrySet()) {
      List<Point> points = e.getValue();
      if (points.isEmpty()) {
        continue;
      }
      double[] x = points.stream().mapToDouble(Point::workers).toArray();
      if (!boundDrawn) {
        XYSeries bound =
            chart.addSeries(
                "bound (sum of speeds / fastest)",
                x,
                points.stream().mapToDouble(Point::bound).toArray());
        bound.setMarker(SeriesMarkers.NONE);
        bound.setLineStyle(
            new java.awt.BasicStroke(
                2f,
                java.awt.BasicStroke.CAP_BUTT,
                java.awt.BasicStroke.JOIN_MITER,
                10f,
                new float[] {6f, 4f},
                0f));
        boundDrawn = true;
      }
      chart
          .addSeries(e.getKey(), x, points.stream().mapToDouble(Point::speedup).toArray())
          .setMarker(SeriesMarkers.CIRCLE);
    }
    Path parent = png.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    if (!png.getFileName().toString().toLowerCase().endsWith(".png")) {
      // XChart appends ".png" to names that lack it: keep the file where the user asked for it.
      Files.move(Path.of(png + ".png"), png, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
