package io.audioflow.job.report;

import java.util.List;

/**
 * A self-contained HTML page: styles inline, charts as data URIs, no request leaves it, so it can
 * be mailed, archived or opened offline. When every chart has loaded, the body gets {@code
 * data-charts-loaded="true"} (the rendering test in headless Chromium reads it).
 */
final class HtmlPage {

    private final StringBuilder body = new StringBuilder();
    private final String title;

    HtmlPage(String title) {
        this.title = title;
    }

    HtmlPage heading(String text) {
        body.append("<h2>").append(escape(text)).append("</h2>\n");
        return this;
    }

    HtmlPage paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    HtmlPage chart(String dataUri, String alt) {
        body.append("<img class=\"chart\" alt=\"")
                .append(escape(alt))
                .append("\" src=\"")
                .append(dataUri)
                .append("\">\n");
        return this;
    }

    /** Figures that matter most, large. */
    HtmlPage figures(List<String[]> labelAndValue) {
        body.append("<div class=\"figures\">");
        for (String[] f : labelAndValue)
            body.append("<div><span>")
                    .append(escape(f[1]))
                    .append("</span>")
                    .append(escape(f[0]))
                    .append("</div>");
        body.append("</div>\n");
        return this;
    }

    HtmlPage table(List<String> header, List<List<String>> rows) {
        body.append("<table><thead><tr>");
        for (String h : header) body.append("<th>").append(escape(h)).append("</th>");
        body.append("</tr></thead><tbody>\n");
        for (List<String> row : rows) {
            body.append("<tr>");
            for (String cell : row) body.append("<td>").append(escape(cell)).append("</td>");
            body.append("</tr>\n");
        }
        body.append("</tbody></table>\n");
        return this;
    }

    String render() {
        return """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%1$s</title>
                <style>
                body{font-family:system-ui,-apple-system,"DejaVu Sans",sans-serif;margin:2rem auto;max-width:980px;color:#222;padding:0 1rem}
                h1{font-size:1.6rem;margin-bottom:.2rem} h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
                table{border-collapse:collapse;width:100%%;font-size:.9rem} th,td{padding:.3rem .5rem;border-bottom:1px solid #eee;text-align:left}
                th{background:#f5f5f5} td{font-variant-numeric:tabular-nums}
                .chart{max-width:100%%;display:block;margin:1rem 0}
                .figures{display:flex;gap:1rem;flex-wrap:wrap} .figures div{background:#f5f7fa;padding:.6rem 1rem;border-radius:6px}
                .figures span{display:block;font-size:1.4rem;font-weight:600}
                </style></head>
                <body>
                <h1>%1$s</h1>
                %2$s<script>
                window.addEventListener('load', function () {
                  var ok = Array.prototype.every.call(document.images, function (i) { return i.complete && i.naturalWidth > 0; });
                  document.body.setAttribute('data-charts-loaded', String(ok));
                });
                </script>
                </body></html>
                """
                .formatted(escape(title), body);
    }

    static String escape(String s) {
        if (s == null) return "";
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
