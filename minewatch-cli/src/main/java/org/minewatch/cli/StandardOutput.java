package org.minewatch.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * Standard output for a command's results: a writer that closing flushes but does not close, as the
 * stream is not the command's (a later command in the same process, or the shell's next line, still
 * needs it), and that reports a failed write, which {@link PrintStream} only records.
 */
final class StandardOutput {
  private StandardOutput() {}

  static Writer writer() {
    PrintStream out = System.out;
    OutputStream keepOpen =
        new OutputStream() {
          @Override
          public void write(int b) {
            out.write(b);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            out.write(b, off, len);
          }

          @Override
          public void flush() throws IOException {
            out.flush();
            if (out.checkError()) {
              throw new IOException("a closed pipe or a full disk");
            }
          }

          @Override
          public void close() throws IOException {
            flush();
          }
        };
    return new BufferedWriter(new OutputStreamWriter(keepOpen, StandardCharsets.UTF_8));
  }
}
