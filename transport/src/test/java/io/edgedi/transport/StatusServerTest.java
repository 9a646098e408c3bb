package io.edgedi.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class StatusServerTest {

  @Test
  void healthIsUpOnlyWhileEveryCheckPasses() throws Exception {
    AtomicBoolean broker = new AtomicBoolean(true);
    try (StatusServer s =
        new StatusServer("127.0.0.1", 0)
            .check("broker", broker::get)
            .check("model", () -> true)
            .start()) {
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest req =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/health")).build();
      HttpResponse<String> up = http.send(req, HttpResponse.BodyHandlers.ofString());
      assertEquals(200, up.statusCode());
      assertEquals("{\"checks\":{\"broker\":true,\"model\":true},\"status\":\"UP\"}", up.body());
      broker.set(false);
      HttpResponse<String> down = http.send(req, HttpResponse.BodyHandlers.ofString());
      assertEquals(503, down.statusCode());
      assertTrue(down.body().contains("\"broker\":false"));
    }
  }
}
