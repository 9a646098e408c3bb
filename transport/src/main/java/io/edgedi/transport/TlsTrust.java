package io.edgedi.transport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * Which broker certificates an {@code ssl://} client trusts: the PKCS12 trust store named by {@code
 * EDGEDI_TRUSTSTORE} / {@code EDGEDI_TRUSTSTORE_PASSWORD} (or the system properties {@code
 * edgedi.truststore} / {@code edgedi.truststore.password}), else the JVM's default CAs.
 */
public final class TlsTrust {
  private TlsTrust() {}

  public static SSLSocketFactory socketFactory() {
    String path = setting("edgedi.truststore", "EDGEDI_TRUSTSTORE");
    if (path == null) {
      return (SSLSocketFactory) SSLSocketFactory.getDefault();
    }
    String password = setting("edgedi.truststore.password", "EDGEDI_TRUSTSTORE_PASSWORD");
    try (InputStream in = Files.newInputStream(Path.of(path))) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password == null ? null : password.toCharArray());
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx.getSocketFactory();
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot use trust store " + path + ": " + e.getMessage(), e);
    }
  }

  private static @Nullable String setting(String property, String env) {
    String v = System.getProperty(property);
    return v != null ? v : System.getenv(env);
  }
}
