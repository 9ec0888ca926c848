package dev.cairn.benchmarks.load;

import java.util.List;
import java.util.Locale;

/**
 * A horizontal bar chart written as plain SVG: one group of bars per case, one bar per broker,
 * each labelled with its value. Missing values (failed runs) are drawn as "failed".
 */
final class SvgBarChart {
    private static final int LABEL_WIDTH = 190;
    private static final int BAR_AREA_WIDTH = 460;
    private static final int BAR_HEIGHT = 16;
    private static final int GROUP_GAP = 12;
    private static final String[] COLOURS = {"#7f7f7f", "#1f77b4", "#2ca02c", "#d62728"};

    private SvgBarChart() {}

    /** @param values values[case][broker]; NaN for a failed or absent run */
    static String render(String title, String unit, List<String> cases, List<String> brokers, double[][] values) {
        double max = 0;
        for (double[] row : values) {
            for (double value : row) {
                if (!Double.isNaN(value)) {
                    max = Math.max(max, value);
                }
            }
        }
        int groupHeight = brokers.size() * BAR_HEIGHT + GROUP_GAP;
        int height = 60 + cases.size() * groupHeight + 20 * ((brokers.size() + 1) / 2);
        int width = LABEL_WIDTH + BAR_AREA_WIDTH + 120;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                        + "font-family=\"sans-serif\" font-size=\"12\">%n",
                width,
                height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        svg.append(text(10, 22, escape(title + " (" + unit + ")"), "font-size=\"15\" font-weight=\"bold\""));
        int y = 40;
        for (int c = 0; c < cases.size(); c++) {
            svg.append(text(10, y + groupHeight / 2, escape(cases.get(c)), ""));
            for (int b = 0; b < brokers.size(); b++) {
                svg.append(bar(y + b * BAR_HEIGHT, values[c][b], max, COLOURS[b % COLOURS.length]));
            }
            y += groupHeight;
        }
        for (int b = 0; b < brokers.size(); b++) {
            int x = 10 + (b % 2) * 260;
            int ly = y + 10 + (b / 2) * 20;
            svg.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>%n",
                    x,
                    ly - 10,
                    COLOURS[b % COLOURS.length]));
            svg.append(text(x + 18, ly, escape(brokers.get(b)), ""));
        }
        return svg.append("</svg>\n").toString();
    }

    private static String bar(int y, double value, double max, String colour) {
        if (Double.isNaN(value)) {
            return text(LABEL_WIDTH + 4, y + BAR_HEIGHT - 4, "failed", "fill=\"#a00\"");
        }
        int length = max == 0 ? 0 : (int) Math.round(value / max * BAR_AREA_WIDTH);
        return String.format(
                        Locale.ROOT,
                        "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>%n",
                        LABEL_WIDTH,
                        y + 1,
                        Math.max(length, 1),
                        BAR_HEIGHT - 2,
                        colour)
                + text(LABEL_WIDTH + length + 4, y + BAR_HEIGHT - 4, RunResult.format(Math.rint(value)), "");
    }

    private static String text(int x, int y, String content, String attributes) {
        return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" %s>%s</text>%n", x, y, attributes, content);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
