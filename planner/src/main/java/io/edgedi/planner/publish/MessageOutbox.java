package io.edgedi.planner.publish;

import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * Sends one message and returns once the broker has it (QoS 1 acknowledgement). The planner's MQTT
 * connection in production, a recorder in tests.
 */
@FunctionalInterface
public interface MessageOutbox {
  /**
   * @throws MqttException the broker did not take it (e.g. it is away); the caller retries
   */
  void publish(String topic, byte[] payload) throws MqttException;
}
