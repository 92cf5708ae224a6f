package io.dialerbridge.emulator.oauth;

import io.dialerbridge.emulator.EmulatorSettings;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real Jetty server on a free loopback port serving only the OAuth servlet, mounted as the emulator mounts it.
 */
final class OAuthTestServer implements AutoCloseable {

    private final Server server;
    private final TokenStore tokens;
    private final String baseUrl;

    private OAuthTestServer(Server server, TokenStore tokens, String baseUrl) {
        this.server = server;
        this.tokens = tokens;
        this.baseUrl = baseUrl;
    }

    static OAuthTestServer start(EmulatorSettings settings) throws Exception {
        TokenStore tokens = new TokenStore(settings);
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new OAuthServlet(settings, tokens)), OAuthServlet.PATH_SPEC);
        server.setHandler(context);
        server.start();
        return new OAuthTestServer(server, tokens, "http://127.0.0.1:" + connector.getLocalPort());
    }

    /** scheme://host:port with no trailing slash, which is also the instance URL the server reports. */
    String baseUrl() {
        return baseUrl;
    }

    TokenStore tokens() {
        return tokens;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
