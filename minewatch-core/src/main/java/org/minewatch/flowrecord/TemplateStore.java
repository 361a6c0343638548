package org.minewatch.flowrecord;

import java.util.HashMap;
import java.util.Map;

/**
 * The templates a decoder holds, bounded by {@link TemplateLimits}: by count and by fields, per
 * exporter and in total. Each template sits on two least-recently-used lists, its exporter's and
 * the store's; a template used for data moves to the front of both. Past an exporter's limit that
 * exporter's least recently used template goes, so a flood from one address evicts only its own;
 * past the total the store's least recently used goes.
 */
final class TemplateStore {
  /** What a template is scoped by (RFC 7011 §8, RFC 3954 §5): exporter, observation domain, id. */
  record Key(String exporter, int version, long domain, int templateId) {}

  private static final class Entry {
    final Key key;
    final Holder holder;
    final ExportTemplate template;
    Entry older;
    Entry newer;
    Entry olderOfHolder;
    Entry newerOfHolder;

    Entry(Key key, Holder holder, ExportTemplate template) {
      this.key = key;
      this.holder = holder;
      this.template = template;
    }
  }

  /** One exporter's share: its templates from least to most recently used, and what they add up to. */
  private static final class Holder {
    final String name;
    Entry oldest;
    Entry newest;
    int templates;
    long fields;

    Holder(String name) {
      this.name = name;
    }
  }

  private final TemplateLimits limits;
  private final Map<Key, Entry> entries = new HashMap<>();
  private final Map<String, Holder> holders = new HashMap<>();
  private Entry oldest;
  private Entry newest;
  private long fields;
  private long evicted;

  TemplateStore(TemplateLimits limits) {
    this.limits = limits;
  }

  int size() {
    return entries.size();
  }

  long evicted() {
    return evicted;
  }

  /** The template, now the most recently used; null if not held. */
  ExportTemplate use(Key key) {
    Entry e = entries.get(key);
    if (e == null) {
      return null;
    }
    if (e != newest || e != e.holder.newest) {
      unlink(e);
      link(e);
    }
    return e.template;
  }

  /** Keeps (or replaces) a template of the exporter {@code holderName}, then evicts what is over a limit. */
  void put(Key key, String holderName, ExportTemplate template) {
    remove(key);
    Holder h = holders.computeIfAbsent(holderName, Holder::new);
    Entry e = new Entry(key, h, template);
    entries.put(key, e);
    link(e);
    count(e, 1);
    while (h.templates > limits.perExporter() || h.fields > limits.fieldsPerExporter()) {
      evict(h.oldest); // never e itself: it is the newest and always fits alone
    }
    while (entries.size() > limits.total() || fields > limits.fieldsTotal()) {
      evict(oldest);
    }
  }

  /** Forgets a template (an IPFIX withdrawal); true if it was held. */
  boolean remove(Key key) {
    Entry e = entries.remove(key);
    if (e == null) {
      return false;
    }
    forget(e);
    return true;
  }

  private void evict(Entry e) {
    entries.remove(e.key);
    forget(e);
    evicted++;
  }

  private void forget(Entry e) {
    unlink(e);
    count(e, -1);
    if (e.holder.templates == 0) {
      holders.remove(e.holder.name); // an exporter without templates costs nothing
    }
  }

  private void count(Entry e, int sign) {
    e.holder.templates += sign;
    e.holder.fields += sign * e.template.fieldCount();
    fields += sign * e.template.fieldCount();
  }

  /** Adds {@code e} as the newest of the store and of its exporter. */
  private void link(Entry e) {
    e.older = newest;
    e.newer = null;
    if (newest != null) {
      newest.newer = e;
    } else {
      oldest = e;
    }
    newest = e;
    Holder h = e.holder;
    e.olderOfHolder = h.newest;
    e.newerOfHolder = null;
    if (h.newest != null) {
      h.newest.newerOfHolder = e;
    } else {
      h.oldest = e;
    }
    h.newest = e;
  }

  private void unlink(Entry e) {
    if (e.older != null) {
      e.older.newer = e.newer;
    } else {
      oldest = e.newer;
    }
    if (e.newer != null) {
      e.newer.older = e.older;
    } else {
      newest = e.older;
    }
    Holder h = e.holder;
    if (e.olderOfHolder != null) {
      e.olderOfHolder.newerOfHolder = e.newerOfHolder;
    } else {
      h.oldest = e.newerOfHolder;
    }
    if (e.newerOfHolder != null) {
      e.newerOfHolder.olderOfHolder = e.olderOfHolder;
    } else {
      h.newest = e.olderOfHolder;
    }
  }
}
