package org.minewatch.governance.order;

import com.lowagie.text.Chunk;
import com.lowagie.text.Document;
import com.lowagie.text.DocumentException;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.ListItem;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.pdf.BaseFont;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfWriter;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.minewatch.governance.order.DocumentModel.Block;
import org.minewatch.governance.order.DocumentModel.Bullets;
import org.minewatch.governance.order.DocumentModel.Field;
import org.minewatch.governance.order.DocumentModel.Fields;
import org.minewatch.governance.order.DocumentModel.Section;
import org.minewatch.governance.order.DocumentModel.Subheading;
import org.minewatch.governance.order.DocumentModel.Table;

/** Writes a document as an A4 PDF with OpenPDF, in one embedded font. */
final class PdfRenderer {
  private static final Color LABEL_BACKGROUND = new Color(0xF0, 0xF0, 0xF0);
  private static final Color RULE = new Color(0xAA, 0xAA, 0xAA);

  private final BaseFont font;
  private final Font title;
  private final Font heading;
  private final Font subheading;
  private final Font body;

  private PdfRenderer(BaseFont font) {
    this.font = font;
    // One face only: a CJK collection has no bold, so hierarchy comes from size.
    this.title = new Font(font, 18);
    this.heading = new Font(font, 13);
    this.subheading = new Font(font, 11);
    this.body = new Font(font, 10);
  }

  static byte[] render(DocumentModel d, BaseFont font) {
    return new PdfRenderer(font).write(d);
  }

  private byte[] write(DocumentModel d) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Document doc = new Document(PageSize.A4, 56, 56, 56, 56);
    try {
      PdfWriter.getInstance(doc, out);
      doc.addTitle(d.title() + " " + d.orderNumber());
      doc.addCreator("MineWatch");
      doc.open();
      Paragraph t = new Paragraph(fit(d.title()), title);
      t.setAlignment(Element.ALIGN_CENTER);
      doc.add(t);
      Paragraph number = new Paragraph(fit(d.orderNumber()), body);
      number.setAlignment(Element.ALIGN_CENTER);
      number.setSpacingAfter(12);
      doc.add(number);
      doc.add(new Paragraph(fit(d.addressee()), body));
      for (Section s : d.sections()) {
        Paragraph h = new Paragraph(fit(s.heading()), heading);
        h.setSpacingBefore(12);
        h.setSpacingAfter(4);
        doc.add(h);
        for (Block b : s.blocks()) {
          doc.add(block(b));
        }
      }
      Paragraph signature = new Paragraph();
      signature.setAlignment(Element.ALIGN_RIGHT);
      signature.setSpacingBefore(36);
      for (String line : d.signature()) {
        signature.add(new Phrase(fit(line) + "\n", body));
      }
      doc.add(signature);
      doc.close();
    } catch (DocumentException e) {
      throw new IllegalStateException("cannot write the PDF: " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  private Element block(Block b) {
    if (b instanceof Fields f) {
      PdfPTable table = table(new float[] {1.2f, 3.8f});
      for (Field r : f.rows()) {
        PdfPCell label = cell(r.label());
        label.setBackgroundColor(LABEL_BACKGROUND);
        table.addCell(label);
        table.addCell(cell(r.value()));
      }
      return table;
    }
    if (b instanceof Subheading s) {
      Paragraph p = new Paragraph(fit(s.text()), subheading);
      p.setSpacingBefore(6);
      return p;
    }
    if (b instanceof Bullets l) {
      com.lowagie.text.List list = new com.lowagie.text.List(false, 12);
      list.setListSymbol(new Chunk("•", body));
      for (String item : l.items()) {
        list.add(new ListItem(fit(item), body));
      }
      return list;
    }
    if (b instanceof DocumentModel.Paragraph p) {
      Paragraph para = new Paragraph(fit(p.text()), body);
      para.setSpacingBefore(4);
      return para;
    }
    Table t = (Table) b;
    List<String> header = t.rows().get(0);
    PdfPTable table = table(new float[] {1.2f, 2f, 2f});
    for (String c : header) {
      PdfPCell h = cell(c);
      h.setBackgroundColor(LABEL_BACKGROUND);
      table.addCell(h);
    }
    for (List<String> row : t.rows().subList(1, t.rows().size())) {
      for (int i = 0; i < row.size(); i++) {
        PdfPCell c = cell(row.get(i));
        if (i > 0) {
          c.setHorizontalAlignment(Element.ALIGN_RIGHT);
        }
        table.addCell(c);
      }
    }
    return table;
  }

  /**
   * The text with each character the font lacks shown as '?', so that a Chinese name in an English
   * PDF made with Helvetica is visibly missing rather than silently dropped.
   */
  private String fit(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      boolean missing = !Character.isWhitespace(c) && !font.charExists(c);
      if (missing && out == null) {
        out = new StringBuilder(text.length()).append(text, 0, i);
      }
      if (out != null) {
        if (missing) {
          out.append('?');
        } else {
          out.appendCodePoint(c);
        }
      }
      i += Character.charCount(c);
    }
    return out == null ? text : out.toString();
  }

  private static PdfPTable table(float[] widths) {
    PdfPTable table = new PdfPTable(widths);
    table.setWidthPercentage(100);
    table.setSpacingBefore(4);
    table.setSpacingAfter(4);
    return table;
  }

  private PdfPCell cell(String text) {
    PdfPCell c = new PdfPCell(new Phrase(fit(text), body));
    c.setPadding(4);
    c.setBorderColor(RULE);
    return c;
  }
}
