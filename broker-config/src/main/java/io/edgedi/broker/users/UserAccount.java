package io.edgedi.broker.users;

import io.edgedi.broker.access.Role;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One line of the users file: who, in which role, proven by which password hash.
 *
 * @param name         the MQTT user name
 * @param role         what the user may do
 * @param passwordHash a {@link PasswordHasher} hash, never a clear password
 */
public record UserAccount(String name, Role role, String passwordHash) {

    /** No ":" (the field separator), no whitespace, no "#" (the comment marker). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,128}");

    public UserAccount {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(passwordHash, "passwordHash");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad user name '" + name
                    + "': use letters, digits, '.', '_', '@' or '-' (at most 128)");
        }
        PasswordHasher.iterationsOf(passwordHash);
    }

    /** Creates an account by hashing {@code password} with {@code hasher}; wipes nothing. */
    public static UserAccount create(String name, Role role, char[] password, PasswordHasher hasher) {
        return new UserAccount(name, role, hasher.hash(password));
    }

    /** Creates an account with a hash of {@link PasswordHasher#DEFAULT_ITERATIONS}. */
    public static UserAccount create(String name, Role role, char[] password) {
        return create(name, role, password, new PasswordHasher());
    }

    /** The users-file line, {@code name:role:hash}. */
    String toLine() {
        return name + ":" + role.id() + ":" + passwordHash;
    }

    @Override
    public String toString() {
        // the hash stays out of logs and exception messages
        return "UserAccount[" + name + ", " + role.id() + "]";
    }
}
