package io.edgedi.broker.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.broker.embedded.BrokerConfig.Persistence;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

/**
 * HiveMQ silently uses its defaults (port 1883, queue 1,000, receive maximum 10) when config.xml
 * does not parse, so both config files are checked against HiveMQ's own schema here.
 */
class BrokerConfigTest {

  @Test
  void generatedConfigIsValidForHiveMQ() throws Exception {
    validate(BrokerConfig.defaults(18830, "127.0.0.1", Persistence.IN_MEMORY).toXml());
    validate(BrokerConfig.defaults(18830, "0.0.0.0", Persistence.FILE).toXml());
  }

  @Test
  void generatedConfigCarriesTheRaisedLimits() throws Exception {
    Document xml =
        parse(
            new BrokerConfig(4242, "127.0.0.1", Persistence.IN_MEMORY, 5_000, 77, 1_048_576, 60)
                .toXml());
    assertEquals("4242", value(xml, "/hivemq/listeners/tcp-listener/port"));
    assertEquals("5000", value(xml, "/hivemq/mqtt/queued-messages/max-queue-size"));
    assertEquals("77", value(xml, "/hivemq/mqtt/receive-maximum/server-receive-maximum"));
    assertEquals("1048576", value(xml, "/hivemq/mqtt/packets/max-packet-size"));
    assertEquals("60", value(xml, "/hivemq/mqtt/session-expiry/max-interval"));
    assertEquals("in-memory", value(xml, "/hivemq/persistence/mode"));
    assertEquals("false", value(xml, "/hivemq/anonymous-usage-statistics/enabled"));
  }

  @Test
  void deploymentConfigIsValidForHiveMQ() throws Exception {
    validate(deploymentConfig());
  }

  @Test
  void deploymentConfigHasTheSameLimitsAsTheEmbeddedBroker() throws Exception {
    Document xml = parse(deploymentConfig());
    assertEquals("1883", value(xml, "/hivemq/listeners/tcp-listener/port"));
    assertEquals("0.0.0.0", value(xml, "/hivemq/listeners/tcp-listener/bind-address"));
    assertEquals(
        String.valueOf(BrokerConfig.DEFAULT_MAX_QUEUE_SIZE),
        value(xml, "/hivemq/mqtt/queued-messages/max-queue-size"));
    assertEquals(
        String.valueOf(BrokerConfig.DEFAULT_SERVER_RECEIVE_MAXIMUM),
        value(xml, "/hivemq/mqtt/receive-maximum/server-receive-maximum"));
    assertEquals(
        String.valueOf(BrokerConfig.DEFAULT_MAX_PACKET_SIZE),
        value(xml, "/hivemq/mqtt/packets/max-packet-size"));
    // The clients' payload limits are derived from the broker's packet limit.
    assertEquals(
        io.edgedi.transport.Wire.BROKER_MAX_PACKET_BYTES, BrokerConfig.DEFAULT_MAX_PACKET_SIZE);
    assertEquals(
        String.valueOf(BrokerConfig.DEFAULT_MAX_SESSION_EXPIRY_SECONDS),
        value(xml, "/hivemq/mqtt/session-expiry/max-interval"));
    assertEquals("true", value(xml, "/hivemq/security/allow-empty-client-id/enabled"));
    assertEquals("false", value(xml, "/hivemq/anonymous-usage-statistics/enabled"));
    assertEquals("file", value(xml, "/hivemq/persistence/mode"));
  }

  @Test
  void deploymentConfigHasNoEnvironmentPlaceholderEvenInComments() throws Exception {
    // HiveMQ substitutes them everywhere and refuses to start if the variable is unset
    assertFalse(deploymentConfig().contains("${"));
  }

  @Test
  void commentedTlsListenerIsValidOnceUncommented() throws Exception {
    String config = deploymentConfig();
    int start = config.indexOf("<tls-tcp-listener>");
    int end = config.indexOf("</tls-tcp-listener>") + "</tls-tcp-listener>".length();
    assertTrue(start > 0 && end > start, "TLS listener block missing");
    String withTls =
        config.replace("</listeners>", config.substring(start, end) + "\n</listeners>");
    validate(withTls);
    assertEquals("8883", value(parse(withTls), "/hivemq/listeners/tls-tcp-listener/port"));
  }

  @Test
  void impossibleSettingsAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> BrokerConfig.defaults(0, "127.0.0.1", Persistence.FILE));
    assertThrows(
        IllegalArgumentException.class,
        () -> new BrokerConfig(1883, "0.0.0.0", Persistence.FILE, 100, 70_000, 1_000, 60));
  }

  private static String deploymentConfig() throws IOException {
    try (InputStream in = BrokerConfigTest.class.getResourceAsStream("/hivemq/config.xml")) {
      assertNotNull(in, "hivemq/config.xml resource missing");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void validate(String configXml) throws Exception {
    // config.xsd ships at the root of the hivemq-community-edition-embedded jar
    URL schema = BrokerConfigTest.class.getClassLoader().getResource("config.xsd");
    assertNotNull(schema, "HiveMQ's config.xsd not on the class path");
    Validator validator =
        SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
            .newSchema(schema)
            .newValidator();
    validator.validate(new StreamSource(new StringReader(configXml)));
  }

  private static Document parse(String xml) throws Exception {
    return DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(new InputSource(new StringReader(xml)));
  }

  private static String value(Document xml, String path) throws Exception {
    return XPathFactory.newInstance().newXPath().evaluate(path, xml).strip();
  }
}
