package io.edgedi.broker.mosquitto;

import io.edgedi.broker.users.UsersFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A local Eclipse Mosquitto 2 process on a free loopback port with the EdgeDI ACL and a password
 * file, for tests and trials against a plant's own broker. Needs the {@code mosquitto} and {@code
 * mosquitto_passwd} binaries (Debian package {@code mosquitto}); {@link #binary()} says whether
 * they are there.
 */
public final class MosquittoProcess implements AutoCloseable {

  private static final List<Path> SEARCH =
      List.of(
          Path.of("/usr/sbin"),
          Path.of("/usr/local/sbin"),
          Path.of("/usr/bin"),
          Path.of("/usr/local/bin"));
  private static final long START_TIMEOUT_MILLIS = 15_000;

  private final Process process;
  private final int port;
  private final Path log;

  private MosquittoProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** The mosquitto broker binary, if installed (sbin is often not on a user's PATH). */
  public static Optional<Path> binary() {
    return find("mosquitto");
  }

  /**
   * Writes acl, passwd and mosquitto.conf into {@code dir} and starts Mosquitto on them.
   *
   * @param passwords the clear password of every user in {@code users}; passed to {@code
   *     mosquitto_passwd -b}, so they show in the process list while it runs: test credentials only
   */
  public static MosquittoProcess start(Path dir, UsersFile users, Map<String, char[]> passwords)
      throws IOException, InterruptedException {
    Path mosquitto =
        binary().orElseThrow(() -> new IllegalStateException("mosquitto is not installed"));
    Path mosquittoPasswd =
        find("mosquitto_passwd")
            .orElseThrow(() -> new IllegalStateException("mosquitto_passwd is not installed"));
    Files.createDirectories(dir);
    Path acl = dir.resolve("acl");
    Path passwd = dir.resolve("passwd");
    Files.writeString(acl, MosquittoAcl.render(users));
    Files.deleteIfExists(passwd);
    Files.createFile(passwd);
    for (var account : users.accounts()) {
      char[] password = passwords.get(account.name());
      if (password == null) {
        throw new IllegalArgumentException("no password for " + account.name());
      }
      run(
          dir,
          mosquittoPasswd.toString(),
          "-b",
          passwd.toString(),
          account.name(),
          new String(password));
    }
    int port = freePort();
    Path conf = dir.resolve("mosquitto.conf");
    Files.writeString(
        conf,
        new MosquittoConf("127.0.0.1", port, passwd, acl, System.getProperty("user.name"))
            .render());
    Path log = dir.resolve("mosquitto.log");
    Process process =
        new ProcessBuilder(mosquitto.toString(), "-c", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    MosquittoProcess started = new MosquittoProcess(process, port, log);
    started.awaitListening();
    return started;
  }

  public String url() {
    return "tcp://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** What Mosquitto logged so far (errors, warnings, notices). */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitListening() throws InterruptedException {
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
    while (System.currentTimeMillis() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "mosquitto exited with " + process.exitValue() + ": " + log());
      }
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    close();
    throw new IllegalStateException(
        "mosquitto did not listen on "
            + port
            + " within "
            + START_TIMEOUT_MILLIS
            + " ms: "
            + log());
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static Optional<Path> find(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String entry : path.split(java.io.File.pathSeparator)) {
      if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, name))) {
        return Optional.of(Path.of(entry, name));
      }
    }
    return SEARCH.stream().map(d -> d.resolve(name)).filter(Files::isExecutable).findFirst();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void run(Path dir, String... command) throws IOException, InterruptedException {
    Path out = dir.resolve("mosquitto_passwd.log");
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(command[0] + " failed: " + Files.readString(out));
    }
  }
}
