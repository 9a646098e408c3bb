package io.edgedi.schemas.codec;

import io.edgedi.schemas.BandResult;
import io.edgedi.schemas.Classification;
import io.edgedi.schemas.Frame;
import io.edgedi.schemas.FrameTask;
import io.edgedi.schemas.PartitionPlan;
import io.edgedi.schemas.PeerRows;
import io.edgedi.schemas.PeerSums;
import io.edgedi.schemas.PlannerLease;
import io.edgedi.schemas.Telemetry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.jspecify.annotations.Nullable;

/**
 * Encodes one message type to bytes and decodes bytes back, refusing anything else.
 *
 * <p>Wire format: Avro single-object encoding, i.e. the two marker bytes {@code C3 01}, the 8-byte
 * little-endian CRC-64-AVRO fingerprint of the writer's schema, then the Avro binary body. The
 * fingerprint lets a reader tell the message kind (see {@link #kindOf(byte[])}) and refuse a
 * payload of another kind instead of misreading it. The bytes are identical to what the generated
 * {@code toByteBuffer()} produces, so any Avro single-object reader interoperates.
 *
 * <p>{@link #decode(byte[])} checks, in order: size limit (before touching the content), header,
 * fingerprint, body (must be exactly one record with no trailing bytes), {@code schemaVersion}. It
 * throws only {@link BadMessageException} for a bad payload.
 *
 * <p>Why the body is not read with Avro's {@code BinaryMessageDecoder}: in Avro 1.12.2 it reads
 * through an {@code InputStream} decoder that does not know how many bytes remain, so a corrupt
 * length prefix of a bytes or string field makes it allocate what the prefix claims before noticing
 * the payload is short (measured: 0.6 to 14 s and 2.5 GB RSS to refuse a 30-byte payload). A
 * decoder over the byte array knows the remaining size, and Avro then fails such a prefix in
 * microseconds. Header and fingerprint are therefore checked here, which also lets the error name
 * the kind of message that arrived.
 *
 * <p>Instances are immutable and thread-safe; make one per message type and share it.
 *
 * @param <T> the generated message class
 */
public final class MessageCodec<T extends SpecificRecord> {

  /** The only {@code schemaVersion} this code writes and reads (the .avsc files default to it). */
  public static final int SCHEMA_VERSION = 1;

  /** Every message type of the system, in the order of ARCHITECTURE.md's topic table. */
  public static final List<Class<? extends SpecificRecord>> MESSAGE_TYPES =
      List.of(
          Frame.class,
          Telemetry.class,
          FrameTask.class,
          PeerRows.class,
          PeerSums.class,
          BandResult.class,
          PartitionPlan.class,
          Classification.class,
          io.edgedi.schemas.Error.class,
          PlannerLease.class);

  /** Name of the version field every message has. */
  static final String VERSION_FIELD = "schemaVersion";

  /** Marker (2) + fingerprint (8): the single-object encoding header. */
  private static final int HEADER_LENGTH = 10;

  private static final byte MARKER_0 = (byte) 0xC3;
  private static final byte MARKER_1 = (byte) 0x01;

  private static final Map<Long, Class<? extends SpecificRecord>> TYPES_BY_FINGERPRINT;

  static {
    // Before any decoding can run: see AvroTrust for why this is done in code.
    AvroTrust.install();
    Map<Long, Class<? extends SpecificRecord>> byFingerprint = new HashMap<>();
    for (Class<? extends SpecificRecord> type : MESSAGE_TYPES) {
      byFingerprint.put(fingerprint(SpecificData.get().getSchema(type)), type);
    }
    TYPES_BY_FINGERPRINT = Map.copyOf(byFingerprint);
  }

  private final Class<T> type;
  private final Schema schema;
  private final long fingerprint;
  private final int versionPosition;
  private final int maxPayloadBytes;
  private final BinaryMessageEncoder<T> encoder;
  private final SpecificDatumReader<T> reader;

  /**
   * @param type a generated message class, e.g. {@code Frame.class}
   * @param maxPayloadBytes payloads longer than this are refused as {@link RejectReason#OVERSIZED}
   *     without being read
   */
  public MessageCodec(Class<T> type, int maxPayloadBytes) {
    this.type = Objects.requireNonNull(type, "type");
    if (maxPayloadBytes < HEADER_LENGTH) {
      throw new IllegalArgumentException(
          "maxPayloadBytes must be at least " + HEADER_LENGTH + ", was " + maxPayloadBytes);
    }
    this.maxPayloadBytes = maxPayloadBytes;
    SpecificData model = SpecificData.getForClass(type);
    this.schema = model.getSchema(type);
    Schema.Field version = schema.getField(VERSION_FIELD);
    if (version == null || version.schema().getType() != Schema.Type.INT) {
      throw new IllegalArgumentException(type.getName() + " has no int field " + VERSION_FIELD);
    }
    this.versionPosition = version.pos();
    this.fingerprint = fingerprint(schema);
    this.encoder = new BinaryMessageEncoder<>(model, schema);
    // Read through a model of our own with the generated "custom coders" off, whatever system
    // properties the process sets. Those generated readers size an array from its declared
    // count before reading any element (measured: OutOfMemoryError for a 30-byte payload with
    // org.apache.avro.specific.use_custom_coders=true and org.apache.avro.fastread=false);
    // Avro's own readers first check the count against the bytes that remain.
    SpecificData readModel = new SpecificData(type.getClassLoader());
    readModel.setCustomCoders(false);
    this.reader = new SpecificDatumReader<>(schema, schema, readModel);
  }

  public Class<T> type() {
    return type;
  }

  public Schema schema() {
    return schema;
  }

  public int maxPayloadBytes() {
    return maxPayloadBytes;
  }

  /**
   * Encodes one record. A record whose {@code schemaVersion} is not {@link #SCHEMA_VERSION} or that
   * misses a required field is a programming error: {@link IllegalArgumentException}. The payload
   * limit is not applied here; it protects readers.
   */
  public byte[] encode(T record) {
    Objects.requireNonNull(record, "record");
    Object version = record.get(versionPosition);
    if (!Integer.valueOf(SCHEMA_VERSION).equals(version)) {
      throw new IllegalArgumentException(
          "refusing to encode "
              + type.getSimpleName()
              + " with schemaVersion "
              + version
              + "; this code writes "
              + SCHEMA_VERSION);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try {
      encoder.encode(record, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    } catch (RuntimeException e) {
      // Avro reports a null in a non-null field as NullPointerException or AvroRuntimeException.
      throw new IllegalArgumentException(
          "cannot encode " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  /**
   * Decodes one payload of this codec's type.
   *
   * @throws BadMessageException OVERSIZED, MALFORMED, UNKNOWN_SCHEMA or UNSUPPORTED_VERSION;
   *     nothing else is thrown for any content of {@code payload}
   */
  public T decode(byte @Nullable [] payload) throws BadMessageException {
    if (payload == null) {
      throw new BadMessageException(RejectReason.MALFORMED, "null payload");
    }
    if (payload.length > maxPayloadBytes) {
      throw new BadMessageException(
          RejectReason.OVERSIZED, payload.length + " bytes, limit " + maxPayloadBytes);
    }
    if (!hasHeader(payload)) {
      throw new BadMessageException(
          RejectReason.MALFORMED,
          "not an Avro single-object message (" + payload.length + " bytes)");
    }
    long found = readFingerprint(payload);
    if (found != fingerprint) {
      Class<? extends SpecificRecord> other = TYPES_BY_FINGERPRINT.get(found);
      String what =
          other != null
              ? "a " + other.getSimpleName() + " message"
              : String.format("unknown schema fingerprint %016x", found);
      throw new BadMessageException(
          RejectReason.UNKNOWN_SCHEMA, "expected " + type.getSimpleName() + ", got " + what);
    }
    T record = readBody(payload);
    Object version = record.get(versionPosition);
    if (!Integer.valueOf(SCHEMA_VERSION).equals(version)) {
      throw new BadMessageException(
          RejectReason.UNSUPPORTED_VERSION,
          type.getSimpleName() + " schemaVersion " + version + ", supported " + SCHEMA_VERSION);
    }
    return record;
  }

  private T readBody(byte[] payload) throws BadMessageException {
    BinaryDecoder in =
        DecoderFactory.get()
            .binaryDecoder(payload, HEADER_LENGTH, payload.length - HEADER_LENGTH, null);
    try {
      T record = reader.read(null, in);
      if (!in.isEnd()) {
        // Single-object encoding holds exactly one datum; extra bytes mean corruption.
        throw new BadMessageException(
            RejectReason.MALFORMED, "trailing bytes after " + type.getSimpleName());
      }
      return record;
    } catch (SecurityException e) {
      throw e; // a trust set-up problem of this process, not a property of the payload
    } catch (IOException | RuntimeException e) {
      // Truncation (EOFException), bad varints, out-of-range union/enum indexes, limits...
      throw new BadMessageException(
          RejectReason.MALFORMED, "cannot read " + type.getSimpleName() + ": " + e, e);
    }
  }

  /**
   * Which message type a payload claims to be, from its fingerprint alone (the body is not read),
   * e.g. to route or to name the kind in an error report. Empty for anything else.
   */
  public static Optional<Class<? extends SpecificRecord>> kindOf(byte @Nullable [] payload) {
    if (payload == null || !hasHeader(payload)) {
      return Optional.empty();
    }
    return Optional.ofNullable(TYPES_BY_FINGERPRINT.get(readFingerprint(payload)));
  }

  /** The fingerprint single-object encoding puts in the header for this schema. */
  public static long fingerprint(Schema schema) {
    return SchemaNormalization.parsingFingerprint64(schema);
  }

  private static boolean hasHeader(byte[] payload) {
    return payload.length >= HEADER_LENGTH && payload[0] == MARKER_0 && payload[1] == MARKER_1;
  }

  private static long readFingerprint(byte[] payload) {
    long value = 0;
    for (int i = HEADER_LENGTH - 1; i >= 2; i--) { // little-endian, bytes 2..9
      value = (value << 8) | (payload[i] & 0xFFL);
    }
    return value;
  }
}
