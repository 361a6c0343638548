package org.minewatch.capture;

/**
 * One captured packet as a view into the reader's buffer. A single instance is reused for every
 * packet of a file: copy what must outlive the call.
 */
public final class Packet {
  private byte[] buffer;
  private int offset;
  private int capturedLength;
  private int wireLength;
  private long timestampNanos;
  private int linkType;
  private long recordNumber;
  private long fileOffset;

  /**
   * Points this packet at another record; for readers that reuse one instance for every packet (the
   * file readers, and live captures outside this package), so that reading allocates nothing.
   */
  public void set(
      byte[] buffer,
      int offset,
      int capturedLength,
      int wireLength,
      long timestampNanos,
      int linkType,
      long recordNumber,
      long fileOffset) {
    this.buffer = buffer;
    this.offset = offset;
    this.capturedLength = capturedLength;
    this.wireLength = wireLength;
    this.timestampNanos = timestampNanos;
    this.linkType = linkType;
    this.recordNumber = recordNumber;
    this.fileOffset = fileOffset;
  }

  /**
   * Points this view at another packet; for sources other than capture files that reuse one view
   * (the workers of a parallel scan).
   */
  public void point(
      byte[] buffer,
      int offset,
      int capturedLength,
      int wireLength,
      long timestampNanos,
      int linkType,
      long recordNumber,
      long fileOffset) {
    set(
        buffer,
        offset,
        capturedLength,
        wireLength,
        timestampNanos,
        linkType,
        recordNumber,
        fileOffset);
  }

  /** Sets every field; for sources other than capture files (live capture, tests). */
  public static Packet of(
      byte[] buffer,
      int offset,
      int capturedLength,
      int wireLength,
      long timestampNanos,
      int linkType) {
    Packet p = new Packet();
    p.set(buffer, offset, capturedLength, wireLength, timestampNanos, linkType, 0, 0);
    return p;
  }

  public byte[] buffer() {
    return buffer;
  }

  /** Index of the first link-layer byte in {@link #buffer()}. */
  public int offset() {
    return offset;
  }

  public int capturedLength() {
    return capturedLength;
  }

  /** Length on the wire, which is larger than the captured length when the snap length cut it. */
  public int wireLength() {
    return wireLength;
  }

  /** Nanoseconds since the Unix epoch, UTC. */
  public long timestampNanos() {
    return timestampNanos;
  }

  /** The LINKTYPE_ value of the interface it was captured on. */
  public int linkType() {
    return linkType;
  }

  /** 1-based number of the record (pcap) or block (pcapng) in its file. */
  public long recordNumber() {
    return recordNumber;
  }

  /** Byte offset of the record's header in its file. */
  public long fileOffset() {
    return fileOffset;
  }
}
