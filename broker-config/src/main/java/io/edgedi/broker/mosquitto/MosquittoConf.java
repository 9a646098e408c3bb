package io.edgedi.broker.mosquitto;

import io.edgedi.broker.embedded.BrokerConfig;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A {@code mosquitto.conf} for Eclipse Mosquitto 2 with the limits the EdgeDI HiveMQ configuration
 * sets ({@link BrokerConfig}): Mosquitto's defaults would drop QoS 1 messages silently after 1,000
 * queued per client and let a Paho client have only 20 publishes in flight.
 *
 * @param bindAddress listener address, e.g. {@code 127.0.0.1}
 * @param port listener port
 * @param passwordFile made with {@code mosquitto_passwd}
 * @param aclFile made by {@link MosquittoAcl}
 * @param runAsUser the account Mosquitto switches to when started as root (its default is {@code
 *     mosquitto}, which cannot read files in another user's private folder); null: Mosquitto's
 *     default
 */
public record MosquittoConf(
    String bindAddress, int port, Path passwordFile, Path aclFile, String runAsUser) {

  public MosquittoConf {
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(passwordFile, "passwordFile");
    Objects.requireNonNull(aclFile, "aclFile");
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port " + port);
    }
  }

  public String render() {
    return """
                # EdgeDI on Eclipse Mosquitto 2 (./edgedi users --mosquitto); see docs/mosquitto.md
                per_listener_settings false
                listener %d %s
                allow_anonymous false
                password_file %s
                acl_file %s
                # mosquitto's receive maximum for clients: Paho fails a publish beyond it
                max_inflight_messages %d
                max_queued_messages %d
                max_packet_size %d
                set_tcp_nodelay true
                persistence false
                log_dest stderr
                log_type error
                log_type warning
                log_type notice
                """
            .formatted(
                port,
                bindAddress,
                passwordFile.toAbsolutePath(),
                aclFile.toAbsolutePath(),
                BrokerConfig.DEFAULT_SERVER_RECEIVE_MAXIMUM,
                BrokerConfig.DEFAULT_MAX_QUEUE_SIZE,
                BrokerConfig.DEFAULT_MAX_PACKET_SIZE)
        + (runAsUser == null ? "" : "user " + runAsUser + "\n");
  }
}
