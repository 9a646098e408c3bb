package io.edgedi.broker.embedded;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import io.edgedi.broker.embedded.BrokerConfig.Persistence;
import io.edgedi.broker.extension.AccessControlExtension;
import io.edgedi.broker.users.UsersFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A HiveMQ CE broker inside this JVM, with EdgeDI's limits and access control, for the demo and the
 * tests. Starting takes 2-6 s, closing 4-5 s: share one broker across a test class.
 *
 * <pre>{@code
 * try (EmbeddedBroker broker = EmbeddedBroker.builder().usersFile(path).start()) {
 *     client = new MqttAsyncClient(broker.url(), "planner-1", new MemoryPersistence());
 * }
 * }</pre>
 *
 * <p><b>Restarts.</b> A HiveMQ instance cannot be started again once stopped, so this class has no
 * restart: a restart is a new broker on the same home folder and port. Give the first broker a
 * {@link Builder#homeFolder home folder} and {@link Persistence#FILE file persistence}, close it,
 * then {@code broker.toBuilder().start()}: persistent sessions and their queued QoS 1 messages
 * survive. Without a home folder a temporary one is used and deleted on close.
 *
 * <p><b>Folder layout</b> under the home folder: {@code conf/config.xml} (written from {@link
 * BrokerConfig}), {@code data/}, {@code extensions/} (empty: the access control runs as an embedded
 * extension).
 *
 * <p><b>Side effects on the JVM.</b> HiveMQ's embedded mode sets a JVM-wide flag that admits
 * clients when no authenticator is registered; this class therefore refuses to run unless the
 * access control extension started. HiveMQ also installs a default uncaught-exception handler that
 * calls {@code System.exit}; the previous handler is put back after start so that an error in the
 * host application cannot end the JVM through it. HiveMQ's logging bootstrap is off: the host
 * application's logback configuration applies. HiveMQ's extension services are static, so run one
 * embedded broker per JVM at a time.
 *
 * <p>Thread-safe.
 */
public final class EmbeddedBroker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);
  private static final long START_TIMEOUT_SECONDS = 120;

  /** A port found free can be taken by someone else before HiveMQ binds it; try a new one then. */
  private static final int FREE_PORT_ATTEMPTS = 3;

  private final Builder settings;
  private final BrokerConfig config;
  private final Path homeFolder;
  private final boolean deleteHomeOnClose;
  private final EmbeddedHiveMQ hiveMQ;
  private boolean closed;

  private EmbeddedBroker(
      Builder settings,
      BrokerConfig config,
      Path homeFolder,
      boolean deleteHomeOnClose,
      EmbeddedHiveMQ hiveMQ) {
    this.settings = settings;
    this.config = config;
    this.homeFolder = homeFolder;
    this.deleteHomeOnClose = deleteHomeOnClose;
    this.hiveMQ = hiveMQ;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The port the MQTT listener is bound to (the chosen one when the builder said 0). */
  public int port() {
    return config.port();
  }

  /** The URL for clients on this machine, {@code tcp://127.0.0.1:PORT}. */
  /** {@code ssl://127.0.0.1:PORT} of the TLS listener, or null without one. */
  public String tlsUrl() {
    return config.tls() == null ? null : "ssl://127.0.0.1:" + config.tls().port();
  }

  public String url() {
    return "tcp://127.0.0.1:" + config.port();
  }

  /** The settings written into config.xml. */
  public BrokerConfig config() {
    return config;
  }

  /** The folder holding {@code conf/}, {@code data/} and {@code extensions/}. */
  public Path homeFolder() {
    return homeFolder;
  }

  /**
   * A builder with this broker's settings, its actual port and, if it was given one, its home
   * folder: after {@link #close()}, {@code toBuilder().start()} is the restart. (A temporary home
   * folder is gone after close, so the successor then gets a fresh one.)
   */
  public Builder toBuilder() {
    Builder successor = settings.copy().port(config.port());
    if (config.tls() != null) {
      successor.tls(config.tls().port(), config.tls().keyStore(), config.tls().password());
    }
    return deleteHomeOnClose ? successor : successor.homeFolder(homeFolder);
  }

  /** Stops the broker (clients are disconnected) and releases it; idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    long startNanos = System.nanoTime();
    try {
      hiveMQ.close();
    } catch (ExecutionException e) {
      throw new IllegalStateException("HiveMQ did not stop cleanly", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping HiveMQ", e);
    } finally {
      if (deleteHomeOnClose) {
        deleteRecursively(homeFolder);
      }
    }
    log.info(
        "Embedded broker on port {} stopped in {} ms",
        config.port(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
  }

  /** Settings for an {@link EmbeddedBroker}; not thread-safe. */
  public static final class Builder {
    private int port;
    private String bindAddress = "127.0.0.1";
    private Persistence persistence = Persistence.IN_MEMORY;
    private Path homeFolder;
    private UsersFile users;
    private Path usersFile;
    private long maxQueueSize = BrokerConfig.DEFAULT_MAX_QUEUE_SIZE;
    private BrokerConfig.TlsListener tls;
    private int serverReceiveMaximum = BrokerConfig.DEFAULT_SERVER_RECEIVE_MAXIMUM;
    private int maxPacketSize = BrokerConfig.DEFAULT_MAX_PACKET_SIZE;
    private long maxSessionExpirySeconds = BrokerConfig.DEFAULT_MAX_SESSION_EXPIRY_SECONDS;

    private Builder() {}

    /** Listener port; 0 (the default) picks a free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port " + port + " outside 0..65535");
      }
      this.port = port;
      return this;
    }

    /**
     * Listener address; default {@code 127.0.0.1}. Use {@code 0.0.0.0} when clients run in other
     * network namespaces or on other machines.
     */
    public Builder bindAddress(String bindAddress) {
      this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
      return this;
    }

    /** Default {@link Persistence#IN_MEMORY}. */
    public Builder persistence(Persistence persistence) {
      this.persistence = Objects.requireNonNull(persistence, "persistence");
      return this;
    }

    /**
     * A folder kept after close (needed for a restart); default a temporary folder deleted on
     * close.
     */
    public Builder homeFolder(Path homeFolder) {
      this.homeFolder = Objects.requireNonNull(homeFolder, "homeFolder");
      return this;
    }

    /**
     * Serve these users. Without this or {@link #usersFile}, {@value UsersFile#PATH_VARIABLE} names
     * the file.
     */
    public Builder users(UsersFile users) {
      this.users = Objects.requireNonNull(users, "users");
      this.usersFile = null;
      return this;
    }

    /** Serve the users of this file, read once at start. */
    public Builder usersFile(Path usersFile) {
      this.usersFile = Objects.requireNonNull(usersFile, "usersFile");
      this.users = null;
      return this;
    }

    /** Adds a TLS listener (port 0 = a free one) with the broker's key from a PKCS12 store. */
    public Builder tls(int tlsPort, java.nio.file.Path keyStore, String password) {
      this.tls = new BrokerConfig.TlsListener(tlsPort, keyStore, password);
      return this;
    }

    public Builder maxQueueSize(long maxQueueSize) {
      this.maxQueueSize = maxQueueSize;
      return this;
    }

    public Builder serverReceiveMaximum(int serverReceiveMaximum) {
      this.serverReceiveMaximum = serverReceiveMaximum;
      return this;
    }

    public Builder maxPacketSize(int maxPacketSize) {
      this.maxPacketSize = maxPacketSize;
      return this;
    }

    public Builder maxSessionExpirySeconds(long maxSessionExpirySeconds) {
      this.maxSessionExpirySeconds = maxSessionExpirySeconds;
      return this;
    }

    /**
     * Starts the broker and waits until it accepts connections.
     *
     * @throws IllegalStateException if no users are given, the users file is unreadable, or the
     *     broker or its access control does not start
     */
    public EmbeddedBroker start() {
      UsersFile resolvedUsers = resolveUsers();
      int attempts = port == 0 ? FREE_PORT_ATTEMPTS : 1;
      IllegalStateException lastFailure = null;
      for (int attempt = 1; attempt <= attempts; attempt++) {
        int chosenPort = port == 0 ? findFreePort(bindAddress) : port;
        BrokerConfig.TlsListener tlsListener =
            tls == null
                ? null
                : new BrokerConfig.TlsListener(
                    tls.port() == 0 ? findFreePort(bindAddress) : tls.port(),
                    tls.keyStore(),
                    tls.password());
        BrokerConfig config =
            new BrokerConfig(
                chosenPort,
                bindAddress,
                persistence,
                maxQueueSize,
                serverReceiveMaximum,
                maxPacketSize,
                maxSessionExpirySeconds,
                tlsListener);
        try {
          return startOnce(config, resolvedUsers);
        } catch (IllegalStateException e) {
          lastFailure = e;
          log.warn(
              "Embedded broker did not start on port {} (attempt {} of {}): {}",
              chosenPort,
              attempt,
              attempts,
              e.getMessage());
        }
      }
      throw lastFailure;
    }

    private EmbeddedBroker startOnce(BrokerConfig config, UsersFile resolvedUsers) {
      boolean temporaryHome = homeFolder == null;
      Path home = prepareHome(config);
      AccessControlExtension accessControl = new AccessControlExtension(resolvedUsers);
      EmbeddedHiveMQ hiveMQ =
          EmbeddedHiveMQ.builder()
              .withConfigurationFolder(home.resolve("conf"))
              .withDataFolder(home.resolve("data"))
              .withExtensionsFolder(home.resolve("extensions"))
              .withEmbeddedExtension(
                  EmbeddedExtension.builder()
                      .withId(AccessControlExtension.ID)
                      .withName("EdgeDI access control")
                      .withVersion("1")
                      .withPriority(1000)
                      .withStartPriority(1000)
                      .withExtensionMain(accessControl)
                      .build())
              .withoutLoggingBootstrap()
              .build();
      long startNanos = System.nanoTime();
      Thread.UncaughtExceptionHandler hostHandler = Thread.getDefaultUncaughtExceptionHandler();
      try {
        hiveMQ.start().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!accessControl.isStarted()) {
          throw new IllegalStateException(
              "access control extension did not start; refusing to run"
                  + " a broker that would admit anybody");
        }
        if (!accepts(config)) {
          throw new IllegalStateException(
              "HiveMQ started but nothing listens on port "
                  + config.port()
                  + "; was conf/config.xml rejected?");
        }
      } catch (ExecutionException | TimeoutException | InterruptedException | RuntimeException e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        closeQuietly(hiveMQ);
        if (temporaryHome) {
          deleteRecursively(home);
        }
        Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
        throw new IllegalStateException("embedded HiveMQ failed to start: " + cause, cause);
      } finally {
        Thread.setDefaultUncaughtExceptionHandler(hostHandler);
      }
      log.info(
          "Embedded broker listening on {}:{} ({} persistence) after {} ms",
          config.bindAddress(),
          config.port(),
          config.persistence().xmlValue(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
      return new EmbeddedBroker(copy(), config, home, temporaryHome, hiveMQ);
    }

    private UsersFile resolveUsers() {
      if (users != null) {
        return users;
      }
      Path file = usersFile;
      if (file == null) {
        String configured = System.getenv(UsersFile.PATH_VARIABLE);
        if (configured == null || configured.isBlank()) {
          throw new IllegalStateException(
              "no users: call users(...) or usersFile(...), or set " + UsersFile.PATH_VARIABLE);
        }
        file = Path.of(configured.strip());
      }
      try {
        return UsersFile.load(file);
      } catch (IOException | IllegalArgumentException e) {
        throw new IllegalStateException(
            "cannot read users file " + file + ": " + e.getMessage(), e);
      }
    }

    private Path prepareHome(BrokerConfig config) {
      try {
        Path home = homeFolder != null ? homeFolder : Files.createTempDirectory("edgedi-broker-");
        Files.createDirectories(home.resolve("conf"));
        Files.createDirectories(home.resolve("data"));
        Files.createDirectories(home.resolve("extensions"));
        Files.writeString(
            home.resolve("conf").resolve("config.xml"), config.toXml(), StandardCharsets.UTF_8);
        return home;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot prepare the broker's home folder", e);
      }
    }

    private Builder copy() {
      Builder copy = new Builder();
      copy.port = port;
      copy.bindAddress = bindAddress;
      copy.persistence = persistence;
      copy.homeFolder = homeFolder;
      copy.users = users;
      copy.usersFile = usersFile;
      copy.maxQueueSize = maxQueueSize;
      copy.serverReceiveMaximum = serverReceiveMaximum;
      copy.maxPacketSize = maxPacketSize;
      copy.maxSessionExpirySeconds = maxSessionExpirySeconds;
      copy.tls = tls;
      return copy;
    }
  }

  private static int findFreePort(String bindAddress) {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(bindAddress))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on " + bindAddress, e);
    }
  }

  /**
   * HiveMQ falls back to its default config (port 1883) when it cannot read ours: make sure it did
   * not.
   */
  private static boolean accepts(BrokerConfig config) {
    String host =
        "0.0.0.0".equals(config.bindAddress()) || "::".equals(config.bindAddress())
            ? "127.0.0.1"
            : config.bindAddress();
    try (Socket probe = new Socket()) {
      probe.connect(new InetSocketAddress(host, config.port()), 2_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void closeQuietly(EmbeddedHiveMQ hiveMQ) {
    try {
      hiveMQ.close();
    } catch (ExecutionException | RuntimeException e) {
      log.warn("HiveMQ did not close cleanly after a failed start", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void deleteRecursively(Path folder) {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(folder)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              path -> {
                try {
                  Files.deleteIfExists(path);
                } catch (IOException e) {
                  log.debug("Could not delete {}", path, e);
                }
              });
    } catch (IOException e) {
      log.warn("Could not delete broker folder {}", folder, e);
    }
  }
}
