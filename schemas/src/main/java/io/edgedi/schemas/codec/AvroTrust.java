package io.edgedi.schemas.codec;

import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Makes Avro 1.12 trust the generated message classes.
 *
 * <p>Avro 1.12 refuses to load classes named by a schema unless they are trusted ({@code
 * SecurityException: Forbidden io.edgedi.schemas.Frame}). The usual fix is the system property
 * {@code org.apache.avro.SERIALIZABLE_PACKAGES}, but Avro reads it once, when its validator class
 * initialises, so setting it from code is order-dependent and asking every launcher, test runner
 * and container to pass it is fragile. Instead this adds a predicate to Avro's global {@link
 * ClassSecurityValidator} that trusts exactly the generated records in {@value #PACKAGE} (not
 * sub-packages, not other classes), keeping whatever was trusted before.
 *
 * <p>{@link MessageCodec} calls {@link #install()} itself. Code that uses Avro directly on the
 * generated classes (e.g. {@code Frame.getDecoder()}) must call it once first.
 */
public final class AvroTrust {

  /** The package of the classes generated from {@code src/main/avro}. */
  public static final String PACKAGE = "io.edgedi.schemas";

  private static boolean installed;

  private AvroTrust() {}

  /** Idempotent and thread-safe. */
  public static synchronized void install() {
    if (installed) {
      return;
    }
    ClassSecurityValidator.ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
    ClassSecurityValidator.setGlobal(
        ClassSecurityValidator.composite(previous, AvroTrust::isGeneratedMessageClass));
    installed = true;
  }

  /**
   * True for records of the generated package only. Avro calls this with classes that are loaded
   * but not yet initialised; the checks below do not initialise them.
   */
  static boolean isGeneratedMessageClass(Class<?> type) {
    return PACKAGE.equals(type.getPackageName()) && SpecificRecord.class.isAssignableFrom(type);
  }
}
