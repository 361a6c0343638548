package org.minewatch.capture;

import java.io.IOException;
import java.nio.file.Path;

/** A file that is not a capture in any format MineWatch reads. */
public final class CaptureFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public CaptureFormatException(Path file, String reason) {
    super(file + ": " + reason);
  }
}
