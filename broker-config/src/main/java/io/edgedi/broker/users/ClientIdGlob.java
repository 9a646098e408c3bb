package io.edgedi.broker.users;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The client ids an account may use besides its own name: the {@code clients=} field of a
 * users-file line, e.g. {@code pi-*} or {@code *}. {@code *} matches any run of characters (also
 * none); every other character matches itself, case-sensitively, as MQTT client ids are compared.
 *
 * <p>Only the characters a worker or planner id may have are accepted, plus {@code *}: no {@code
 * ?}, no character classes, nothing MQTT treats as a wildcard. Matching is a plain loop, no regular
 * expression built from file content. Thread-safe: immutable.
 *
 * @param glob the pattern as written in the users file
 */
public record ClientIdGlob(String glob) {

  /** Name of the optional fourth field of a users-file line. */
  public static final String FIELD = "clients=";

  private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._*-]{1,128}");

  public ClientIdGlob {
    Objects.requireNonNull(glob, "glob");
    if (!ALLOWED.matcher(glob).matches()) {
      throw new IllegalArgumentException(
          "bad client id pattern '"
              + glob
              + "': use letters, digits, '.', '_',"
              + " '-' and '*' (any characters), at most 128, e.g. clients=pi-* or clients=*");
    }
  }

  /**
   * Whether {@code clientId} matches. Greedy with one step of backtracking to the last {@code *}:
   * O(length of id x length of pattern) at worst, both at most a few hundred characters.
   */
  public boolean matches(String clientId) {
    if (clientId == null) {
      return false;
    }
    int p = 0;
    int s = 0;
    int lastStar = -1;
    int resumeAt = 0;
    while (s < clientId.length()) {
      if (p < glob.length() && glob.charAt(p) == '*') {
        lastStar = p++;
        resumeAt = s;
      } else if (p < glob.length() && glob.charAt(p) == clientId.charAt(s)) {
        p++;
        s++;
      } else if (lastStar >= 0) {
        // let the last '*' swallow one more character and try the rest again
        p = lastStar + 1;
        s = ++resumeAt;
      } else {
        return false;
      }
    }
    while (p < glob.length() && glob.charAt(p) == '*') {
      p++;
    }
    return p == glob.length();
  }

  /** The users-file field, {@code clients=GLOB}. */
  String toField() {
    return FIELD + glob;
  }

  @Override
  public String toString() {
    return toField();
  }
}
