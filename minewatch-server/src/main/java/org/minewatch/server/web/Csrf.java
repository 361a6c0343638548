package org.minewatch.server.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * CSRF tokens. Signed in, a form carries HMAC-SHA256(server secret, session token): it cannot be
 * made without the session cookie, which another site's page cannot read. Not signed in (the login
 * and tip-off forms), it carries a random value that must equal a cookie set with the form (double
 * submit; the cookie is SameSite=Strict).
 */
public final class Csrf {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final byte[] secret = new byte[32];

  public Csrf() {
    RANDOM.nextBytes(secret);
  }

  public String forSession(String sessionToken) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(mac.doFinal(("csrf:" + sessionToken).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks HmacSHA256", e);
    }
  }

  public static String random() {
    byte[] b = new byte[24];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** Compares in constant time. */
  public static boolean same(String a, String b) {
    return a != null
        && b != null
        && MessageDigest.isEqual(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
