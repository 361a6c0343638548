package org.minewatch.governance.order;

import org.minewatch.governance.order.DocumentModel.Block;
import org.minewatch.governance.order.DocumentModel.Bullets;
import org.minewatch.governance.order.DocumentModel.Field;
import org.minewatch.governance.order.DocumentModel.Fields;
import org.minewatch.governance.order.DocumentModel.Paragraph;
import org.minewatch.governance.order.DocumentModel.Section;
import org.minewatch.governance.order.DocumentModel.Subheading;
import org.minewatch.governance.order.DocumentModel.Table;

/**
 * Writes a document as one self-contained HTML page: no scripts, no external resources (the
 * Content-Security-Policy forbids them too), every value escaped.
 */
final class HtmlRenderer {
  private static final String STYLE =
      """
      body{font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei","Microsoft YaHei",sans-serif;\
      max-width:48em;margin:2em auto;padding:0 1em;line-height:1.6;color:#111}
      h1{text-align:center;font-size:1.6em;margin-bottom:.2em}
      .number{text-align:center;margin-top:0}
      h2{font-size:1.15em;border-bottom:1px solid #999;margin-top:1.6em}
      h3{font-size:1em;margin:.8em 0 .2em}
      table{border-collapse:collapse;margin:.4em 0}
      th,td{border:1px solid #bbb;padding:.25em .6em;text-align:left;vertical-align:top}
      table.fields th{background:#f3f3f3;white-space:nowrap;font-weight:normal}
      table.amounts td.n{text-align:right;font-variant-numeric:tabular-nums}
      .signature{text-align:right;margin-top:3em}
      @media print{body{margin:0}}
      """;

  private HtmlRenderer() {}

  static String render(DocumentModel d) {
    StringBuilder h = new StringBuilder(8192);
    h.append("<!DOCTYPE html>\n<html lang=\"")
        .append("zh".equals(d.lang()) ? "zh-CN" : "en")
        .append("\">\n<head>\n")
        .append("<meta charset=\"utf-8\">\n")
        .append(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n")
        .append("<title>")
        .append(esc(d.title()))
        .append(" ")
        .append(esc(d.orderNumber()))
        .append("</title>\n")
        .append("<style>\n")
        .append(STYLE)
        .append("</style>\n</head>\n<body>\n")
        .append("<h1>")
        .append(esc(d.title()))
        .append("</h1>\n")
        .append("<p class=\"number\">")
        .append(esc(d.orderNumber()))
        .append("</p>\n")
        .append("<p class=\"addressee\">")
        .append(esc(d.addressee()))
        .append("</p>\n");
    for (Section s : d.sections()) {
      h.append("<section>\n<h2>").append(esc(s.heading())).append("</h2>\n");
      for (Block b : s.blocks()) {
        block(h, b);
      }
      h.append("</section>\n");
    }
    h.append("<div class=\"signature\">\n");
    for (String line : d.signature()) {
      h.append("<p>").append(esc(line)).append("</p>\n");
    }
    return h.append("</div>\n</body>\n</html>\n").toString();
  }

  private static void block(StringBuilder h, Block b) {
    // Java 17: no pattern matching in switch yet.
    if (b instanceof Fields f) {
      h.append("<table class=\"fields\">\n");
      for (Field r : f.rows()) {
        h.append("<tr><th scope=\"row\">")
            .append(esc(r.label()))
            .append("</th><td>")
            .append(esc(r.value()))
            .append("</td></tr>\n");
      }
      h.append("</table>\n");
    } else if (b instanceof Subheading s) {
      h.append("<h3>").append(esc(s.text())).append("</h3>\n");
    } else if (b instanceof Bullets l) {
      h.append("<ul>\n");
      for (String item : l.items()) {
        h.append("<li>").append(esc(item)).append("</li>\n");
      }
      h.append("</ul>\n");
    } else if (b instanceof Paragraph p) {
      h.append("<p>").append(esc(p.text())).append("</p>\n");
    } else if (b instanceof Table t) {
      h.append("<table class=\"amounts\">\n<tr>");
      for (String c : t.rows().get(0)) {
        h.append("<th scope=\"col\">").append(esc(c)).append("</th>");
      }
      h.append("</tr>\n");
      for (var row : t.rows().subList(1, t.rows().size())) {
        h.append("<tr>");
        for (int i = 0; i < row.size(); i++) {
          h.append(i == 0 ? "<td>" : "<td class=\"n\">").append(esc(row.get(i))).append("</td>");
        }
        h.append("</tr>\n");
      }
      h.append("</table>\n");
    }
  }

  /** Escapes text for element content and quoted attributes. */
  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
