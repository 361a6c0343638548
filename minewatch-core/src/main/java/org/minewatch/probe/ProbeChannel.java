package org.minewatch.probe;

import java.io.Closeable;
import java.io.FilterInputStream;
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
 *
 * <p>Every byte read from the socket counts against {@link #MAX_READ_BYTES}, TLS records included
 * (the handshake's certificates, and records that carry nothing, which a hostile server can send
 * without end): the limit is on what the endpoint makes the probe read, not on what it decrypts to.
 */
final class ProbeChannel implements Closeable {
  /** Largest total read from one connection (a pool may push several jobs in a row). */
  static final int MAX_READ_BYTES = 256 * 1024;

  /** Why a connection stopped at {@link #MAX_READ_BYTES}. */
  static final String READ_LIMIT_TEXT = "read limit of " + MAX_READ_BYTES / 1024 + " KiB reached";

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
  private final LimitedSocket underlying;
  private final String certificateSha256;
  private final AtomicBoolean expired = new AtomicBoolean();
  private ScheduledFuture<?> deadline;

  private ProbeChannel(Socket socket, LimitedSocket underlying, String certificateSha256) {
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

    private final boolean readLimit;

    HandshakeFailed(String message, Throwable cause, boolean readLimit) {
      super(message, cause);
      this.readLimit = readLimit;
    }

    /** Whether the server sent more than {@link #MAX_READ_BYTES} before TLS was agreed on. */
    boolean readLimit() {
      return readLimit;
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
    LimitedSocket plain = new LimitedSocket();
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
        if (causedByReadLimit(e)) {
          throw new HandshakeFailed(READ_LIMIT_TEXT + " during the TLS handshake", e, true);
        }
        boolean late = expired.get() || e instanceof SocketTimeoutException;
        throw new HandshakeFailed(
            late ? within : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(),
            e,
            false);
      } catch (GeneralSecurityException e) {
        tls.close();
        throw new HandshakeFailed(
            "the server's certificate cannot be read: " + e.getMessage(), e, false);
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

  /** Bytes that may still be read from the socket before {@link #MAX_READ_BYTES}. */
  long readBytesLeft() {
    return MAX_READ_BYTES - underlying.read;
  }

  /**
   * Whether {@code e} failed a read because the connection had read {@link #MAX_READ_BYTES}. The
   * JDK's TLS socket wraps the refusal in exceptions of its own; and it also reads on its own
   * account, after a failure (draining what is left before it closes), where a refusal is not the
   * cause: so the cause chain is asked, not whether the limit was ever reached.
   */
  static boolean causedByReadLimit(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ReadLimitReached) {
        return true;
      }
    }
    return false;
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

  /** Thrown by a read past {@link #MAX_READ_BYTES}. */
  static final class ReadLimitReached extends IOException {
    private static final long serialVersionUID = 1L;

    ReadLimitReached() {
      super(READ_LIMIT_TEXT);
    }
  }

  /**
   * A TCP socket whose input counts the bytes read, and refuses to read past {@link
   * #MAX_READ_BYTES}. A TLS socket layered over it reads the records through {@link
   * #getInputStream}, so they are counted too.
   */
  private static final class LimitedSocket extends Socket {
    /** Bytes read so far: written and read by the probe's thread only. */
    private long read;

    private InputStream in;

    @Override
    public synchronized InputStream getInputStream() throws IOException {
      if (in == null) {
        in = new Limited(super.getInputStream());
      }
      return in;
    }

    private final class Limited extends FilterInputStream {
      Limited(InputStream in) {
        super(in);
      }

      /** How many of {@code wanted} bytes may be read; throws once none may. */
      private int allowed(long wanted) throws ReadLimitReached {
        long left = MAX_READ_BYTES - read;
        if (left <= 0) {
          throw new ReadLimitReached();
        }
        return (int) Math.min(wanted, left);
      }

      @Override
      public int read() throws IOException {
        allowed(1);
        int b = in.read();
        if (b >= 0) {
          read++;
        }
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
          return 0;
        }
        int n = in.read(b, off, allowed(len));
        if (n > 0) {
          read += n;
        }
        return n;
      }

      @Override
      public long skip(long n) throws IOException {
        if (n <= 0) {
          return 0;
        }
        long skipped = in.skip(allowed(n));
        read += skipped;
        return skipped;
      }
    }
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
