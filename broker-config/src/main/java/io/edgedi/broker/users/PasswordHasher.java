package io.edgedi.broker.users;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted PBKDF2-HMAC-SHA256 password hashes in one self-describing string: {@code
 * pbkdf2-sha256$<iterations>$<salt, base64>$<hash, base64>}.
 *
 * <p>The iteration count travels with each hash, so it can be raised for new users (or lowered for
 * a slow broker host) without invalidating existing ones. The string contains no {@code :}, which
 * separates the fields of the users file. Thread-safe: immutable.
 */
public final class PasswordHasher {

  /**
   * OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256; about 0.15 s per check on a desktop core.
   */
  public static final int DEFAULT_ITERATIONS = 600_000;

  /** Below this a hash is refused: it would offer little more than a plain salted digest. */
  public static final int MIN_ITERATIONS = 1_000;

  private static final String SCHEME = "pbkdf2-sha256";
  private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
  private static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 256;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final int iterations;

  public PasswordHasher() {
    this(DEFAULT_ITERATIONS);
  }

  public PasswordHasher(int iterations) {
    if (iterations < MIN_ITERATIONS) {
      throw new IllegalArgumentException("iterations " + iterations + " < " + MIN_ITERATIONS);
    }
    this.iterations = iterations;
  }

  public int iterations() {
    return iterations;
  }

  /** Hashes {@code password} with a fresh random salt. The caller may wipe the array afterwards. */
  public String hash(char[] password) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    byte[] hash = pbkdf2(password, salt, iterations);
    Base64.Encoder base64 = Base64.getEncoder().withoutPadding();
    return SCHEME
        + "$"
        + iterations
        + "$"
        + base64.encodeToString(salt)
        + "$"
        + base64.encodeToString(hash);
  }

  /**
   * Whether {@code password} matches {@code encodedHash}. The final comparison takes the same time
   * wherever the first differing byte is, so response times do not leak how close a guess was.
   *
   * @throws IllegalArgumentException if {@code encodedHash} is not a hash made by this class
   */
  public static boolean verify(char[] password, String encodedHash) {
    String[] parts = encodedHash.split("\\$");
    if (parts.length != 4 || !parts[0].equals(SCHEME)) {
      throw new IllegalArgumentException("not a " + SCHEME + " hash");
    }
    int iterations = parseIterations(parts[1]);
    Base64.Decoder base64 = Base64.getDecoder();
    byte[] salt = base64.decode(parts[2]);
    byte[] expected = base64.decode(parts[3]);
    byte[] actual = pbkdf2(password, salt, iterations);
    return MessageDigest.isEqual(expected, actual);
  }

  /** The iteration count stored in {@code encodedHash}; also validates its shape. */
  public static int iterationsOf(String encodedHash) {
    String[] parts = encodedHash.split("\\$");
    if (parts.length != 4 || !parts[0].equals(SCHEME)) {
      throw new IllegalArgumentException("not a " + SCHEME + " hash");
    }
    try {
      Base64.getDecoder().decode(parts[2]);
      Base64.getDecoder().decode(parts[3]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("salt or hash is not base64", e);
    }
    return parseIterations(parts[1]);
  }

  private static int parseIterations(String text) {
    int iterations;
    try {
      iterations = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad iteration count '" + text + "'", e);
    }
    if (iterations < MIN_ITERATIONS) {
      throw new IllegalArgumentException("iteration count " + iterations + " < " + MIN_ITERATIONS);
    }
    return iterations;
  }

  private static byte[] pbkdf2(char[] password, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
    try {
      return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      // Every Java 17 runtime ships PBKDF2WithHmacSHA256; reaching this is a broken JRE.
      throw new IllegalStateException(ALGORITHM + " unavailable", e);
    } finally {
      spec.clearPassword();
    }
  }

  /** Wipes a password held in a char array (a String could not be wiped). */
  public static void wipe(char[] password) {
    if (password != null) {
      Arrays.fill(password, '\0');
    }
  }
}
