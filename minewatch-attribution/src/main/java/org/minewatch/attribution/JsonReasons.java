package org.minewatch.attribution;

import com.fasterxml.jackson.core.JsonProcessingException;

/** Why JSON could not be read, in one line and without the parser's internals. */
public final class JsonReasons {
  private JsonReasons() {}

  /**
   * Jackson's reason, cut before its source description and start-marker location, and with a
   * limit's setting name removed ("exceeds the maximum allowed (16, from
   * `StreamReadConstraints...`)" becomes "exceeds the maximum allowed (16)", and "Non-standard
   * token 'NaN': enable `JsonReadFeature...` to allow" becomes "Non-standard token 'NaN'").
   */
  public static String of(JsonProcessingException e) {
    String m = e.getOriginalMessage();
    if (m == null) {
      return "not valid JSON";
    }
    for (String cut : new String[] {"\n", " (start marker at", " [Source", "; line:"}) {
      int i = m.indexOf(cut);
      if (i >= 0) {
        m = m.substring(0, i);
      }
    }
    m = m.replaceAll(", from `[^`]*`\\)", ")").replaceAll(": enable `[^`]*` to allow", "").strip();
    return m.length() > 200 ? Shown.value(m) : m; // Jackson's reasons run to about 150 characters
  }
}
