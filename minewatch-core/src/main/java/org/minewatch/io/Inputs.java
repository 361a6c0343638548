package org.minewatch.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Opens input files whether or not they are gzip-compressed, recognised by their magic number. */
public final class Inputs {
  private Inputs() {}

  /** The file's content, inflated (ahead, on a second core where there is one) if it is gzip. */
  public static InputStream open(Path file) throws IOException {
    return open(file, true);
  }

  private static InputStream open(Path file, boolean readAhead) throws IOException {
    PushbackInputStream in = new PushbackInputStream(Files.newInputStream(file), 2);
    byte[] magic = new byte[2];
    int n = in.readNBytes(magic, 0, 2);
    in.unread(magic, 0, n);
    if (n < 2 || (magic[0] & 0xff) != 0x1f || (magic[1] & 0xff) != 0x8b) {
      return in;
    }
    InputStream inflated = new GZIPInputStream(in, 1 << 16);
    return readAhead ? ReadAheadInputStream.of(inflated) : inflated;
  }

  public static BufferedReader openText(Path file) throws IOException {
    return text(open(file));
  }

  /** UTF-8 lines of a stream already decompressed. */
  public static BufferedReader text(InputStream in) {
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
  }

  /**
   * A stream that cannot seek (a pipe, standard input), decompressed if it is gzip, with its first
   * bytes read to recognise its format.
   *
   * @param head up to {@code max} bytes from the start (fewer if the stream is shorter)
   * @param stream the whole content, those first bytes included
   */
  public record Peeked(byte[] head, InputStream stream) {}

  public static Peeked peek(InputStream raw, int max) throws IOException {
    PushbackInputStream in = new PushbackInputStream(raw, 2);
    byte[] magic = new byte[2];
    int n = in.readNBytes(magic, 0, 2);
    in.unread(magic, 0, n);
    InputStream data =
        n == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b
            ? ReadAheadInputStream.of(new GZIPInputStream(in, 1 << 16))
            : in;
    byte[] head = data.readNBytes(max);
    return new Peeked(
        head, new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(head), data));
  }

  /**
   * The first {@code max} bytes of a file (decompressed if gzip), fewer if it is shorter; empty if
   * unreadable.
   */
  public static byte[] head(Path file, int max) {
    // Not read ahead: a few KiB are wanted, not megabytes inflated on another thread.
    try (InputStream in = open(file, false)) {
      return in.readNBytes(max);
    } catch (IOException | RuntimeException e) {
      return new byte[0];
    }
  }

  /**
   * Why a file could not be opened, read or written, in words: the operating system's reason
   * ("permission denied", "is a directory", "no space left on device"), never a Java class name.
   */
  public static String reason(IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.NotDirectoryException) {
      return "not a directory";
    }
    if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
      return lowerFirst(f.getReason());
    }
    if (e instanceof java.nio.charset.CharacterCodingException) {
      return "not UTF-8 text";
    }
    if (e instanceof java.util.zip.ZipException || e instanceof java.io.EOFException) {
      return "the data ends early or is corrupt"
          + (e.getMessage() != null ? " (" + e.getMessage() + ")" : "");
    }
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      return "input/output error";
    }
    // FileInputStream and friends say "PATH (Reason)": the caller names the file already.
    int paren = m.lastIndexOf(" (");
    if (paren > 0 && m.endsWith(")")) {
      return lowerFirst(m.substring(paren + 2, m.length() - 1));
    }
    return lowerFirst(m);
  }

  private static String lowerFirst(String s) {
    return s.isEmpty() || (s.length() > 1 && Character.isUpperCase(s.charAt(1)))
        ? s
        : Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }
}
