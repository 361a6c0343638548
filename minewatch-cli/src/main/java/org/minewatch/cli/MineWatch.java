package org.minewatch.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code minewatch} command. */
@Command(name = "minewatch", mixinStandardHelpOptions = true, version = "MineWatch 0.1.0",
    description = "Finds cryptocurrency mining in network data and explains each finding.",
    subcommands = {ScanCommand.class, WatchCommand.class, CollectCommand.class, ProbeCommand.class, ReportCommand.class, IntelCommand.class, org.minewatch.cli.push.PushCommand.class,
        org.minewatch.cli.serve.ServeCommand.class, org.minewatch.cli.serve.UsersCommand.class,
        org.minewatch.cli.serve.AuditCommand.class, org.minewatch.cli.serve.RegistryCommand.class,
        CommandLine.HelpCommand.class})
public final class MineWatch implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (try: minewatch scan FILE)");
  }

  public static int run(String... args) {
    return new CommandLine(new MineWatch()).execute(args); // picocli exits 2 on unusable arguments
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }
}
