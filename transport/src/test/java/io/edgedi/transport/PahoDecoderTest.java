package io.edgedi.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.Arrays;
import org.eclipse.paho.mqttv5.common.packet.util.CountingInputStream;
import org.junit.jupiter.api.Test;

/**
 * The Paho on this module's classpath must be the project's repackaged one (mqtt-client), whose
 * payload decoder copies in bulk; with the stock jar a tile of a few hundred KB costs the receiver
 * milliseconds of CPU per message.
 */
class PahoDecoderTest {

  @Test
  void pahosCountingStreamReadsInBulk() throws Exception {
    Method bulk = CountingInputStream.class.getMethod("read", byte[].class, int.class, int.class);
    assertEquals(
        CountingInputStream.class,
        bulk.getDeclaringClass(),
        "stock Paho CountingInputStream from "
            + CountingInputStream.class.getProtectionDomain().getCodeSource());
  }

  @Test
  void pahoComesOnlyFromTheRepackagedJar() {
    String from =
        String.valueOf(
            CountingInputStream.class.getProtectionDomain().getCodeSource().getLocation());
    assertTrue(from.contains("mqtt-client"), from);
    long stock =
        Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
            .filter(p -> p.contains("org.eclipse.paho.mqttv5.client"))
            .count();
    assertEquals(
        0,
        stock,
        "the stock Paho jar is on the classpath too: " + System.getProperty("java.class.path"));
  }
}
