package io.edgedi.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.MqttPublish;
import org.eclipse.paho.mqttv5.common.packet.MqttWireMessage;
import org.eclipse.paho.mqttv5.common.packet.util.CountingInputStream;
import org.junit.jupiter.api.Test;

class CountingInputStreamTest {

  @Test
  void countsSingleAndBulkReadsAndStopsAtTheEnd() throws IOException {
    byte[] data = new byte[1000];
    new Random(1).nextBytes(data);
    CountingInputStream in = new CountingInputStream(new ByteArrayInputStream(data));
    assertEquals(data[0] & 0xff, in.read());
    byte[] chunk = new byte[600];
    assertEquals(600, in.read(chunk, 0, 600));
    assertEquals(601, in.getCounter());
    byte[] rest = new byte[600];
    assertEquals(399, in.read(rest, 100, 500));
    assertEquals(1000, in.getCounter());
    assertEquals(-1, in.read(rest, 0, 10));
    assertEquals(-1, in.read());
    assertEquals(1000, in.getCounter());
    in.resetCounter();
    assertEquals(0, in.getCounter());
  }

  @Test
  void readFullyUsesBulkReads() throws IOException {
    AtomicInteger singleReads = new AtomicInteger();
    InputStream source =
        new ByteArrayInputStream(new byte[100_000]) {
          @Override
          public synchronized int read() {
            singleReads.incrementAndGet();
            return super.read();
          }
        };
    CountingInputStream in = new CountingInputStream(source);
    new DataInputStream(in).readFully(new byte[100_000]);
    assertEquals(100_000, in.getCounter());
    assertEquals(0, singleReads.get(), "payload copied byte by byte");
  }

  @Test
  void aLargePublishSurvivesPahosEncoderAndDecoder() throws Exception {
    byte[] payload = new byte[3_000_000];
    new Random(7).nextBytes(payload);
    MqttMessage message = new MqttMessage(payload);
    message.setQos(1);
    MqttProperties properties = new MqttProperties();
    properties.setContentType("application/avro");
    MqttPublish out = new MqttPublish("edgedi/v1/plant1/workers/w1/tiles", message, properties);
    out.setMessageId(42);
    byte[] header = out.getHeader();
    byte[] wire = new byte[header.length + payload.length];
    System.arraycopy(header, 0, wire, 0, header.length);
    System.arraycopy(out.getPayload(), 0, wire, header.length, payload.length);

    MqttPublish in = (MqttPublish) MqttWireMessage.createWireMessage(wire);
    assertEquals("edgedi/v1/plant1/workers/w1/tiles", in.getTopicName());
    assertEquals(42, in.getMessageId());
    assertEquals("application/avro", in.getProperties().getContentType());
    assertArrayEquals(payload, in.getMessage().getPayload());
  }
}
