package io.edgedi.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code edgedi} command: one subcommand per job. */
@Command(
    name = "edgedi",
    mixinStandardHelpOptions = true,
    version = "edgedi 0.1.0",
    description = "Partitioned CNN defect inspection across unequal edge devices over MQTT.",
    subcommands = {
      ModelsCommand.class,
      ExactnessCommand.class,
      BrokerCommand.class,
      PlannerCommand.class,
      WorkerCommand.class,
      CameraCommand.class,
      DemoCommand.class,
      ChaosCommand.class,
      UsersCommand.class,
      WeightsCommand.class,
      TrainCommand.class,
      PruneCommand.class,
      EvalCommand.class,
      CalibrateCommand.class,
      WindowHeadCommand.class,
      EmulateCommand.class,
      BenchCommand.class,
      PingCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  static {
    // HiveMQ's jar carries a logback.xml too; name ours explicitly so the choice is not left to
    // class path order (and logback does not warn about the duplicate on every start).
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "edgedi-logback.xml");
    }
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    return new CommandLine(new Main())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(Main::usageError)
        .execute(args);
  }

  /**
   * Bad input to a command (a missing folder, a wrong weight file, an impossible option) ends with
   * one line naming the command and exit code 2; anything else is a bug and keeps its stack trace.
   */
  private static int usageError(Exception e, CommandLine cmd, CommandLine.ParseResult parsed)
      throws Exception {
    if (e instanceof IllegalArgumentException
        || e instanceof java.io.IOException
        || e instanceof io.edgedi.inference.weights.WeightFileException) {
      cmd.getErr().println("edgedi " + cmd.getCommandName() + ": " + e.getMessage());
      return 2;
    }
    throw e;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
