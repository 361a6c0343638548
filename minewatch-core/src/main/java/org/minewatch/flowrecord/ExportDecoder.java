package org.minewatch.flowrecord;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.minewatch.flowrecord.ExportFormatException.Kind;
import org.minewatch.model.IpAddress;

/**
 * Decodes NetFlow v5, NetFlow v9 (RFC 3954) and IPFIX (RFC 7011) export messages into {@link
 * FlowRecord}s. Templates are kept per exporter, observation domain (v9: source id) and template
 * id, as the RFCs scope them, within {@link TemplateLimits} (least recently used evicted, counted).
 * Sequence numbers are followed per exporter and domain ({@link SequenceFollower}): what they show
 * missing is counted, and jumps that cannot be loss are counted apart. Data sets whose template has
 * not been seen are counted and skipped. A message that breaks its own lengths, or a template
 * beyond what the protocol allows, stops at the fault with an exception naming the exporter, the
 * byte offset and the reason; the records decoded before it have been delivered.
 *
 * <p>Nothing is allocated per record, nor per message of a known stream and template: records are
 * decoded into one {@link FlowView} handed to a {@link FlowSink}, and streams and templates are
 * looked up with reused keys.
 */
public final class ExportDecoder {
  /** IANA's private enterprise number for RFC 5103 reverse information elements. */
  private static final long REVERSE_PEN = 29305L;

  private static final int V5_HEADER = 24;
  private static final int V5_RECORD = 48;
  private static final int MAX_MESSAGE = 65_535;

  /**
   * The most fields a template can have: four bytes each in an IPFIX template set filling a
   * message.
   */
  static final int MAX_TEMPLATE_FIELDS = (MAX_MESSAGE - 16 - 4 - 4) / 4;

  /** Export streams (exporter and domain) whose sequence numbers and boot time are remembered. */
  static final int MAX_STREAMS = 16_384;

  private final TemplateStore templates;

  /**
   * In access order: past {@link #MAX_STREAMS} the stream heard from least recently is forgotten.
   */
  private final Map<StreamKey, Stream> streams =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<StreamKey, Stream> eldest) {
          if (size() > MAX_STREAMS) {
            streamsForgotten++;
            return true;
          }
          return false;
        }
      };

  private final SequenceFollower.Counts recordSequence = new SequenceFollower.Counts();
  private final SequenceFollower.Counts messageSequence = new SequenceFollower.Counts();

  private long messages;
  private long records;
  private long unknownTemplateSets;
  private long templatesRefused;
  private long streamsForgotten;

  /**
   * Data records of the message being decoded, options included (what IPFIX sequence numbers
   * count).
   */
  private int dataRecordsInMessage;

  private boolean unknownSetInMessage;

  /**
   * The export time of the message being decoded: a record's time where its own fields give none.
   */
  private long messageMillis;

  /** Whose limit the templates of the message being decoded count against. */
  private String holder;

  /** Reused to look streams up; a copy is kept as the key of a new one. */
  private final StreamKey streamProbe = new StreamKey();

  private final Fields recordFields = new Fields();
  private final FlowView view = new FlowView();

  /** An export stream's key; mutable only while it is the probe. */
  private static final class StreamKey {
    String exporter;
    int version;
    long domain;

    StreamKey set(String exporter, int version, long domain) {
      this.exporter = exporter;
      this.version = version;
      this.domain = domain;
      return this;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof StreamKey k
          && k.version == version
          && k.domain == domain
          && k.exporter.equals(exporter);
    }

    @Override
    public int hashCode() {
      return (exporter.hashCode() * 31 + version) * 31 + Long.hashCode(domain);
    }
  }

  /** What is known of one exporter's observation domain between messages. */
  private static final class Stream {
    final SequenceFollower sequence = new SequenceFollower();

    /**
     * The exporter's boot time in epoch milliseconds, for IPFIX sysUpTime fields (from options
     * data).
     */
    long bootMillis = -1;
  }

  /** A decoder with the default {@link TemplateLimits}. */
  public ExportDecoder() {
    this(TemplateLimits.DEFAULTS);
  }

  public ExportDecoder(TemplateLimits limits) {
    this.templates = new TemplateStore(limits);
  }

  /** Messages decoded. */
  public long messages() {
    return messages;
  }

  /** Flow records delivered. */
  public long records() {
    return records;
  }

  /** Records (v5, IPFIX) the sequence numbers show lost between messages. */
  public long lostRecords() {
    return recordSequence.lost;
  }

  /** Export packets (v9) the sequence numbers show lost. */
  public long lostMessages() {
    return messageSequence.lost;
  }

  /**
   * Messages behind the expected sequence number, or off it and not carried on from: reordered,
   * duplicated, stray.
   */
  public long outOfOrder() {
    return recordSequence.outOfOrder + messageSequence.outOfOrder;
  }

  /**
   * Jumps of the sequence numbers, carried on from, that cannot be loss: an exporter's restart or
   * renumbering.
   */
  public long sequenceResets() {
    return recordSequence.resets + messageSequence.resets;
  }

  /** Data sets skipped because their template was not (yet) known. */
  public long unknownTemplateSets() {
    return unknownTemplateSets;
  }

  /** Templates currently known. */
  public int templates() {
    return templates.size();
  }

  /** Templates dropped, least recently used first, to stay within the {@link TemplateLimits}. */
  public long templatesEvicted() {
    return templates.evicted();
  }

  /**
   * Templates not kept because they break the protocol or its bounds (each also a fault of its
   * message).
   */
  public long templatesRefused() {
    return templatesRefused;
  }

  /**
   * Export streams forgotten (their sequence position and boot time) to stay within {@value
   * #MAX_STREAMS}.
   */
  public long streamsForgotten() {
    return streamsForgotten;
  }

  /**
   * Decodes one message (one UDP datagram, or one message of an IPFIX file) from {@code exporter},
   * whose templates count against that exporter's limit.
   *
   * @return the records delivered
   */
  public int decode(String exporter, byte[] b, int off, int len, Consumer<FlowRecord> out)
      throws ExportFormatException {
    return decodeInto(exporter, exporter, b, off, len, v -> out.accept(v.toRecord()));
  }

  /**
   * Decodes one message from {@code exporter} (e.g. address and port), whose templates count
   * against the limit of {@code holder} (e.g. the address alone, so that a sender changing ports
   * stays one exporter).
   *
   * @return the records delivered
   */
  public int decode(
      String exporter, String holder, byte[] b, int off, int len, Consumer<FlowRecord> out)
      throws ExportFormatException {
    return decodeInto(exporter, holder, b, off, len, v -> out.accept(v.toRecord()));
  }

  /**
   * Decodes one message as {@link #decode(String, String, byte[], int, int, Consumer)} does, into
   * {@code out}'s reused view: no allocation per record.
   *
   * @return the records delivered
   */
  public int decodeInto(String exporter, String holder, byte[] b, int off, int len, FlowSink out)
      throws ExportFormatException {
    if (len < 4) {
      throw fault(
          Kind.HEADER,
          exporter,
          0,
          "message of " + len + " bytes is shorter than any export header");
    }
    this.holder = holder;
    int version = u16(b, off);
    int n =
        switch (version) {
          case 5 -> decodeV5(exporter, b, off, len, out);
          case 9 -> decodeV9(exporter, b, off, len, out);
          case 10 -> decodeIpfix(exporter, b, off, len, out);
          default ->
              throw fault(
                  Kind.NOT_AN_EXPORT,
                  exporter,
                  0,
                  "version " + version + " is not NetFlow v5, v9 or IPFIX (10)");
        };
    messages++;
    return n;
  }

  private int decodeV5(String exporter, byte[] b, int off, int len, FlowSink out)
      throws ExportFormatException {
    if (len < V5_HEADER) {
      throw fault(Kind.HEADER, exporter, 0, "NetFlow v5 header needs 24 bytes, message has " + len);
    }
    int count = u16(b, off + 2);
    if (count > 30 || len < V5_HEADER + count * V5_RECORD) {
      throw fault(
          Kind.HEADER,
          exporter,
          2,
          "NetFlow v5 count " + count + " does not fit a message of " + len + " bytes");
    }
    long upMillis = u32(b, off + 4);
    long nowNanos = u32(b, off + 8) * 1_000_000_000L + u32(b, off + 12);
    long bootNanos = nowNanos - upMillis * 1_000_000L;
    long sequence = u32(b, off + 16);
    stream(exporter, 5, u16(b, off + 20)).sequence.follow(sequence, count, recordSequence);
    FlowView v = view;
    v.exporter = exporter;
    v.sourceHi = 0;
    v.destinationHi = 0;
    v.reversePackets = 0;
    v.reverseBytes = 0;
    for (int i = 0; i < count; i++) {
      int r = off + V5_HEADER + i * V5_RECORD;
      v.sourceLo = IpAddress.V4_MAPPED_MARK | u32(b, r);
      v.sourcePort = u16(b, r + 32);
      v.destinationLo = IpAddress.V4_MAPPED_MARK | u32(b, r + 4);
      v.destinationPort = u16(b, r + 34);
      v.protocol = b[r + 38] & 0xff;
      v.packets = u32(b, r + 16);
      v.bytes = u32(b, r + 20);
      v.firstNanos = bootNanos + u32(b, r + 24) * 1_000_000L;
      v.lastNanos = bootNanos + u32(b, r + 28) * 1_000_000L;
      v.tcpFlags = b[r + 37] & 0xff;
      out.flow(v);
    }
    records += count;
    return count;
  }

  private int decodeV9(String exporter, byte[] b, int off, int len, FlowSink out)
      throws ExportFormatException {
    if (len < 20) {
      throw fault(Kind.HEADER, exporter, 0, "NetFlow v9 header needs 20 bytes, message has " + len);
    }
    long upMillis = u32(b, off + 4);
    messageMillis = u32(b, off + 8) * 1000L;
    long bootMillis = messageMillis - upMillis;
    long sequence = u32(b, off + 12);
    long sourceId = u32(b, off + 16);
    Stream stream = stream(exporter, 9, sourceId);
    stream.sequence.follow(sequence, 1, messageSequence);
    return readSets(exporter, 9, sourceId, stream, b, off, 20, len, bootMillis, out);
  }

  private int decodeIpfix(String exporter, byte[] b, int off, int len, FlowSink out)
      throws ExportFormatException {
    if (len < 16) {
      throw fault(Kind.HEADER, exporter, 0, "IPFIX header needs 16 bytes, message has " + len);
    }
    int length = u16(b, off + 2);
    if (length < 16 || length > len) {
      throw fault(
          Kind.HEADER,
          exporter,
          2,
          "IPFIX message length " + length + " does not fit the " + len + " bytes received");
    }
    messageMillis = u32(b, off + 4) * 1000L;
    long sequence = u32(b, off + 8);
    long domain = u32(b, off + 12);
    Stream stream = stream(exporter, 10, domain);
    dataRecordsInMessage = 0;
    unknownSetInMessage = false;
    int n = readSets(exporter, 10, domain, stream, b, off, 16, length, -1, out);
    stream.sequence.follow(sequence, dataRecordsInMessage, recordSequence);
    if (unknownSetInMessage) {
      stream.sequence
          .unknown(); // records of unknown length were skipped: the next message cannot be checked
    }
    return n;
  }

  /**
   * Reads the sets (v9: flowsets) from {@code pos} to {@code end}, both relative to {@code off}.
   *
   * @param bootMillis v9: the exporter's boot time from the header, for its sysUpTime fields
   */
  private int readSets(
      String exporter,
      int version,
      long domain,
      Stream stream,
      byte[] b,
      int off,
      int pos,
      int end,
      long bootMillis,
      FlowSink out)
      throws ExportFormatException {
    int delivered = 0;
    int templateSet = version == 9 ? 0 : 2;
    int optionsSet = version == 9 ? 1 : 3;
    while (pos + 4 <= end) {
      int setId = u16(b, off + pos);
      int setLength = u16(b, off + pos + 2);
      if (setLength < 4 || pos + setLength > end) {
        throw fault(
            Kind.SET,
            exporter,
            pos + 2,
            "set " + setId + " length " + setLength + " runs past the message end (" + end + ")");
      }
      int body = pos + 4;
      int setEnd = pos + setLength;
      if (setId == templateSet) {
        readTemplates(exporter, version, domain, b, off, body, setEnd, false);
      } else if (setId == optionsSet) {
        readTemplates(exporter, version, domain, b, off, body, setEnd, true);
      } else if (setId >= 256) {
        ExportTemplate t = templates.use(exporter, version, domain, setId);
        if (t == null) {
          unknownTemplateSets++;
          unknownSetInMessage = true;
        } else {
          // IPFIX has no uptime in its header: an options record earlier in this message may have
          // just told it.
          long boot = version == 9 ? bootMillis : stream.bootMillis;
          int got = readData(exporter, stream, t, b, off, body, setEnd, boot, out);
          delivered += got;
          records += got; // counted as delivered, even if a later set of this message is broken
        }
      } else if (version == 10 || setId > 1) {
        throw fault(Kind.SET, exporter, pos, "set id " + setId + " is reserved");
      }
      pos = setEnd;
    }
    return delivered;
  }

  private Stream stream(String exporter, int version, long domain) {
    Stream s = streams.get(streamProbe.set(exporter, version, domain));
    if (s == null) {
      s = new Stream();
      streams.put(new StreamKey().set(exporter, version, domain), s);
    }
    return s;
  }

  private void readTemplates(
      String exporter,
      int version,
      long domain,
      byte[] b,
      int off,
      int pos,
      int end,
      boolean options)
      throws ExportFormatException {
    // A set may end in padding shorter than a template header.
    while (pos + 4 <= end) {
      int id = u16(b, off + pos);
      int fieldCount;
      int scopeCount = 0;
      int fieldsAt;
      if (options && version == 9) {
        if (pos + 6 > end) {
          throw refuse(exporter, pos, "options template " + id + " header runs past its set");
        }
        int scopeBytes = u16(b, off + pos + 2);
        int optionBytes = u16(b, off + pos + 4);
        if (scopeBytes % 4 != 0 || optionBytes % 4 != 0) {
          throw refuse(
              exporter,
              pos + 2,
              "options template "
                  + id
                  + " lengths "
                  + scopeBytes
                  + "/"
                  + optionBytes
                  + " are not whole fields");
        }
        fieldCount = (scopeBytes + optionBytes) / 4;
        fieldsAt = pos + 6;
      } else {
        fieldCount = u16(b, off + pos + 2);
        fieldsAt = pos + 4;
        if (options) {
          if (pos + 6 > end) {
            throw refuse(exporter, pos, "options template " + id + " header runs past its set");
          }
          scopeCount = u16(b, off + pos + 4);
          fieldsAt = pos + 6;
        }
      }
      if (id == 0 && fieldCount == 0 && version == 9) {
        break; // padding
      }
      if (id < 256) {
        throw refuse(exporter, pos, "template id " + id + " is below 256");
      }
      TemplateStore.Key key = new TemplateStore.Key(exporter, version, domain, id);
      if (fieldCount == 0) {
        templates.remove(key); // IPFIX template withdrawal
        pos = fieldsAt;
        continue;
      }
      if (scopeCount > fieldCount) {
        throw refuse(
            exporter, pos + 4, "options template " + id + " has more scope fields than fields");
      }
      if (fieldCount > (end - fieldsAt) / 4) {
        // Checked before anything is allocated: the count is the sender's word, the set's length is
        // not.
        throw refuse(
            exporter,
            pos + 2,
            "template "
                + id
                + " declares "
                + fieldCount
                + " fields; its set has room for "
                + (end - fieldsAt) / 4);
      }
      int[] fields = new int[fieldCount];
      int[] enterprises = null;
      int p = fieldsAt;
      long min = 0;
      boolean fixed = true;
      for (int i = 0; i < fieldCount; i++) {
        if (p + 4 > end) {
          throw refuse(
              exporter,
              p,
              "template " + id + " field " + (i + 1) + " of " + fieldCount + " runs past its set");
        }
        int element = u16(b, off + p);
        int length = u16(b, off + p + 2);
        p += 4;
        if (version == 10 && (element & 0x8000) != 0) {
          if (p + 4 > end) {
            throw refuse(exporter, p, "template " + id + " enterprise number runs past its set");
          }
          if (enterprises == null) {
            enterprises = new int[fieldCount];
          }
          enterprises[i] = i32(b, off + p);
          element &= 0x7fff;
          p += 4;
        }
        if (length == 0 || (length == 65535 && version == 9)) {
          throw refuse(
              exporter, p - 2, "template " + id + " field " + element + " has length " + length);
        }
        fields[i] = element << 16 | length;
        min += length == 65535 ? 1 : length;
        fixed &= length != 65535;
      }
      int room = MAX_MESSAGE - (version == 9 ? 20 : 16) - 4;
      if (min > room) {
        throw refuse(
            exporter,
            pos,
            "template "
                + id
                + " describes records of at least "
                + min
                + " bytes; no message can carry one (at most "
                + room
                + " bytes of data)");
      }
      templates.put(
          key, holder, new ExportTemplate(fields, enterprises, options, (int) min, fixed));
      pos = p;
    }
  }

  private int readData(
      String exporter,
      Stream stream,
      ExportTemplate t,
      byte[] b,
      int off,
      int pos,
      int end,
      long bootMillis,
      FlowSink out)
      throws ExportFormatException {
    int n = 0;
    Fields f = recordFields;
    int fieldCount = t.fieldCount();
    int minLength = t.minLength();
    while (end - pos >= minLength) {
      f.clear();
      if (t.fixedLength()) {
        // The record fits (checked above), so no field can run past the set.
        int at = off + pos;
        for (int i = 0; i < fieldCount; i++) {
          int length = t.length(i);
          f.take(t.element(i), b, at, length);
          at += length;
        }
        pos += minLength;
      } else {
        pos = readVariable(exporter, t, b, off, pos, end, f);
      }
      dataRecordsInMessage++;
      if (t.options()) {
        if (f.systemInitMillis >= 0) {
          stream.bootMillis = f.systemInitMillis;
        }
        continue;
      }
      if (f.toView(view, exporter, bootMillis, messageMillis)) {
        out.flow(view);
        n++;
      }
    }
    return n;
  }

  /** Reads one record of a template with variable-length fields; returns where it ends. */
  private static int readVariable(
      String exporter, ExportTemplate t, byte[] b, int off, int pos, int end, Fields f)
      throws ExportFormatException {
    for (int i = 0; i < t.fieldCount(); i++) {
      int length = t.length(i);
      if (length == 65535) {
        if (pos + 1 > end) {
          throw fault(Kind.RECORD, exporter, pos, "variable-length field runs past its set");
        }
        length = b[off + pos] & 0xff;
        pos++;
        if (length == 255) {
          if (pos + 2 > end) {
            throw fault(Kind.RECORD, exporter, pos, "variable-length field runs past its set");
          }
          length = u16(b, off + pos);
          pos += 2;
        }
      }
      if (pos + length > end) {
        throw fault(
            Kind.RECORD,
            exporter,
            pos,
            "field " + (t.element(i) & 0xffff) + " of " + length + " bytes runs past its set");
      }
      f.take(t.element(i), b, off + pos, length);
      pos += length;
    }
    return pos;
  }

  /** The values of one data record that make a flow record; reset for each record. */
  private static final class Fields {
    boolean hasSource;
    long sourceHi;
    long sourceLo;
    boolean hasDestination;
    long destinationHi;
    long destinationLo;
    int srcPort;
    int dstPort;
    int protocol;
    int flags;
    long packets;
    long bytes;
    long reversePackets;
    long reverseBytes;
    long startMillis;
    long endMillis;
    long startUp;
    long endUp;
    long systemInitMillis;

    void clear() {
      hasSource = false;
      hasDestination = false;
      srcPort = 0;
      dstPort = 0;
      protocol = 0;
      flags = 0;
      packets = 0;
      bytes = 0;
      reversePackets = 0;
      reverseBytes = 0;
      startMillis = -1;
      endMillis = -1;
      startUp = -1;
      endUp = -1;
      systemInitMillis = -1;
    }

    void take(long element, byte[] b, int at, int length) {
      if (element >>> 16 == REVERSE_PEN) {
        switch ((int) (element & 0xffff)) {
          case 1, 85 -> reverseBytes = unsigned(b, at, length);
          case 2, 86 -> reversePackets = unsigned(b, at, length);
          default -> {}
        }
        return;
      }
      if (element >>> 16 != 0) {
        return;
      }
      switch ((int) element) {
        case 1, 85 -> bytes = unsigned(b, at, length);
        case 2, 86 -> packets = unsigned(b, at, length);
        case 4 -> protocol = (int) unsigned(b, at, length);
        case 6 -> flags = (int) unsigned(b, at, length);
        case 7 -> srcPort = port(b, at, length, srcPort);
        case 11 -> dstPort = port(b, at, length, dstPort);
        case 8, 27 -> {
          if (length == 4 || length == 16) {
            hasSource = true;
            sourceHi = length == 4 ? 0 : unsigned(b, at, 8);
            sourceLo = length == 4 ? IpAddress.V4_MAPPED_MARK | u32(b, at) : unsigned(b, at + 8, 8);
          }
        }
        case 12, 28 -> {
          if (length == 4 || length == 16) {
            hasDestination = true;
            destinationHi = length == 4 ? 0 : unsigned(b, at, 8);
            destinationLo =
                length == 4 ? IpAddress.V4_MAPPED_MARK | u32(b, at) : unsigned(b, at + 8, 8);
          }
        }
        case 22 -> startUp = unsigned(b, at, length);
        case 21 -> endUp = unsigned(b, at, length);
        case 150 -> startMillis = unsigned(b, at, length) * 1000L;
        case 151 -> endMillis = unsigned(b, at, length) * 1000L;
        case 152 -> startMillis = unsigned(b, at, length);
        case 153 -> endMillis = unsigned(b, at, length);
        case 154, 156 -> startMillis = ntpMillis(b, at, length);
        case 155, 157 -> endMillis = ntpMillis(b, at, length);
        case 160 -> systemInitMillis = unsigned(b, at, length);
        default -> {}
      }
    }

    /** Fills {@code v} with the record; false if it is no IP flow (e.g. a layer-2 template). */
    boolean toView(FlowView v, String exporter, long bootMillis, long messageMillis) {
      if (!hasSource || !hasDestination) {
        return false;
      }
      long start = startMillis;
      long end = endMillis;
      if (start < 0 && startUp >= 0 && bootMillis >= 0) {
        start = bootMillis + startUp;
      }
      if (end < 0 && endUp >= 0 && bootMillis >= 0) {
        end = bootMillis + endUp;
      }
      if (start < 0) {
        start = end >= 0 ? end : messageMillis;
      }
      if (end < 0) {
        end = start;
      }
      long startNanos = start * 1_000_000L;
      long endNanos = end * 1_000_000L;
      v.exporter = exporter;
      v.sourceHi = sourceHi;
      v.sourceLo = sourceLo;
      v.sourcePort = srcPort;
      v.destinationHi = destinationHi;
      v.destinationLo = destinationLo;
      v.destinationPort = dstPort;
      v.protocol = protocol;
      v.packets = packets;
      v.bytes = bytes;
      v.reversePackets = reversePackets;
      v.reverseBytes = reverseBytes;
      v.firstNanos = startNanos;
      v.lastNanos = Math.max(startNanos, endNanos);
      v.tcpFlags = flags;
      return true;
    }

    /**
     * A port is two bytes, or one in reduced-size encoding (RFC 7011 6.2); a wider field is no
     * port.
     */
    private static int port(byte[] b, int at, int length, int previous) {
      return length <= 2 ? (int) unsigned(b, at, length) : previous;
    }

    /**
     * An NTP timestamp (RFC 7011 dateTimeMicroseconds/Nanoseconds: seconds since 1900 and a
     * fraction).
     */
    private static long ntpMillis(byte[] b, int at, int length) {
      if (length != 8) {
        return -1;
      }
      long seconds = u32(b, at) - 2_208_988_800L;
      long fraction = u32(b, at + 4);
      return seconds * 1000L + (fraction * 1000L >>> 32);
    }
  }

  private static ExportFormatException fault(
      Kind kind, String exporter, int offset, String reason) {
    return new ExportFormatException(
        kind, exporter + ": byte " + offset + " of the message: " + reason);
  }

  /** A template not kept: counted, and the fault of its message. */
  private ExportFormatException refuse(String exporter, int offset, String reason) {
    templatesRefused++;
    return fault(Kind.TEMPLATE, exporter, offset, reason);
  }

  static long unsigned(byte[] b, int at, int length) {
    switch (length) {
      case 1:
        return b[at] & 0xff;
      case 2:
        return u16(b, at);
      case 4:
        return u32(b, at);
      case 8:
        return u32(b, at) << 32 | u32(b, at + 4);
      default:
        break;
    }
    long v = 0;
    for (int i = 0; i < Math.min(length, 8); i++) {
      v = v << 8 | (b[at + i] & 0xff);
    }
    return v;
  }

  static int u16(byte[] b, int at) {
    return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
  }

  static int i32(byte[] b, int at) {
    return (b[at] & 0xff) << 24
        | (b[at + 1] & 0xff) << 16
        | (b[at + 2] & 0xff) << 8
        | (b[at + 3] & 0xff);
  }

  static long u32(byte[] b, int at) {
    return i32(b, at) & 0xffff_ffffL;
  }
}
