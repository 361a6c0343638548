package org.minewatch.governance.user;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.minewatch.attribution.registry.CreditCode;
import org.minewatch.governance.Problem;
import org.minewatch.governance.region.Regions;
import org.minewatch.governance.store.Times;

/**
 * Users, their passwords (Argon2id through password4j) and their tokens. A token is 256 random
 * bits, shown once; the database keeps its SHA-256. Sessions expire; a sensor's API token does not
 * (disable the sensor to revoke it). Five failed logins for a name within 15 minutes lock that name
 * out for 15 minutes; twenty from one client address, whatever the names, lock that address out
 * (password spraying). The failures are rows of {@code login_failures}, written with their audit
 * entry: a restart remembers them, and servers on one database count together; rows older than the
 * window are deleted as new ones come.
 */
public final class Users {
  public static final Duration SESSION = Duration.ofHours(12);
  static final int MAX_FAILURES = 5;
  static final int MAX_FAILURES_PER_ADDRESS = 20;
  static final Duration THROTTLE = Duration.ofMinutes(15);

  /** Longest name or address kept in {@code login_failures}; longer ones are counted clipped. */
  static final int MAX_KEY = 300;

  private static final Argon2Function ARGON2 =
      Argon2Function.getInstance(19_456, 2, 1, 32, Argon2.ID);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A hash of a random password no one knows, made once on the first login attempt. */
  private static final class Decoy {
    static final String HASH =
        Password.hash(Base64.getEncoder().encodeToString(RANDOM.generateSeed(24)))
            .addRandomSalt(16)
            .with(ARGON2)
            .getResult();
  }

  private final Jdbi jdbi;
  private final Clock clock;

  public Users(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /** Failures of a name ({@code "name"}) or an address ({@code "address"}) since {@code since}. */
  private static long failures(Handle h, String kind, String key, Instant since) {
    return h.createQuery(
            "select count(*) from login_failures "
                + "where kind = :kind and key_value = :key and at_millis > :since")
        .bind("kind", kind)
        .bind("key", clip(key))
        .bind("since", since.toEpochMilli())
        .mapTo(Long.class)
        .one();
  }

  /**
   * Records a failed login of {@code name} from {@code client} (in the transaction that audits it)
   * and deletes the failures too old to lock anything.
   */
  public void recordFailure(Handle h, String name, String client) {
    Instant now = clock.instant();
    for (String[] kv :
        new String[][] {
          {"name", name == null ? "" : name}, {"address", client == null ? "" : client}
        }) {
      h.createUpdate("insert into login_failures (kind, key_value, at_millis) values (:k, :v, :at)")
          .bind("k", kv[0])
          .bind("v", clip(kv[1]))
          .bind("at", now.toEpochMilli())
          .execute();
    }
    h.createUpdate("delete from login_failures where at_millis <= :stale")
        .bind("stale", now.minus(THROTTLE).toEpochMilli())
        .execute();
  }

  /** Forgets the failures of a name that has just logged in. */
  public void clearFailures(Handle h, String name) {
    h.createUpdate("delete from login_failures where kind = 'name' and key_value = :v")
        .bind("v", clip(name))
        .execute();
  }

  private static String clip(String key) {
    return key.length() <= MAX_KEY ? key : key.substring(0, MAX_KEY);
  }

  /** A user as listed: no secrets. */
  public record Listed(
      long id,
      String name,
      String role,
      String regionCode,
      String unitCode,
      boolean disabled,
      Instant createdAt) {}

  /**
   * Adds a user in the caller's transaction. Returns the sensor's API token for {@code sensor},
   * else null.
   *
   * @param password required for every role but {@code sensor}
   */
  public String add(
      Handle h, String name, Role role, String regionCode, String unitCode, char[] password) {
    if (name == null || !name.matches("[A-Za-z0-9._@-]{1,100}")) {
      throw Problem.invalid("name", "1 to 100 letters, digits or . _ @ -");
    }
    if (role == Role.REGIONAL_OFFICER && !Regions.valid(regionCode)) {
      throw Problem.invalid("region", "a regional officer needs a 6-digit GB/T 2260 region code");
    }
    if (role != Role.REGIONAL_OFFICER && regionCode != null) {
      throw Problem.invalid("region", "only a regional officer has a region");
    }
    if (role == Role.UNIT_CONTACT) {
      if (unitCode == null || CreditCode.problem(unitCode) != null) {
        throw Problem.invalid(
            "unit",
            "a unit contact needs its unit's valid unified social credit code"
                + (unitCode == null ? "" : ": " + CreditCode.problem(unitCode)));
      }
    } else if (unitCode != null) {
      throw Problem.invalid("unit", "only a unit contact has a unit");
    }
    String hash = null;
    if (role != Role.SENSOR) {
      if (password == null || password.length < 10) {
        throw Problem.invalid("password", "at least 10 characters");
      }
      hash = Password.hash(new String(password)).addRandomSalt(16).with(ARGON2).getResult();
    }
    if (h.createQuery("select count(*) from users where name = :n")
            .bind("n", name)
            .mapTo(Integer.class)
            .one()
        > 0) {
      throw Problem.conflict("a user named " + name + " exists");
    }
    long id =
        h.createUpdate(
                "insert into users (name, role, region_code, unit_code, password_hash, disabled, created_at) "
                    + "values (:n, :r, :rc, :uc, :h, false, :at)")
            .bind("n", name)
            .bind("r", role.label())
            .bind("rc", regionCode)
            .bind("uc", unitCode)
            .bind("h", hash)
            .bind("at", Times.bind(clock.instant()))
            .executeAndReturnGeneratedKeys("id")
            .mapTo(Long.class)
            .one();
    return role == Role.SENSOR ? issue(h, id, "api", null) : null;
  }

  public List<Listed> list() {
    return jdbi.withHandle(
        h ->
            h.createQuery("select * from users order by name")
                .map(
                    (rs, ctx) ->
                        new Listed(
                            rs.getLong("id"),
                            rs.getString("name"),
                            rs.getString("role"),
                            rs.getString("region_code"),
                            rs.getString("unit_code"),
                            rs.getBoolean("disabled"),
                            Times.read(rs, "created_at")))
                .list());
  }

  /** Disables a user and revokes its tokens. */
  public void disable(Handle h, String name) {
    int n =
        h.createUpdate("update users set disabled = true where name = :n")
            .bind("n", name)
            .execute();
    if (n == 0) {
      throw Problem.notFound("no user named " + name);
    }
    h.createUpdate("delete from tokens where user_id = (select id from users where name = :n)")
        .bind("n", name)
        .execute();
  }

  /**
   * Checks a name and password from {@code client} and returns the user's id; throttled per name
   * and per address. Reads only: the caller runs it outside the write lock, since Argon2 takes tens
   * of milliseconds that ingest should not wait for, and records a wrong password with {@link
   * #recordFailure} (an unauthenticated problem) where it audits it.
   */
  public long check(Handle h, String name, char[] password, String client) {
    Instant since = clock.instant().minus(THROTTLE);
    String key = name == null ? "" : name;
    String from = client == null ? "" : client;
    if (failures(h, "address", from, since) >= MAX_FAILURES_PER_ADDRESS) {
      throw Problem.tooMany("too many failed logins from " + from + "; try again in 15 minutes");
    }
    if (failures(h, "name", key, since) >= MAX_FAILURES) {
      throw Problem.tooMany("too many failed logins for " + name + "; try again in 15 minutes");
    }
    Optional<Map<String, Object>> row =
        h.createQuery("select id, password_hash, disabled from users where name = :n")
            .bind("n", name)
            .mapToMap()
            .findFirst();
    String stored =
        row.isPresent() && !(Boolean) row.get().get("disabled")
            ? (String) row.get().get("password_hash")
            : null;
    // Argon2 runs whatever the name: against a decoy where there is no usable hash, so that an
    // unknown or disabled name costs the same time as a wrong password and the delay of the answer
    // does not tell which names exist.
    boolean matches =
        Password.check(
                password == null ? "" : new String(password), stored != null ? stored : Decoy.HASH)
            .with(ARGON2);
    boolean ok = stored != null && password != null && matches;
    if (!ok) {
      throw Problem.unauthenticated("wrong user name or password");
    }
    return ((Number) row.get().get("id")).longValue();
  }

  /** A session token for a user whose password {@link #check} accepted. */
  public String openSession(Handle h, long userId) {
    return issue(h, userId, "session", clock.instant().plus(SESSION));
  }

  /** The user a token belongs to, if it is valid now. */
  public Optional<User> authenticate(String token) {
    if (token == null || token.isBlank()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "select u.*, t.expires_at from tokens t join users u on u.id = t.user_id "
                        + "where t.token_hash = :t")
                .bind("t", sha256(token))
                .map(
                    (rs, ctx) -> {
                      Instant exp = Times.read(rs, "expires_at");
                      if ((exp != null && !exp.isAfter(now)) || rs.getBoolean("disabled")) {
                        return null;
                      }
                      return new User(
                          rs.getLong("id"),
                          rs.getString("name"),
                          Role.parse(rs.getString("role")),
                          rs.getString("region_code"),
                          rs.getString("unit_code"),
                          false);
                    })
                .findFirst());
  }

  public void logout(Handle h, String token) {
    h.createUpdate("delete from tokens where token_hash = :t").bind("t", sha256(token)).execute();
  }

  private String issue(Handle h, long userId, String kind, Instant expires) {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    h.createUpdate(
            "insert into tokens (token_hash, user_id, kind, created_at, expires_at) values (:t, :u, :k, :c, :e)")
        .bind("t", sha256(token))
        .bind("u", userId)
        .bind("k", kind)
        .bind("c", Times.bind(clock.instant()))
        .bind("e", Times.bind(expires))
        .execute();
    return token;
  }

  static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
