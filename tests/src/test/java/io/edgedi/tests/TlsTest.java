package io.edgedi.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.broker.access.Role;
import io.edgedi.broker.embedded.EmbeddedBroker;
import io.edgedi.broker.embedded.SelfSignedCertificate;
import io.edgedi.broker.users.PasswordHasher;
import io.edgedi.broker.users.UserAccount;
import io.edgedi.broker.users.UsersFile;
import io.edgedi.transport.MqttLink;
import io.edgedi.transport.MqttSettings;
import io.edgedi.transport.Topics;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker's TLS listener with a generated certificate: trusted clients talk, others cannot. */
class TlsTest {

  @AfterEach
  void forgetTrustStore() {
    System.clearProperty("edgedi.truststore");
    System.clearProperty("edgedi.truststore.password");
  }

  @Test
  void clientsTrustingTheGeneratedCertificateTalkOverTlsAndOthersAreRefused(@TempDir Path dir)
      throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.create(dir.resolve("tls"));
    PasswordHasher fast = new PasswordHasher(PasswordHasher.MIN_ITERATIONS);
    UsersFile users =
        UsersFile.of(
            List.of(
                UserAccount.create("camera", Role.CAMERA, "cam-secret".toCharArray(), fast),
                UserAccount.create("mes", Role.MES, "mes-secret".toCharArray(), fast)));
    Topics topics = new Topics(ClusterFixture.SITE);
    try (EmbeddedBroker broker =
        EmbeddedBroker.builder()
            .port(0)
            .users(users)
            .tls(0, cert.keyStore(), cert.password())
            .start()) {
      String url = broker.tlsUrl();
      assertTrue(url.startsWith("ssl://127.0.0.1:"), url);

      // Without the trust store the JVM's default CAs do not know the certificate.
      try (MqttLink stranger =
          new MqttLink(new MqttSettings(url, "mes-stranger", "mes", "mes-secret".toCharArray()))) {
        assertThrows(Exception.class, () -> stranger.connect(null, true));
      }

      System.setProperty("edgedi.truststore", cert.trustStore().toString());
      System.setProperty("edgedi.truststore.password", cert.password());
      BlockingQueue<byte[]> got = new ArrayBlockingQueue<>(1);
      try (MqttLink mes =
              new MqttLink(new MqttSettings(url, "mes-tls", "mes", "mes-secret".toCharArray()));
          MqttLink camera =
              new MqttLink(
                  new MqttSettings(url, "cam-tls", "camera", "cam-secret".toCharArray()))) {
        mes.connect(null, true);
        mes.subscribe(topics.allErrors(), (t, p) -> got.offer(p));
        camera.connect(null, true);
        camera.publish(topics.errors("cam-tls"), new byte[] {1, 2, 3}, false);
        assertArrayEquals(new byte[] {1, 2, 3}, got.poll(20, TimeUnit.SECONDS));
      }
      // TLS does not replace authentication.
      try (MqttLink wrong =
          new MqttLink(new MqttSettings(url, "mes-wrong", "mes", "nope".toCharArray()))) {
        assertThrows(Exception.class, () -> wrong.connect(null, true));
      }
    }
  }
}
