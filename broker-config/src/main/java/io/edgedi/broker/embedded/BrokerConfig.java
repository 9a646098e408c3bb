package io.edgedi.broker.embedded;

import java.util.Objects;

/**
 * The settings EdgeDI changes from HiveMQ's defaults, and the config.xml that applies them. The
 * deployment file {@code hivemq/config.xml} (a resource of this module) carries the same limits; a
 * test keeps the two in step and validates both against HiveMQ's {@code config.xsd}, because HiveMQ
 * silently falls back to its defaults when it cannot read config.xml.
 *
 * @param port TCP listener port (1..65535)
 * @param bindAddress address the listener binds to
 * @param persistence where sessions and queued messages live
 * @param maxQueueSize queued messages per client before HiveMQ discards; the default 1,000 loses
 *     QoS 1 messages silently (the publisher still gets its PUBACK)
 * @param serverReceiveMaximum unacknowledged QoS 1/2 publishes a client may have in flight; Paho
 *     fails the 11th with the default of 10
 * @param maxPacketSize largest MQTT packet in bytes
 * @param maxSessionExpirySeconds cap on the session expiry a client may ask for, so sessions of
 *     clients that never come back stop holding queued messages
 */
public record BrokerConfig(
    int port,
    String bindAddress,
    Persistence persistence,
    long maxQueueSize,
    int serverReceiveMaximum,
    int maxPacketSize,
    long maxSessionExpirySeconds,
    TlsListener tls) {

  /**
   * A TLS listener beside the TCP one: its port and a PKCS12 key store holding the broker's key.
   */
  public record TlsListener(int port, java.nio.file.Path keyStore, String password) {}

  /** Without a TLS listener. */
  public BrokerConfig(
      int port,
      String bindAddress,
      Persistence persistence,
      long maxQueueSize,
      int serverReceiveMaximum,
      int maxPacketSize,
      long maxSessionExpirySeconds) {
    this(
        port,
        bindAddress,
        persistence,
        maxQueueSize,
        serverReceiveMaximum,
        maxPacketSize,
        maxSessionExpirySeconds,
        null);
  }

  public static final long DEFAULT_MAX_QUEUE_SIZE = 100_000;
  public static final int DEFAULT_SERVER_RECEIVE_MAXIMUM = 1_000;

  /**
   * Equal to transport's {@code Wire.BROKER_MAX_PACKET_BYTES}, which the clients' payload limits
   * follow (a test checks).
   */
  public static final int DEFAULT_MAX_PACKET_SIZE = 16 * 1024 * 1024;

  public static final long DEFAULT_MAX_SESSION_EXPIRY_SECONDS = 24 * 60 * 60;

  /** Where HiveMQ keeps sessions, subscriptions, queued and retained messages. */
  public enum Persistence {
    /** Light (no RocksDB files); everything is gone when the broker stops. Demo and tests. */
    IN_MEMORY("in-memory"),
    /** Survives a restart on the same data folder; ~1,200 file descriptors and ~500 MB of disk. */
    FILE("file");

    private final String xmlValue;

    Persistence(String xmlValue) {
      this.xmlValue = xmlValue;
    }

    String xmlValue() {
      return xmlValue;
    }
  }

  public BrokerConfig {
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(persistence, "persistence");
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port " + port + " outside 1..65535");
    }
    if (maxQueueSize < 1) {
      throw new IllegalArgumentException("maxQueueSize must be positive");
    }
    if (serverReceiveMaximum < 1 || serverReceiveMaximum > 65_535) {
      throw new IllegalArgumentException("serverReceiveMaximum outside 1..65535");
    }
    if (maxPacketSize < 1 || maxPacketSize > 268_435_460) {
      throw new IllegalArgumentException("maxPacketSize outside 1..268435460");
    }
    if (maxSessionExpirySeconds < 0 || maxSessionExpirySeconds > 4_294_967_295L) {
      throw new IllegalArgumentException("maxSessionExpirySeconds outside 0..4294967295");
    }
  }

  /** EdgeDI's limits on the given listener. */
  public static BrokerConfig defaults(int port, String bindAddress, Persistence persistence) {
    return new BrokerConfig(
        port,
        bindAddress,
        persistence,
        DEFAULT_MAX_QUEUE_SIZE,
        DEFAULT_SERVER_RECEIVE_MAXIMUM,
        DEFAULT_MAX_PACKET_SIZE,
        DEFAULT_MAX_SESSION_EXPIRY_SECONDS);
  }

  private String tlsXml() {
    if (tls == null) {
      return "";
    }
    return """

                        <tls-tcp-listener>
                            <port>%d</port>
                            <bind-address>%s</bind-address>
                            <tls>
                                <keystore>
                                    <path>%s</path>
                                    <password>%s</password>
                                    <private-key-password>%s</private-key-password>
                                </keystore>
                            </tls>
                        </tls-tcp-listener>"""
        .formatted(
            tls.port(),
            escapeXml(bindAddress),
            escapeXml(tls.keyStore().toAbsolutePath().toString()),
            escapeXml(tls.password()),
            escapeXml(tls.password()));
  }

  /** The HiveMQ config.xml for these settings. */
  public String toXml() {
    return """
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- Written by io.edgedi.broker.embedded.BrokerConfig; changes here are overwritten. -->
                <hivemq>
                    <listeners>
                        <tcp-listener>
                            <port>%d</port>
                            <bind-address>%s</bind-address>
                        </tcp-listener>%s
                    </listeners>
                    <mqtt>
                        <queued-messages>
                            <max-queue-size>%d</max-queue-size>
                            <strategy>discard</strategy>
                        </queued-messages>
                        <receive-maximum>
                            <server-receive-maximum>%d</server-receive-maximum>
                        </receive-maximum>
                        <topic-alias>
                            <enabled>false</enabled>
                        </topic-alias>
                        <packets>
                            <max-packet-size>%d</max-packet-size>
                        </packets>
                        <session-expiry>
                            <max-interval>%d</max-interval>
                        </session-expiry>
                    </mqtt>
                    <security>
                        <allow-empty-client-id>
                            <enabled>true</enabled>
                        </allow-empty-client-id>
                    </security>
                    <persistence>
                        <mode>%s</mode>
                    </persistence>
                    <anonymous-usage-statistics>
                        <enabled>false</enabled>
                    </anonymous-usage-statistics>
                </hivemq>
                """
        .formatted(
            port,
            escapeXml(bindAddress),
            tlsXml(),
            maxQueueSize,
            serverReceiveMaximum,
            maxPacketSize,
            maxSessionExpirySeconds,
            persistence.xmlValue());
  }

  private static String escapeXml(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
