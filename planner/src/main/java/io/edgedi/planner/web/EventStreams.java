package io.edgedi.planner.web;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The browsers connected to {@code /api/events}, as server-sent event streams. Written to by one
 * thread only (the feed's); a browser whose stream fails is dropped.
 */
final class EventStreams {
  private static final Logger LOG = LoggerFactory.getLogger(EventStreams.class);

  private static final class Client {
    final HttpExchange exchange;
    final OutputStream out;
    boolean greeted;

    Client(HttpExchange exchange) {
      this.exchange = exchange;
      this.out = exchange.getResponseBody();
    }
  }

  private final List<Client> clients = new CopyOnWriteArrayList<>();

  /** Takes over the exchange as an event stream; it is greeted on the next {@link #greet}. */
  void add(HttpExchange ex) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    ex.getResponseHeaders().set("Cache-Control", "no-cache");
    ex.getResponseHeaders().set("X-Accel-Buffering", "no");
    ex.sendResponseHeaders(200, 0);
    clients.add(new Client(ex));
  }

  int size() {
    return clients.size();
  }

  boolean isEmpty() {
    return clients.isEmpty();
  }

  /**
   * Sends each new browser the event {@code name} with {@code data}, made once and only if one is
   * new.
   */
  void greet(String name, Supplier<String> data) {
    String text = null;
    for (Client c : clients) {
      if (!c.greeted) {
        if (text == null) {
          text = "retry: 2000\n\n" + event(name, data.get());
        }
        c.greeted = true;
        write(c, text);
      }
    }
  }

  /** To every greeted browser (a new one's greeting already carries everything up to now). */
  void send(String name, String data) {
    String text = event(name, data);
    for (Client c : clients) {
      if (c.greeted) {
        write(c, text);
      }
    }
  }

  void closeAll() {
    for (Client c : clients) {
      drop(c);
    }
  }

  private static String event(String name, String data) {
    return "event: " + name + "\ndata: " + data + "\n\n";
  }

  private void write(Client c, String text) {
    try {
      c.out.write(text.getBytes(StandardCharsets.UTF_8));
      c.out.flush();
    } catch (IOException e) {
      drop(c);
    }
  }

  private void drop(Client c) {
    clients.remove(c);
    try {
      c.exchange.close();
    } catch (RuntimeException e) {
      LOG.debug("closing an event stream: {}", e.toString());
    }
  }
}
