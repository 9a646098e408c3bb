package io.edgedi.planner.web;

import com.sun.net.httpserver.HttpExchange;
import io.edgedi.planner.Planner;
import io.edgedi.transport.StatusServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The planner's live dashboard on its {@link StatusServer}, beside {@code /health} and {@code
 * /metrics}: the page at {@code /} (plain HTML, JS and SVG from the class path, nothing from
 * outside), {@code /api/state} (JSON), {@code /api/events} (server-sent events) and {@code
 * /api/frames/{id}.png} (the recent frames' images).
 */
public final class Dashboard {
  private static final Map<String, String> ASSETS =
      Map.of(
          "/index.html", "text/html",
          "/dashboard.js", "text/javascript",
          "/dashboard.css", "text/css",
          "/favicon.svg", "image/svg+xml");

  private Dashboard() {}

  /**
   * Creates the feed for a planner, registers it as a listener (call before {@code start()} to see
   * every frame) and adds the routes.
   */
  public static DashboardFeed install(
      StatusServer server, Planner planner, Map<String, String> info) {
    DashboardFeed feed =
        new DashboardFeed(
            new DashboardFeed.Source(
                planner.cluster()::all,
                () -> planner.cluster().usable(System.currentTimeMillis()),
                planner::connected,
                planner::queued,
                info));
    planner.addListener(feed);
    routes(server, feed);
    return feed;
  }

  /** Adds the dashboard's routes for the feed. */
  public static void routes(StatusServer server, DashboardFeed feed) {
    server.route(
        "/api/state",
        ex -> {
          try (ex) {
            noCache(ex);
            StatusServer.respond(ex, 200, "application/json", feed.stateJson(true));
          }
        });
    server.route(
        "/api/events",
        ex -> {
          if (!"GET".equals(ex.getRequestMethod())) {
            try (ex) {
              StatusServer.respond(ex, 405, "text/plain", "GET only\n");
            }
            return;
          }
          feed.subscribe(ex); // the feed owns the exchange from here on
        });
    server.route(
        "/api/frames/",
        ex -> {
          try (ex) {
            String path = ex.getRequestURI().getRawPath();
            String name = path.substring("/api/frames/".length());
            byte[] png =
                name.endsWith(".png")
                    ? feed.png(
                        URLDecoder.decode(
                            name.substring(0, name.length() - 4), StandardCharsets.UTF_8))
                    : null;
            if (png == null) {
              StatusServer.respond(ex, 404, "text/plain", "no such recent frame\n");
              return;
            }
            ex.getResponseHeaders().set("Content-Type", "image/png");
            ex.getResponseHeaders().set("Cache-Control", "max-age=600");
            ex.sendResponseHeaders(200, png.length);
            try (OutputStream out = ex.getResponseBody()) {
              out.write(png);
            }
          }
        });
    server.route("/", Dashboard::asset);
  }

  private static void asset(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      if (path.equals("/")) {
        path = "/index.html";
      }
      String type = ASSETS.get(path);
      byte[] body = null;
      if (type != null) {
        try (InputStream in = Dashboard.class.getResourceAsStream("/dashboard" + path)) {
          body = in == null ? null : in.readAllBytes();
        }
      }
      if (body == null) {
        StatusServer.respond(ex, 404, "text/plain", "not found: " + path + "\n");
        return;
      }
      noCache(ex);
      ex.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static void noCache(HttpExchange ex) {
    ex.getResponseHeaders().set("Cache-Control", "no-cache");
  }
}
