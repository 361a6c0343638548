package org.minewatch.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code minewatch} command. */
@Command(
    name = "minewatch",
    mixinStandardHelpOptions = true,
    version = "MineWatch 0.1.0",
    description = "Finds cryptocurrency mining in network data and explains each finding.",
    subcommands = {
      ScanCommand.class,
      WatchCommand.class,
      CollectCommand.class,
      ProbeCommand.class,
      ReportCommand.class,
      IntelCommand.class,
      org.minewatch.cli.push.PushCommand.class,
      org.minewatch.cli.serve.ServeCommand.class,
      org.minewatch.cli.serve.UsersCommand.class,
      org.minewatch.cli.serve.AuditCommand.class,
      org.minewatch.cli.serve.RegistryCommand.class,
      CommandLine.HelpCommand.class
    })
public final class MineWatch implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "a command is required (try: minewatch scan FILE)");
  }

  public static int run(String... args) {
    CommandLine cli = new CommandLine(new MineWatch());
    // An I/O failure a command did not report itself (a disk that fills, a file that vanishes): one
    // line, not a
    // stack trace. Anything else is a bug, and its trace is what a report of it needs.
    cli.setExecutionExceptionHandler(
        (e, line, parsed) -> {
          if (!(e instanceof java.io.IOException io)) {
            throw e;
          }
          line.getErr()
              .println(
                  "minewatch " + line.getCommandName() + ": " + org.minewatch.io.Inputs.reason(io));
          return 1;
        });
    return cli.execute(args); // picocli exits 2 on unusable arguments
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }
}
