package dev.minsky.backend.postgres.probe;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A cheap look at the server below the driver: connect TCP (timed), send PostgreSQL's 8-byte
 * SSLRequest and time the one-byte answer ({@code S} or {@code N}). That tells "nothing listens"
 * (refused), "no answer at TCP level" (timeout) and "TCP up but the server does not answer"
 * (stopped or overloaded) apart without a login. When the server offers TLS, a handshake that
 * trusts any certificate reads the server's chain, only to report its issuer, names and expiry:
 * nothing is sent over it, no credentials ever, and the socket is closed right after.
 */
final class PgWireProbe {
    /** PostgreSQL's SSLRequest code (1234 5679). */
    static final int SSL_REQUEST = 80877103;

    /**
     * @param tcpConnected the TCP connection was established
     * @param tcpError refused, timeout, unknown-host or unreachable when it was not
     * @param connectMillis time to establish TCP (or to fail)
     * @param firstByteMillis time from the SSLRequest to the answer, -1 when none came
     * @param answer 'S' (TLS offered), 'N' (no TLS), another byte, or 0 for none
     * @param chain the server's certificates (leaf first), empty when not read
     * @param tlsError why the chain could not be read, or null
     */
    record Result(boolean tcpConnected, String tcpError, long connectMillis, long firstByteMillis, char answer,
                  List<X509Certificate> chain, String tlsError) {}

    private PgWireProbe() {}

    static Result run(String host, int port, int connectTimeoutMs, int answerTimeoutMs, boolean readChain) {
        long t0 = System.nanoTime();
        Socket s = new Socket();
        try {
            try {
                s.connect(new InetSocketAddress(host, port), connectTimeoutMs);
            } catch (UnknownHostException e) {
                return fail("unknown-host", t0);
            } catch (NoRouteToHostException e) {
                return fail("unreachable", t0);
            } catch (SocketTimeoutException e) {
                return fail("timeout", t0);
            } catch (ConnectException e) {
                String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
                return fail(m.contains("timed out") ? "timeout" : m.contains("unreachable") ? "unreachable" : "refused", t0);
            } catch (IOException e) {
                return fail(s.isConnected() ? null : "refused", t0);
            }
            long connected = System.nanoTime();
            long connectMillis = (connected - t0) / 1_000_000;
            s.setSoTimeout(answerTimeoutMs);
            s.setTcpNoDelay(true);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeInt(8);
            out.writeInt(SSL_REQUEST);
            out.flush();
            long sent = System.nanoTime();
            int b;
            InputStream in = s.getInputStream();
            try {
                b = in.read();
            } catch (SocketTimeoutException e) {
                return new Result(true, null, connectMillis, -1, (char) 0, List.of(), null);
            } catch (IOException e) {
                return new Result(true, null, connectMillis, -1, (char) 0, List.of(), "the connection was reset: " + e.getMessage());
            }
            long firstByte = (System.nanoTime() - sent) / 1_000_000;
            if (b < 0) {
                return new Result(true, null, connectMillis, -1, (char) 0, List.of(), "the server closed the connection");
            }
            char answer = (char) b;
            if (answer != 'S' || !readChain) {
                return new Result(true, null, connectMillis, firstByte, answer, List.of(), null);
            }
            try {
                return new Result(true, null, connectMillis, firstByte, answer, chain(s, host, port), null);
            } catch (IOException | java.security.GeneralSecurityException e) {
                return new Result(true, null, connectMillis, firstByte, answer, List.of(),
                        e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        } catch (IOException e) {
            return new Result(s.isConnected(), s.isConnected() ? null : "refused", (System.nanoTime() - t0) / 1_000_000, -1,
                    (char) 0, List.of(), e.getMessage());
        } finally {
            try {
                s.close();
            } catch (IOException e) {
                // nothing was sent that needs a goodbye
            }
        }
    }

    private static Result fail(String why, long t0) {
        return new Result(false, why, (System.nanoTime() - t0) / 1_000_000, -1, (char) 0, List.of(), null);
    }

    /** The server's chain, read through a handshake that accepts any certificate; nothing is sent after it. */
    private static List<X509Certificate> chain(Socket s, String host, int port) throws IOException, java.security.GeneralSecurityException {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {new ReadOnly()}, null);
        try (SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(s, host, port, true)) {
            ssl.setSoTimeout(s.getSoTimeout());
            ssl.startHandshake();
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : ssl.getSession().getPeerCertificates()) {
                if (c instanceof X509Certificate x) {
                    out.add(x);
                }
            }
            return out;
        }
    }

    /** Accepts every chain: used only to read it, never to trust a connection that carries anything. */
    private static final class ReadOnly implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
