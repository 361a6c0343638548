package org.minewatch.flowrecord;

import java.util.HashMap;
import java.util.Map;

/**
 * The templates a decoder holds, bounded by {@link TemplateLimits}: by count and by fields, per
 * exporter and in total. Past a limit a template goes: the least recently defined of those that
 * have not decoded a data set yet (other than the one just added), or if there is none, the least
 * recently used of the others. A flood of templates that no data follows thus churns only itself, a
 * template in use stays, and an exporter that renews its templates replaces its stale ones. Past an
 * exporter's limit the choice is among that exporter's templates, so a flood from one address
 * evicts only its own; past the total, among all.
 */
final class TemplateStore {
  /** What a template is scoped by (RFC 7011 §8, RFC 3954 §5): exporter, observation domain, id. */
  static final class Key {
    private String exporter;
    private int version;
    private long domain;
    private int templateId;

    Key(String exporter, int version, long domain, int templateId) {
      set(exporter, version, domain, templateId);
    }

    /** Only for the store's own probe, never for a key that is held. */
    private Key set(String exporter, int version, long domain, int templateId) {
      this.exporter = exporter;
      this.version = version;
      this.domain = domain;
      this.templateId = templateId;
      return this;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && k.templateId == templateId
          && k.domain == domain
          && k.version == version
          && k.exporter.equals(exporter);
    }

    @Override
    public int hashCode() {
      return ((exporter.hashCode() * 31 + version) * 31 + Long.hashCode(domain)) * 31 + templateId;
    }
  }

  private static final class Entry {
    final Key key;
    final Holder holder;
    final ExportTemplate template;

    /** Whether it has decoded a data set: which of the two chains it is on. */
    boolean used;

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

  /** Entries from least to most recently used. */
  private static final class Chain {
    Entry oldest;
    Entry newest;

    /**
     * The entry to evict for {@code added}: the oldest of {@code unused} but {@code added}, else of
     * {@code used}.
     */
    static Entry victim(Chain unused, Chain used, Entry added) {
      if (unused.oldest != null && unused.oldest != added) {
        return unused.oldest;
      }
      return used.oldest != null
          ? used.oldest
          : unused.oldest; // added is the newest, so oldest only if alone
    }
  }

  /** One exporter's share: its templates in two chains, and what they add up to. */
  private static final class Holder {
    final String name;
    final Chain unused = new Chain();
    final Chain used = new Chain();
    int templates;
    long fields;

    Holder(String name) {
      this.name = name;
    }
  }

  private final TemplateLimits limits;
  private final Map<Key, Entry> entries = new HashMap<>();
  private final Map<String, Holder> holders = new HashMap<>();
  private final Chain unused = new Chain();
  private final Chain used = new Chain();
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

  /** Reused to look templates up for data sets, which come far more often than templates. */
  private final Key probe = new Key("", 0, 0, 0);

  /** The template to decode a data set with, now the most recently used; null if not held. */
  ExportTemplate use(String exporter, int version, long domain, int templateId) {
    Entry e = entries.get(probe.set(exporter, version, domain, templateId));
    if (e == null) {
      return null;
    }
    if (!e.used || used.newest != e || e.holder.used.newest != e) {
      unlink(e);
      e.used = true;
      link(e);
    }
    return e.template;
  }

  /**
   * Keeps (or replaces) a template of the exporter {@code holderName}, then evicts what is over a
   * limit.
   */
  void put(Key key, String holderName, ExportTemplate template) {
    remove(key);
    Holder h = holders.computeIfAbsent(holderName, Holder::new);
    Entry e = new Entry(key, h, template);
    entries.put(key, e);
    link(e);
    count(e, 1);
    while (h.templates > limits.perExporter() || h.fields > limits.fieldsPerExporter()) {
      evict(Chain.victim(h.unused, h.used, e));
    }
    while (entries.size() > limits.total() || fields > limits.fieldsTotal()) {
      evict(Chain.victim(unused, used, e));
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

  /** Adds {@code e} as the newest of its chains, the store's and its exporter's. */
  private void link(Entry e) {
    Chain all = e.used ? used : unused;
    e.older = all.newest;
    e.newer = null;
    if (all.newest != null) {
      all.newest.newer = e;
    } else {
      all.oldest = e;
    }
    all.newest = e;
    Chain mine = e.used ? e.holder.used : e.holder.unused;
    e.olderOfHolder = mine.newest;
    e.newerOfHolder = null;
    if (mine.newest != null) {
      mine.newest.newerOfHolder = e;
    } else {
      mine.oldest = e;
    }
    mine.newest = e;
  }

  private void unlink(Entry e) {
    Chain all = e.used ? used : unused;
    if (e.older != null) {
      e.older.newer = e.newer;
    } else {
      all.oldest = e.newer;
    }
    if (e.newer != null) {
      e.newer.older = e.older;
    } else {
      all.newest = e.older;
    }
    Chain mine = e.used ? e.holder.used : e.holder.unused;
    if (e.olderOfHolder != null) {
      e.olderOfHolder.newerOfHolder = e.newerOfHolder;
    } else {
      mine.oldest = e.newerOfHolder;
    }
    if (e.newerOfHolder != null) {
      e.newerOfHolder.olderOfHolder = e.olderOfHolder;
    } else {
      mine.newest = e.olderOfHolder;
    }
  }
}
