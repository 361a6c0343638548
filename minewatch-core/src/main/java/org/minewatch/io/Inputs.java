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

  public static InputStream open(Path file) throws IOException {
    PushbackInputStream in = new PushbackInputStream(Files.newInputStream(file), 2);
    byte[] magic = new byte[2];
    int n = in.readNBytes(magic, 0, 2);
    in.unread(magic, 0, n);
    return n == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
  }

  public static BufferedReader openText(Path file) throws IOException {
    return new BufferedReader(new InputStreamReader(open(file), StandardCharsets.UTF_8), 1 << 16);
  }

  /** The first {@code max} bytes of a file (decompressed if gzip), fewer if it is shorter; empty if unreadable. */
  public static byte[] head(Path file, int max) {
    try (InputStream in = open(file)) {
      return in.readNBytes(max);
    } catch (IOException | RuntimeException e) {
      return new byte[0];
    }
  }
}
