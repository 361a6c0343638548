package org.minewatch.flowrecord;

/**
 * One NetFlow v9 or IPFIX template as kept: four bytes a field in the usual case.
 *
 * @param fields each field's element id (high 16 bits, the enterprise bit cleared) and length (low
 *     16 bits; 65535 = variable)
 * @param enterprises each field's enterprise number, or null when no field has one
 * @param options whether it describes options records
 * @param minLength the shortest record it describes (a variable-length field counts one byte)
 * @param fixedLength whether no field has a variable length: every record is {@code minLength}
 */
record ExportTemplate(
    int[] fields, int[] enterprises, boolean options, int minLength, boolean fixedLength) {
  int fieldCount() {
    return fields.length;
  }

  int length(int i) {
    return fields[i] & 0xffff;
  }

  /** The field's element as {@code enterprise << 16 | id}. */
  long element(int i) {
    long enterprise = enterprises == null ? 0 : enterprises[i] & 0xffff_ffffL;
    return enterprise << 16 | fields[i] >>> 16;
  }
}
