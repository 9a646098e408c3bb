package io.edgedi.schemas.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.edgedi.schemas.Classification;
import io.edgedi.schemas.Frame;
import io.edgedi.schemas.FrameTask;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.junit.jupiter.api.Test;

class MessageCodecTest {

  private static final int LIMIT = 1 << 20;

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static MessageCodec<SpecificRecord> codecFor(SpecificRecord record) {
    return new MessageCodec(record.getClass(), LIMIT);
  }

  private static RejectReason reasonOf(MessageCodec<?> codec, byte[] payload) {
    BadMessageException e = assertThrows(BadMessageException.class, () -> codec.decode(payload));
    return e.reason();
  }

  @Test
  void everyMessageRoundTrips() throws Exception {
    assertEquals(MessageCodec.MESSAGE_TYPES.size(), Samples.all().size());
    for (SpecificRecord record : Samples.all()) {
      MessageCodec<SpecificRecord> codec = codecFor(record);
      byte[] bytes = codec.encode(record);
      assertEquals(record, codec.decode(bytes), record.getClass().getSimpleName());
      assertEquals(Optional.of(record.getClass()), MessageCodec.kindOf(bytes));
    }
  }

  @Test
  void bytesAreStandardSingleObjectEncoding() throws Exception {
    // The generated toByteBuffer() is Avro's own single-object encoder: same bytes both ways,
    // so a non-Java consumer with the .avsc files can read what we write.
    Frame frame = Samples.frame();
    MessageCodec<Frame> codec = new MessageCodec<>(Frame.class, LIMIT);
    byte[] ours = codec.encode(frame);
    ByteBuffer theirs = frame.toByteBuffer();
    byte[] theirBytes = new byte[theirs.remaining()];
    theirs.get(theirBytes);
    assertArrayEquals(theirBytes, ours);
    assertEquals(frame, Frame.fromByteBuffer(ByteBuffer.wrap(ours)));
  }

  @Test
  void everyMessageHasTheVersionFieldDefaultingToTheCurrentVersion() {
    Set<String> names = new HashSet<>();
    for (Class<? extends SpecificRecord> type : MessageCodec.MESSAGE_TYPES) {
      Schema schema = SpecificData.get().getSchema(type);
      assertEquals("io.edgedi.schemas", schema.getNamespace());
      Schema.Field version = schema.getField("schemaVersion");
      assertNotNull(version, type.getName());
      assertEquals(MessageCodec.SCHEMA_VERSION, ((Number) version.defaultVal()).intValue());
      names.add(type.getSimpleName());
    }
    assertEquals(
        Set.of(
            "Frame",
            "Telemetry",
            "PartitionPlan",
            "FrameTask",
            "PeerRows",
            "PeerSums",
            "BandResult",
            "Classification",
            "Error",
            "PlannerLease"),
        names);
  }

  /**
   * Changing a .avsc's fields, types or names changes its fingerprint (docs and defaults do not),
   * and readers already deployed then refuse the new messages as UNKNOWN_SCHEMA. If this test
   * fails, that change was probably unintended; if it was intended, bump schemaVersion, keep
   * reading the old schema, then update the pins.
   */
  @Test
  void schemaFingerprintsArePinned() {
    Map<String, String> actual = new TreeMap<>();
    for (Class<? extends SpecificRecord> type : MessageCodec.MESSAGE_TYPES) {
      actual.put(
          type.getSimpleName(),
          String.format("%016x", MessageCodec.fingerprint(SpecificData.get().getSchema(type))));
    }
    assertEquals(PINNED_FINGERPRINTS, actual);
  }

  private static final Map<String, String> PINNED_FINGERPRINTS =
      new TreeMap<>(
          Map.of(
              "BandResult", "a2726b682722b232",
              "Classification", "20a1155b3653701a",
              "Error", "e73ddb5b882b33ab",
              "Frame", "98248ae2b69d6eae",
              "FrameTask", "fd19c6bf4bbaccb0",
              "PartitionPlan", "9e73b6662ea39885",
              "PeerRows", "3a0862c62595a1ca",
              "PeerSums", "51f20ddf0fabb993",
              "PlannerLease", "162c192f252e1c40",
              "Telemetry", "3183f381f34d0ec4"));

  @Test
  void trustIsInstalledWithoutSystemProperties() throws Exception {
    assertNull(System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES"));
    assertNull(System.getProperty("org.apache.avro.SERIALIZABLE_CLASSES"));
    // Decoding nested records (StagePlan, Band) loads generated classes by name.
    MessageCodec<io.edgedi.schemas.PartitionPlan> codec =
        new MessageCodec<>(io.edgedi.schemas.PartitionPlan.class, LIMIT);
    assertEquals(Samples.plan(), codec.decode(codec.encode(Samples.plan())));
    // Only our generated records became trusted, nothing else.
    ClassSecurityValidator.validate(io.edgedi.schemas.Band.class);
    assertThrows(
        SecurityException.class, () -> ClassSecurityValidator.validate(java.io.File.class));
    assertThrows(
        SecurityException.class, () -> ClassSecurityValidator.validate(MessageCodec.class));
  }

  @Test
  void everyTruncationIsMalformed() throws Exception {
    for (SpecificRecord record : Samples.all()) {
      MessageCodec<SpecificRecord> codec = codecFor(record);
      byte[] bytes = codec.encode(record);
      // Decoding is deterministic and the full payload is exactly one record, so every strict
      // prefix must run out of bytes.
      for (int length = 0; length < bytes.length; length++) {
        assertEquals(
            RejectReason.MALFORMED,
            reasonOf(codec, Arrays.copyOf(bytes, length)),
            record.getClass().getSimpleName() + " cut to " + length);
      }
    }
  }

  @Test
  void trailingBytesAreMalformed() throws Exception {
    MessageCodec<Frame> codec = new MessageCodec<>(Frame.class, LIMIT);
    byte[] bytes = codec.encode(Samples.frame());
    assertEquals(RejectReason.MALFORMED, reasonOf(codec, Arrays.copyOf(bytes, bytes.length + 1)));
  }

  @Test
  void nullAndEmptyAreMalformed() {
    MessageCodec<Frame> codec = new MessageCodec<>(Frame.class, LIMIT);
    assertEquals(RejectReason.MALFORMED, reasonOf(codec, null));
    assertEquals(RejectReason.MALFORMED, reasonOf(codec, new byte[0]));
  }

  @Test
  void anotherMessageKindIsUnknownSchema() throws Exception {
    byte[] frameBytes = new MessageCodec<>(Frame.class, LIMIT).encode(Samples.frame());
    MessageCodec<FrameTask> tiles = new MessageCodec<>(FrameTask.class, LIMIT);
    BadMessageException e = assertThrows(BadMessageException.class, () -> tiles.decode(frameBytes));
    assertEquals(RejectReason.UNKNOWN_SCHEMA, e.reason());
    assertTrue(e.getMessage().contains("expected FrameTask, got a Frame"), e.getMessage());
  }

  @Test
  void unknownFingerprintIsUnknownSchema() throws Exception {
    MessageCodec<Frame> codec = new MessageCodec<>(Frame.class, LIMIT);
    byte[] bytes = codec.encode(Samples.frame());
    bytes[5] ^= 0x40;
    assertEquals(RejectReason.UNKNOWN_SCHEMA, reasonOf(codec, bytes));
    assertEquals(Optional.empty(), MessageCodec.kindOf(bytes));
  }

  @Test
  void unknownVersionIsRejected() throws Exception {
    MessageCodec<Frame> codec = new MessageCodec<>(Frame.class, LIMIT);
    for (int version : new int[] {0, 2, -1, Integer.MAX_VALUE}) {
      Frame frame = Samples.frame();
      frame.setSchemaVersion(version);
      // The codec refuses to write it, so write it with Avro's own encoder, as a newer or
      // buggy producer would.
      assertThrows(IllegalArgumentException.class, () -> codec.encode(frame));
      ByteBuffer buffer = frame.toByteBuffer();
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      assertEquals(RejectReason.UNSUPPORTED_VERSION, reasonOf(codec, bytes), "version " + version);
    }
  }

  @Test
  void oversizedPayloadIsRefusedBeforeDecoding() throws Exception {
    byte[] bytes = new MessageCodec<>(Frame.class, LIMIT).encode(Samples.frame());
    MessageCodec<Frame> exact = new MessageCodec<>(Frame.class, bytes.length);
    assertEquals(Samples.frame(), exact.decode(bytes));
    MessageCodec<Frame> small = new MessageCodec<>(Frame.class, bytes.length - 1);
    assertEquals(RejectReason.OVERSIZED, reasonOf(small, bytes));
    // Checked first: garbage that is too large is OVERSIZED, not MALFORMED.
    assertEquals(RejectReason.OVERSIZED, reasonOf(small, new byte[bytes.length + 100]));
  }

  @Test
  void encodingAnIncompleteRecordIsAProgrammingError() {
    MessageCodec<Frame> codec = new MessageCodec<>(Frame.class, LIMIT);
    Frame frame = Samples.frame();
    frame.setFrameId(null);
    assertThrows(IllegalArgumentException.class, () -> codec.encode(frame));
  }

  /**
   * A corrupt length or count prefix must fail at once, not allocate what it claims: each iteration
   * below would otherwise ask for ~2 GB (bytes) or ~2^31 slots (array).
   */
  @Test
  void hugeLengthPrefixesFailFastWithoutAllocating() throws Exception {
    MessageCodec<Frame> frames = new MessageCodec<>(Frame.class, LIMIT);
    MessageCodec<Classification> classifications = new MessageCodec<>(Classification.class, LIMIT);
    byte[] hugePixels =
        singleObject(
            Frame.getClassSchema(),
            out -> {
              out.writeInt(1);
              out.writeString("f");
              out.writeString("s");
              out.writeString("l");
              out.writeString("c");
              out.writeLong(1); // sequence
              out.writeLong(1); // capturedAtMicros
              out.writeInt(1);
              out.writeInt(1);
              out.writeInt(1);
              out.writeLong(Integer.MAX_VALUE - 100); // pixels length, then nothing
            });
    byte[] hugeScores =
        singleObject(
            Classification.getClassSchema(),
            out -> {
              out.writeInt(1);
              for (int i = 0; i < 5; i++) {
                out.writeString("x"); // frameId, site, line, camera, className
              }
              out.writeInt(0); // classIndex
              out.writeFloat(1f); // confidence
              out.writeLong(Integer.MAX_VALUE - 100); // scores: array block count, then nothing
            });
    assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () -> {
          for (int i = 0; i < 500; i++) {
            assertEquals(RejectReason.MALFORMED, reasonOf(frames, hugePixels));
            assertEquals(RejectReason.MALFORMED, reasonOf(classifications, hugeScores));
          }
        });
  }

  /**
   * The generated "custom coders" would allocate a claimed array size up front; the codec must stay
   * safe even in a process that switches them on.
   */
  @Test
  void hugeArrayCountIsSafeWhenTheProcessEnablesCustomCoders() throws Exception {
    String coders = "org.apache.avro.specific.use_custom_coders";
    String fastRead = "org.apache.avro.fastread";
    MessageCodec<Classification> codec;
    try {
      System.setProperty(coders, "true");
      System.setProperty(fastRead, "false");
      codec = new MessageCodec<>(Classification.class, LIMIT); // reads the properties now
    } finally {
      System.clearProperty(coders);
      System.clearProperty(fastRead);
    }
    byte[] hugeScores =
        singleObject(
            Classification.getClassSchema(),
            out -> {
              out.writeInt(1);
              for (int i = 0; i < 5; i++) {
                out.writeString("x");
              }
              out.writeInt(0);
              out.writeFloat(1f);
              out.writeLong(Integer.MAX_VALUE - 100);
            });
    assertEquals(RejectReason.MALFORMED, reasonOf(codec, hugeScores));
    assertEquals(Samples.classification(), codec.decode(codec.encode(Samples.classification())));
  }

  @Test
  void randomBytesAreRefusedCleanly() {
    Random random = new Random(20250301L);
    List<MessageCodec<SpecificRecord>> codecs =
        Samples.all().stream().map(MessageCodecTest::codecFor).toList();
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          for (int i = 0; i < 20_000; i++) {
            byte[] garbage = new byte[random.nextInt(400)];
            random.nextBytes(garbage);
            for (MessageCodec<SpecificRecord> codec : codecs) {
              assertRefusedCleanly(codec, garbage);
            }
          }
        });
  }

  /**
   * Random bytes almost never pass the header, so also fuzz what lies behind a valid header and
   * fingerprint: random bodies, and valid messages with bytes flipped, dropped or inserted.
   */
  @Test
  void corruptBodiesBehindAValidHeaderAreRefusedCleanly() {
    Random random = new Random(42L);
    assertTimeoutPreemptively(
        Duration.ofSeconds(120),
        () -> {
          for (SpecificRecord record : Samples.all()) {
            MessageCodec<SpecificRecord> codec = codecFor(record);
            byte[] valid = codec.encode(record);
            for (int i = 0; i < 5_000; i++) {
              byte[] randomBody = Arrays.copyOf(valid, 10 + random.nextInt(300));
              for (int k = 10; k < randomBody.length; k++) {
                randomBody[k] = (byte) random.nextInt(256);
              }
              assertRefusedCleanly(codec, randomBody);
              assertRefusedCleanly(codec, mutate(valid, random));
            }
          }
        });
  }

  private static byte[] mutate(byte[] valid, Random random) {
    byte[] bytes = valid.clone();
    int edits = 1 + random.nextInt(4);
    for (int e = 0; e < edits; e++) {
      int at = 10 + random.nextInt(bytes.length - 10);
      switch (random.nextInt(4)) {
        case 0 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
        case 1 -> bytes[at] = (byte) random.nextInt(256);
        case 2 -> bytes[at] = (byte) 0xFF; // turns a varint into a long run: huge values
        default -> {
          // insert a byte, shifting the rest: misaligns every later field
          byte[] longer = new byte[bytes.length + 1];
          System.arraycopy(bytes, 0, longer, 0, at);
          longer[at] = (byte) random.nextInt(256);
          System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
          bytes = longer;
        }
      }
    }
    return bytes;
  }

  /** Either a valid record of the right version, or BadMessageException: nothing else. */
  private static void assertRefusedCleanly(MessageCodec<SpecificRecord> codec, byte[] payload) {
    try {
      SpecificRecord decoded = codec.decode(payload);
      // Corruption can still yield a well-formed record (e.g. a flipped bit inside a string).
      assertEquals(
          MessageCodec.SCHEMA_VERSION,
          decoded.get(decoded.getSchema().getField("schemaVersion").pos()));
    } catch (BadMessageException expected) {
      assertNotNull(expected.reason());
    } catch (Throwable other) {
      fail(
          codec.type().getSimpleName() + " threw " + other + " for " + Arrays.toString(payload),
          other);
    }
  }

  private interface BodyWriter {
    void write(BinaryEncoder out) throws Exception;
  }

  /** Header + fingerprint of the schema + a hand-written (possibly incomplete) body. */
  private static byte[] singleObject(Schema schema, BodyWriter body) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(0xC3);
    bytes.write(0x01);
    long fingerprint = MessageCodec.fingerprint(schema);
    for (int i = 0; i < 8; i++) {
      bytes.write((int) (fingerprint >>> (8 * i)));
    }
    BinaryEncoder out = EncoderFactory.get().binaryEncoder(bytes, null);
    body.write(out);
    out.flush();
    return bytes.toByteArray();
  }
}
