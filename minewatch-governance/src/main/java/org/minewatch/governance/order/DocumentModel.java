package org.minewatch.governance.order;

import java.util.List;

/**
 * An order document as plain text in sections, independent of the output format, so the HTML and
 * the PDF say the same things.
 */
record DocumentModel(
    String lang,
    String title,
    String orderNumber,
    String addressee,
    List<Section> sections,
    List<String> signature) {

  record Section(String heading, List<Block> blocks) {}

  sealed interface Block permits Fields, Subheading, Bullets, Paragraph, Table {}

  /** Label/value rows. */
  record Fields(List<Field> rows) implements Block {}

  record Field(String label, String value) {}

  record Subheading(String text) implements Block {}

  record Bullets(List<String> items) implements Block {}

  record Paragraph(String text) implements Block {}

  /** A table whose first row is the header; cells after the first column are numbers. */
  record Table(List<List<String>> rows) implements Block {}
}
