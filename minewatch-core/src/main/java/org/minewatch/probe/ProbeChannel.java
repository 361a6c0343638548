package org.minewatch.probe;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
  /**
   * Closes a connection whose stage has run out of time. A read timeout alone bounds each read, not
   * a stage: a server that drips a byte a second would hold a TLS handshake, or a TLS record, open
   * for ever. One daemon thread serves every probe.
   */
  private static final ScheduledExecutorService WATCHDOG;

  static {
    ScheduledThreadPoolExecutor w =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "minewatch-probe-deadline");
              t.setDaemon(true);
              return t;
            });
    w.setRemoveOnCancelPolicy(true);
    WATCHDOG = w;
  }

  private final Socket socket;
  private final Socket underlying;
  private final String certificateSha256;
  private final AtomicBoolean expired = new AtomicBoolean();
  private ScheduledFuture<?> deadline;

  private ProbeChannel(Socket socket, Socket underlying, String certificateSha256) {
    this.socket = socket;
    this.underlying = underlying;
    this.certificateSha256 = certificateSha256;
  }

  /** Closes {@code socket} at {@code nanos} from now, and says so in {@code expired}. */
  private static ScheduledFuture<?> closeAt(Socket socket, AtomicBoolean expired, long nanos) {
    return WATCHDOG.schedule(
        () -> {
          expired.set(true);
          try {
            socket.close();
          } catch (IOException e) {
            // closing is all that is wanted
          }
        },
        Math.max(0, nanos),
        TimeUnit.NANOSECONDS);
  }

  /** Thrown when the TCP connection was made but TLS could not be agreed on. */
  static final class HandshakeFailed extends IOException {
    private static final long serialVersionUID = 1L;

    HandshakeFailed(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Connects to exactly {@code to} (an address, never a name to resolve again): the TCP connection
   * and the TLS handshake together within {@code timeout}, however slowly the server sends, or the
   * socket is closed.
   *
   * @throws SocketTimeoutException if there was no TCP connection within {@code timeout}
   * @throws HandshakeFailed if TLS was not agreed on, or not within {@code timeout}
   */
  static ProbeChannel open(InetSocketAddress to, Wire wire, Duration timeout) throws IOException {
    long end = System.nanoTime() + timeout.toNanos();
    Socket plain = new Socket();
    AtomicBoolean expired = new AtomicBoolean();
    ScheduledFuture<?> guard = closeAt(plain, expired, timeout.toNanos());
    try {
      try {
        plain.connect(to, (int) Math.max(1, timeout.toMillis()));
      } catch (IOException e) {
        if (expired.get()) {
          throw new SocketTimeoutException("connect timed out");
        }
        throw e;
      }
      plain.setSoTimeout((int) Math.max(1, (end - System.nanoTime()) / 1_000_000));
      plain.setTcpNoDelay(true);
      if (wire == Wire.CLEAR) {
        guard.cancel(false);
        if (expired.get()) {
          throw new SocketTimeoutException("connect timed out");
        }
        return new ProbeChannel(plain, plain, null);
      }
      SSLSocket tls =
          (SSLSocket)
              TrustAnything.CONTEXT
                  .getSocketFactory()
                  .createSocket(plain, to.getAddress().getHostAddress(), to.getPort(), true);
      String within = "not completed within " + timeout.toMillis() / 1000.0 + " s";
      try {
        tls.startHandshake();
        Certificate[] chain = tls.getSession().getPeerCertificates();
        String sha =
            HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded()));
        guard.cancel(false);
        if (expired.get()) {
          throw new SocketTimeoutException(within);
        }
        return new ProbeChannel(tls, plain, sha);
      } catch (IOException e) {
        tls.close();
        boolean late = expired.get() || e instanceof SocketTimeoutException;
        throw new HandshakeFailed(
            late ? within : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(),
            e);
      } catch (GeneralSecurityException e) {
        tls.close();
        throw new HandshakeFailed("the server's certificate cannot be read: " + e.getMessage(), e);
      }
    } catch (IOException | RuntimeException e) {
      plain.close();
      throw e;
    } finally {
      guard.cancel(false);
    }
  }

  /**
   * Closes the connection at {@code deadlineNanos} ({@link System#nanoTime()}) unless another
   * deadline replaces this one first: a reply that has not come whole by then never will.
   */
  synchronized void deadline(long deadlineNanos) {
    if (deadline != null) {
      deadline.cancel(false);
    }
    deadline = closeAt(underlying, expired, deadlineNanos - System.nanoTime());
  }

  /** Whether the connection was closed because its deadline passed. */
  boolean expired() {
    return expired.get();
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
    synchronized (this) {
      if (deadline != null) {
        deadline.cancel(false);
      }
    }
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
