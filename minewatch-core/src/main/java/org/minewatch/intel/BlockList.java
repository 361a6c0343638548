package org.minewatch.intel;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.minewatch.model.IpAddress;

/**
 * A block list of mining hosts in any of the usual formats, one entry a line, recognised line by
 * line: a plain domain list ({@code pool.example.com}), a hosts file ({@code 0.0.0.0
 * pool.example.com}, several names allowed), or an address list ({@code 203.0.113.7}). '#' starts a
 * comment. A MineWatch finding (a JSON line of {@code scan -f jsonl}) adds its host if it was found
 * serving a mining protocol (role pool, verdict mining): pools seen in packets at one site can then
 * be looked for in the flow records of a whole network. A line that is none of these is reported
 * with its number and skipped; the rest is kept.
 */
public record BlockList(Set<String> domains, Set<IpAddress> addresses, List<String> problems) {
  private static final JsonFactory JSON = new JsonFactory();

  public static BlockList read(Reader in, String source) throws IOException {
    Set<String> domains = new LinkedHashSet<>();
    Set<IpAddress> addresses = new LinkedHashSet<>();
    List<String> problems = new ArrayList<>();
    BufferedReader r = new BufferedReader(in);
    String line;
    int n = 0;
    while ((line = r.readLine()) != null) {
      n++;
      int hash = line.indexOf('#');
      String t = (hash >= 0 ? line.substring(0, hash) : line).strip();
      if (line.strip().startsWith("{")) {
        try {
          IpAddress pool = miningPool(line);
          if (pool != null) {
            addresses.add(pool);
          }
        } catch (IOException | IllegalArgumentException e) {
          problems.add(source + ": line " + n + ": not a MineWatch finding: " + e.getMessage());
        }
        continue;
      }
      if (t.isEmpty()) {
        continue;
      }
      String[] words = t.split("\\s+");
      IpAddress first = address(words[0]);
      if (words.length == 1 && first != null) {
        addresses.add(first);
        continue;
      }
      if (words.length == 1) {
        String d = DomainNames.normalise(words[0]);
        if (d != null && d.indexOf('.') > 0) {
          domains.add(d);
        } else {
          problems.add(source + ": line " + n + ": neither a domain nor an address: " + t);
        }
        continue;
      }
      if (first == null) {
        problems.add(
            source + ": line " + n + ": a hosts-file line must start with an address: " + t);
        continue;
      }
      for (int i = 1; i < words.length; i++) {
        String d = DomainNames.normalise(words[i]);
        if (d == null || d.indexOf('.') < 0 || d.equals("localhost.localdomain")) {
          if (!words[i].equals("localhost")) {
            problems.add(source + ": line " + n + ": not a domain: " + words[i]);
          }
          continue;
        }
        domains.add(d);
      }
    }
    return new BlockList(Set.copyOf(domains), Set.copyOf(addresses), List.copyOf(problems));
  }

  /** The host of a finding line if it served a mining protocol, else null. */
  private static IpAddress miningPool(String json) throws IOException {
    String host = null;
    String role = null;
    String verdict = null;
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("not a JSON object");
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        if (v == JsonToken.VALUE_STRING) {
          switch (name) {
            case "host" -> host = p.getText();
            case "role" -> role = p.getText();
            case "verdict" -> verdict = p.getText();
            default -> {}
          }
        } else {
          p.skipChildren();
        }
      }
      if (t != JsonToken.END_OBJECT) {
        throw new IllegalArgumentException("the object does not end");
      }
    }
    if (host == null) {
      throw new IllegalArgumentException("no \"host\"");
    }
    return "pool".equals(role) && "mining".equals(verdict) ? IpAddress.parse(host) : null;
  }

  private static IpAddress address(String s) {
    boolean v4 =
        s.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))
            && s.chars().filter(c -> c == '.').count() == 3;
    boolean v6 =
        s.indexOf(':') >= 0
            && s.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0);
    if (!v4 && !v6) {
      return null;
    }
    try {
      return IpAddress.parse(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
