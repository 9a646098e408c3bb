package io.edgedi.transport;

import org.jspecify.annotations.Nullable;

/**
 * Where and as whom a component connects. Passwords come from options, environment or files, never
 * from code.
 */
public record MqttSettings(
    String brokerUrl, String clientId, @Nullable String username, char @Nullable [] password) {
  public MqttSettings {
    if (brokerUrl == null || !(brokerUrl.startsWith("tcp://") || brokerUrl.startsWith("ssl://"))) {
      throw new IllegalArgumentException(
          "broker URL must be tcp://host:port or ssl://host:port, got " + brokerUrl);
    }
    Topics.requireId("client", clientId);
  }

  public MqttSettings withClientId(String id) {
    return new MqttSettings(brokerUrl, id, username, password);
  }

  @Override
  public String toString() {
    return clientId + "@" + brokerUrl + " as " + username;
  }
}
