// The image tests' Java app: answers every request with the uid it runs as (only the JDK's own
// HTTP server, so it builds offline with javac and jar).
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

public class Main {
    static String uid() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) return line.split("\\s+")[1];
        }
        return "?";
    }

    public static void main(String[] args) throws Exception {
        String[] addr = System.getenv().getOrDefault("ADDR", "0.0.0.0:8080").split(":");
        HttpServer server = HttpServer.create(new InetSocketAddress(addr[0], Integer.parseInt(addr[1])), 0);
        server.createContext("/", exchange -> {
            byte[] body;
            try { body = ("hello from uid=" + uid() + "\n").getBytes(StandardCharsets.UTF_8); }
            catch (Exception e) { body = e.toString().getBytes(StandardCharsets.UTF_8); }
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        System.out.println("listening on " + String.join(":", addr));
    }
}
