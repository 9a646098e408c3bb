package io.edgedi.cli;

import io.edgedi.broker.embedded.EmbeddedBroker;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the HiveMQ CE broker in this JVM with the project's access control. */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description = "Run an embedded HiveMQ CE broker with EdgeDI's users and topic permissions.")
final class BrokerCommand implements Callable<Integer> {
  @Option(
      names = "--port",
      defaultValue = "1883",
      description = "TCP port (default ${DEFAULT-VALUE}; 0 = any free).")
  int port;

  @Option(
      names = "--bind",
      defaultValue = "127.0.0.1",
      description = "Address to listen on (default ${DEFAULT-VALUE}).")
  String bind;

  @Option(
      names = "--users",
      defaultValue = "${env:EDGEDI_USERS_FILE}",
      required = true,
      description = "Users file, one user:role:pbkdf2-hash per line (env EDGEDI_USERS_FILE).")
  Path users;

  @Override
  public Integer call() throws Exception {
    EmbeddedBroker broker =
        EmbeddedBroker.builder().port(port).bindAddress(bind).usersFile(users).start();
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  broker.close();
                  stop.countDown();
                }));
    System.err.println("broker listening on " + broker.url());
    stop.await();
    return 0;
  }
}
