package org.minewatch.probe;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * One probe connection, in clear or over TLS. The server's certificate is not verified: pools
 * mostly use self-signed ones, and the probe sends nothing secret; its fingerprint is recorded
 * instead, so an operator can recognise the same pool behind another address.
 */
final class ProbeChannel implements Closeable {
  private final Socket socket;
  private final String certificateSha256;

  private ProbeChannel(Socket socket, String certificateSha256) {
    this.socket = socket;
    this.certificateSha256 = certificateSha256;
  }

  /** Thrown when the TCP connection was made but TLS could not be agreed on. */
  static final class HandshakeFailed extends IOException {
    private static final long serialVersionUID = 1L;

    HandshakeFailed(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Connects to exactly {@code to} (an address, never a name to resolve again), within {@code timeout}
   * for the TCP connection and again for the TLS handshake.
   */
  static ProbeChannel open(InetSocketAddress to, Wire wire, Duration timeout) throws IOException {
    Socket plain = new Socket();
    try {
      plain.connect(to, (int) timeout.toMillis());
      plain.setSoTimeout((int) timeout.toMillis());
      plain.setTcpNoDelay(true);
      if (wire == Wire.CLEAR) {
        return new ProbeChannel(plain, null);
      }
      SSLSocket tls = (SSLSocket) TrustAnything.CONTEXT.getSocketFactory()
          .createSocket(plain, to.getAddress().getHostAddress(), to.getPort(), true);
      try {
        tls.startHandshake();
        Certificate[] chain = tls.getSession().getPeerCertificates();
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded()));
        return new ProbeChannel(tls, sha);
      } catch (IOException e) {
        tls.close();
        throw new HandshakeFailed(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
      } catch (GeneralSecurityException e) {
        tls.close();
        throw new HandshakeFailed("the server's certificate cannot be read: " + e.getMessage(), e);
      }
    } catch (IOException | RuntimeException e) {
      plain.close();
      throw e;
    }
  }

  InputStream in() throws IOException {
    return socket.getInputStream();
  }

  OutputStream out() throws IOException {
    return socket.getOutputStream();
  }

  /** Read timeout for the next read; at least 1 ms (0 would mean forever). */
  void readTimeout(long millis) throws IOException {
    socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, millis)));
  }

  String certificateSha256() {
    return certificateSha256;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** Accepts any server certificate; see the class comment for why. */
  private static final class TrustAnything extends X509ExtendedTrustManager {
    static final SSLContext CONTEXT;

    static {
      try {
        CONTEXT = SSLContext.getInstance("TLS");
        CONTEXT.init(null, new javax.net.ssl.TrustManager[] {new TrustAnything()}, null);
      } catch (GeneralSecurityException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
