package org.minewatch.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import org.minewatch.cli.live.LiveProbe;
import org.minewatch.cli.push.ServerOptions;

/**
 * What the commands that run until stopped (watch, collect) share: their output and statistics
 * options, delivery to a server, opt-in probing, and where their messages go.
 */
abstract class LiveCommand implements Callable<Integer> {
  @picocli.CommandLine.Mixin LiveOptions live = new LiveOptions();

  @picocli.CommandLine.Mixin ServerOptions server = new ServerOptions();

  @picocli.CommandLine.Mixin ProbeOptions probe = new ProbeOptions();

  final PrintStream err;

  /** The prober, once the command runs with {@code --probe}; else null. */
  LiveProbe liveProbe;

  LiveCommand(PrintStream err) {
    this.err = err;
  }
}
