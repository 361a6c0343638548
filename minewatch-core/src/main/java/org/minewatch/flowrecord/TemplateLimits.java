package org.minewatch.flowrecord;

/**
 * How many NetFlow v9 / IPFIX templates a decoder keeps: per exporter (one source address, all its
 * ports and observation domains; for a file, the file) and in total. Templates also count by their
 * fields, {@value #FIELDS_PER_TEMPLATE} a template on average (and at least room for one template
 * as large as a message allows, 16,377 fields), so that large templates cost no more memory in all
 * than ordinary ones. Past a limit the least recently used template goes (and is counted); an
 * exporter sends its templates again periodically, so one evicted by mistake comes back.
 *
 * @param perExporter templates one exporter may have kept
 * @param total templates kept in all
 */
public record TemplateLimits(int perExporter, int total) {
  /**
   * The average template size the field budget allows. Real templates have 10–40 fields; a big
   * router's few dozen templates per observation domain fit many times over.
   */
  public static final int FIELDS_PER_TEMPLATE = 64;

  /**
   * 1,024 per exporter: a big router sends a few dozen templates per observation domain (line
   * card), and has at most a few dozen domains. 32,768 in total: a province's collector hearing
   * hundreds of exporters (500 × 64). Filled to these limits, templates and export streams take
   * 17–26 MB of heap (measured: {@code TemplateMemory} in minewatch-benchmarks).
   */
  public static final TemplateLimits DEFAULTS = new TemplateLimits(1_024, 32_768);

  public TemplateLimits {
    if (perExporter < 1 || total < 1) {
      throw new IllegalArgumentException("template limits must be at least 1");
    }
    if (perExporter > total) {
      throw new IllegalArgumentException(
          "templates per exporter (" + perExporter + ") exceed the total (" + total + ")");
    }
    if (total > 1 << 24) {
      throw new IllegalArgumentException("at most " + (1 << 24) + " templates in total");
    }
  }

  /** Fields one exporter's templates may hold together; always room for the largest template. */
  public long fieldsPerExporter() {
    return Math.max((long) perExporter * FIELDS_PER_TEMPLATE, ExportDecoder.MAX_TEMPLATE_FIELDS);
  }

  /** Fields all templates may hold together; always room for the largest template. */
  public long fieldsTotal() {
    return Math.max((long) total * FIELDS_PER_TEMPLATE, ExportDecoder.MAX_TEMPLATE_FIELDS);
  }
}
