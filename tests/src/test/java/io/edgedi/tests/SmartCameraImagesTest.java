package io.edgedi.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgedi.broker.access.Role;
import io.edgedi.broker.embedded.EmbeddedBroker;
import io.edgedi.broker.users.PasswordHasher;
import io.edgedi.broker.users.UserAccount;
import io.edgedi.broker.users.UsersFile;
import io.edgedi.camera.CameraGateway;
import io.edgedi.camera.source.ImageLoader;
import io.edgedi.camera.source.ImageTopicSource;
import io.edgedi.camera.source.SizePolicy;
import io.edgedi.camera.synthetic.DefectClass;
import io.edgedi.camera.synthetic.GrayImage;
import io.edgedi.camera.synthetic.SyntheticDefectGenerator;
import io.edgedi.cluster.Await;
import io.edgedi.schemas.Frame;
import io.edgedi.schemas.codec.MessageCodec;
import io.edgedi.transport.MqttLink;
import io.edgedi.transport.MqttSettings;
import io.edgedi.transport.Topics;
import io.edgedi.transport.Wire;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * Smart cameras publishing encoded images themselves: the camera gateway turns each image on {@code
 * edgedi/v1/{site}/{line}/images/{camera}} into a Frame, and an undecodable or oversized one into a
 * dead letter on the errors topic, and keeps going. Each side uses its own role's account.
 */
class SmartCameraImagesTest {

  private static final int MAX_BYTES = 200_000;
  private static final long MAX_PIXELS = 4_000_000;

  @Test
  void imagesBecomeFramesAndBadImagesBecomeDeadLettersWithoutStoppingTheGateway() throws Exception {
    PasswordHasher fast = new PasswordHasher(PasswordHasher.MIN_ITERATIONS);
    UsersFile users =
        UsersFile.of(
            List.of(
                UserAccount.create("camera", Role.CAMERA, "camera-pw".toCharArray(), fast),
                UserAccount.create("planner", Role.PLANNER, "planner-pw".toCharArray(), fast),
                UserAccount.create("mes", Role.MES, "mes-pw".toCharArray(), fast)));
    Topics topics = new Topics(ClusterFixture.SITE);
    MessageCodec<Frame> frameCodec = Wire.FRAME.codec();
    MessageCodec<io.edgedi.schemas.Error> errorCodec = Wire.ERROR.codec();
    List<Frame> frames = new CopyOnWriteArrayList<>();
    List<io.edgedi.schemas.Error> errors = new CopyOnWriteArrayList<>();

    SyntheticDefectGenerator gen = new SyntheticDefectGenerator();
    GrayImage first = gen.generate(DefectClass.INCLUSION, 21);
    GrayImage second = gen.generate(DefectClass.SCRATCHES, 22);
    GrayImage last = gen.generate(DefectClass.CRAZING, 23);
    byte[] randomBytes = new byte[MAX_BYTES + 1];
    new Random(3).nextBytes(randomBytes);

    try (EmbeddedBroker broker = EmbeddedBroker.builder().port(0).users(users).start();
        MqttLink planner =
            new MqttLink(
                new MqttSettings(broker.url(), "planner", "planner", "planner-pw".toCharArray()));
        MqttLink mes =
            new MqttLink(
                new MqttSettings(broker.url(), "mes-images", "mes", "mes-pw".toCharArray()));
        MqttLink gatewayLink =
            new MqttLink(
                new MqttSettings(broker.url(), "cam1-gateway", "camera", "camera-pw".toCharArray()),
                true);
        MqttLink smartCamera =
            new MqttLink(
                new MqttSettings(broker.url(), "cam1", "camera", "camera-pw".toCharArray()))) {
      planner.connect(null, true);
      planner.subscribe(topics.allFrames(), (t, p) -> frames.add(decode(frameCodec, p)));
      mes.connect(null, true);
      mes.subscribe(topics.allErrors(), (t, p) -> errors.add(decode(errorCodec, p)));

      ImageTopicSource source =
          new ImageTopicSource(
                  gatewayLink,
                  topics.images("line1", "cam1"),
                  ImageLoader.neu(SizePolicy.RESIZE),
                  MAX_BYTES,
                  MAX_PIXELS,
                  4)
              .register();
      gatewayLink.connect(null, true);
      source.start();
      CameraGateway gateway =
          CameraGateway.mqtt(gatewayLink, topics, source)
              .line("line1")
              .camera("cam1")
              .framesPerSecond(0)
              .build();
      CompletableFuture<CameraGateway.Stats> run = gateway.runAsync();

      smartCamera.connect(null, true);
      String topic = topics.images("line1", "cam1");
      smartCamera.publish(topic, encode(first.toBufferedImage(), "png"), false);
      smartCamera.publish(topic, "this is not an image".getBytes(), false);
      smartCamera.publish(topic, encode(second.toBufferedImage(), "bmp"), false);
      smartCamera.publish(topic, randomBytes, false);
      smartCamera.publish(
          topic, encode(new BufferedImage(4000, 2000, BufferedImage.TYPE_BYTE_GRAY), "png"), false);
      smartCamera.publish(topic, encode(last.toBufferedImage(), "jpeg"), false);

      Await.until(() -> frames.size() >= 3 && errors.size() >= 3, 30_000);
      assertEquals(3, frames.size(), "frames " + frames.size() + ", errors " + errors);
      assertEquals(
          List.of("UNREADABLE", "TOO_LARGE", "TOO_LARGE"),
          errors.stream().map(e -> e.getReason().toString()).toList());
      // the payload id names the image: its topic and its number in the order received
      assertEquals(
          List.of(topic + "#2", topic + "#4", topic + "#5"),
          errors.stream().map(e -> e.getPayloadId().toString()).toList());
      assertEquals(MAX_BYTES + 1, errors.get(1).getPayloadBytes());

      assertArrayEquals(first.pixels(), pixels(frames.get(0)), "PNG frame pixels");
      assertArrayEquals(second.pixels(), pixels(frames.get(1)), "BMP frame pixels");
      assertEquals(200, frames.get(2).getWidth());
      assertEquals(List.of(0L, 1L, 2L), frames.stream().map(Frame::getSequence).toList());
      assertTrue(frames.stream().allMatch(f -> "cam1".contentEquals(f.getCamera())));

      assertTrue(!run.isDone(), "the gateway stopped");
      gateway.stop();
      CameraGateway.Stats stats = run.get(10, TimeUnit.SECONDS);
      assertEquals(3, stats.published());
      assertEquals(3, stats.rejected());
      assertEquals(6, source.received());
    }
  }

  private static byte[] pixels(Frame frame) {
    byte[] b = new byte[frame.getPixels().remaining()];
    frame.getPixels().duplicate().get(b);
    return b;
  }

  private static byte[] encode(BufferedImage image, String format) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(image, format, out), "no writer for " + format);
    return out.toByteArray();
  }

  private static <T extends SpecificRecord> T decode(MessageCodec<T> codec, byte[] payload) {
    try {
      return codec.decode(payload);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
