package dev.cairn.broker.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/** An {@link SSLSocketFactory} whose sockets offer only the given TLS versions (e.g. TLSv1.1, to be refused). */
final class ProtocolSocketFactory extends SSLSocketFactory {
    private final SSLSocketFactory base;
    private final String[] protocols;

    ProtocolSocketFactory(SSLSocketFactory base, String[] protocols) {
        this.base = base;
        this.protocols = protocols.clone();
    }

    private Socket restrict(Socket socket) {
        ((SSLSocket) socket).setEnabledProtocols(protocols);
        return socket;
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return base.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return base.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket() throws IOException {
        return restrict(base.createSocket());
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
        return restrict(base.createSocket(s, host, port, autoClose));
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return restrict(base.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return restrict(base.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return restrict(base.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return restrict(base.createSocket(address, port, localAddress, localPort));
    }
}
