package io.edgedi.broker.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {

  private final PasswordHasher hasher = new PasswordHasher(2_000);

  @Test
  void theRightPasswordVerifiesAndAWrongOneDoesNot() {
    String hash = hasher.hash("correct horse".toCharArray());
    assertTrue(PasswordHasher.verify("correct horse".toCharArray(), hash));
    assertFalse(PasswordHasher.verify("correct hors".toCharArray(), hash));
    assertFalse(PasswordHasher.verify(new char[0], hash));
  }

  @Test
  void samePasswordGetsADifferentSaltEachTime() {
    assertNotEquals(hasher.hash("pw".toCharArray()), hasher.hash("pw".toCharArray()));
  }

  @Test
  void hashCarriesSchemeAndIterationCountAndNoColon() {
    String hash = hasher.hash("pw".toCharArray());
    assertTrue(hash.startsWith("pbkdf2-sha256$2000$"), hash);
    assertEquals(2_000, PasswordHasher.iterationsOf(hash));
    assertFalse(hash.contains(":"), "':' separates the users-file fields");
  }

  @Test
  void verifyUsesTheIterationCountStoredInTheHash() {
    String hash = new PasswordHasher(3_000).hash("pw".toCharArray());
    String sameSaltFewerIterations = hash.replace("$3000$", "$2000$");
    assertTrue(PasswordHasher.verify("pw".toCharArray(), hash));
    assertFalse(PasswordHasher.verify("pw".toCharArray(), sameSaltFewerIterations));
  }

  @Test
  void defaultIsOwaspIterationCount() {
    assertEquals(600_000, new PasswordHasher().iterations());
  }

  @Test
  void malformedOrWeakHashesAreRejected() {
    assertThrows(
        IllegalArgumentException.class, () -> PasswordHasher.iterationsOf("plain-password"));
    assertThrows(
        IllegalArgumentException.class, () -> PasswordHasher.iterationsOf("md5$1000$AAAA$AAAA"));
    assertThrows(
        IllegalArgumentException.class,
        () -> PasswordHasher.iterationsOf("pbkdf2-sha256$10$AAAA$AAAA"));
    assertThrows(
        IllegalArgumentException.class,
        () -> PasswordHasher.iterationsOf("pbkdf2-sha256$x$AAAA$AAAA"));
    assertThrows(
        IllegalArgumentException.class,
        () -> PasswordHasher.iterationsOf("pbkdf2-sha256$2000$!!$AAAA"));
    assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(999));
  }

  @Test
  void wipeClearsThePassword() {
    char[] password = "secret".toCharArray();
    PasswordHasher.wipe(password);
    assertEquals(new String(new char[6]), new String(password));
  }
}
