package io.edgedi.cli;

import io.edgedi.transport.MqttSettings;
import io.edgedi.transport.StatusServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How a component reaches the broker. Every option has an environment variable so that a container
 * or a k3s manifest can set it; the password never needs to be on the command line.
 */
final class BrokerOptions {
  @Option(
      names = "--broker",
      defaultValue = "${env:EDGEDI_BROKER:-tcp://127.0.0.1:1883}",
      description = "Broker URL (env EDGEDI_BROKER; default ${DEFAULT-VALUE}).")
  String url;

  @Option(
      names = "--user",
      defaultValue = "${env:EDGEDI_USER}",
      description = "MQTT user (env EDGEDI_USER).")
  String user;

  @Option(
      names = "--password-file",
      defaultValue = "${env:EDGEDI_PASSWORD_FILE}",
      description =
          "File holding the MQTT password (env EDGEDI_PASSWORD_FILE; or env EDGEDI_PASSWORD).")
  Path passwordFile;

  @Option(
      names = "--site",
      defaultValue = "${env:EDGEDI_SITE:-plant1}",
      description = "Site id in the topic tree (env EDGEDI_SITE; default ${DEFAULT-VALUE}).")
  String site;

  @Option(
      names = "--http-port",
      defaultValue = "${env:EDGEDI_HTTP_PORT:--1}",
      description =
          "Serve /health (and more) on this port (env EDGEDI_HTTP_PORT; -1 = off, 0 = any free).")
  int httpPort;

  /** Starts the status server if a port was given, else returns null. */
  StatusServer statusServer() throws IOException {
    if (httpPort < 0) {
      return null;
    }
    StatusServer s = new StatusServer("0.0.0.0", httpPort);
    return s;
  }

  MqttSettings settings(String clientId) throws IOException {
    char[] password = null;
    if (passwordFile != null) {
      password = Files.readString(passwordFile).strip().toCharArray();
    } else if (System.getenv("EDGEDI_PASSWORD") != null) {
      password = System.getenv("EDGEDI_PASSWORD").toCharArray();
    }
    return new MqttSettings(url, clientId, user, password);
  }
}
