package io.edgedi.transport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * A component's small HTTP side: {@code /health} (200 when every check passes, else 503, with the
 * checks as JSON) for liveness and readiness probes, plus any routes the component adds (metrics,
 * dashboard). JDK HTTP server: no extra dependency on a Pi.
 */
public final class StatusServer implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, BooleanSupplier> checks = new LinkedHashMap<>();

  public StatusServer(String bind, int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress(bind, port), 0);
    server.setExecutor(
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "status-http");
              t.setDaemon(true);
              return t;
            }));
    server.createContext("/health", this::health);
  }

  /** A named readiness check, e.g. "broker" -> link::isConnected. */
  public StatusServer check(String name, BooleanSupplier check) {
    synchronized (checks) {
      checks.put(name, check);
    }
    return this;
  }

  public StatusServer route(String path, HttpHandler handler) {
    server.createContext(path, handler);
    return this;
  }

  public StatusServer start() {
    server.start();
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void health(HttpExchange ex) throws IOException {
    StringBuilder json = new StringBuilder("{\"checks\":{");
    boolean up = true;
    synchronized (checks) {
      boolean first = true;
      for (Map.Entry<String, BooleanSupplier> c : checks.entrySet()) {
        boolean ok;
        try {
          ok = c.getValue().getAsBoolean();
        } catch (RuntimeException e) {
          ok = false;
        }
        up &= ok;
        json.append(first ? "" : ",").append('"').append(c.getKey()).append("\":").append(ok);
        first = false;
      }
    }
    json.append("},\"status\":\"").append(up ? "UP" : "DOWN").append("\"}");
    respond(ex, up ? 200 : 503, "application/json", json.toString());
  }

  public static void respond(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
