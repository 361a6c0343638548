package org.minewatch.server.web;

import static io.javalin.http.HandlerType.GET;

import io.javalin.http.Context;
import java.util.Map;
import org.minewatch.governance.Governance;
import org.minewatch.governance.access.Action;
import org.minewatch.governance.stats.Dashboard;

/**
 * The dashboard (the province at a glance): {@code GET /dashboard}, for the roles that read the
 * statistics, with {@code ?region=} to drill down province → city → county. Its figures come from
 * {@link Governance#dashboard}, which limits a regional officer to its region; the page links every
 * figure to the case list behind it and draws the weekly series with uPlot from the server's own
 * copy (the script reads the figures from a {@code data-} attribute: no inline script), with the
 * same series as a table for screen readers and browsers without scripts.
 */
public final class DashboardPages {
  private final Governance g;

  private DashboardPages(Governance g) {
    this.g = g;
  }

  /** Adds the dashboard to the console's guard. */
  public static void addTo(WebPages pages) {
    DashboardPages d = new DashboardPages(pages.governance());
    pages.add(new PageRoute(GET, "/dashboard", Action.READ_STATS, d::dashboard));
  }

  private void dashboard(Context ctx, Page page) {
    Dashboard.Figures d = g.dashboard(page.user(), ctx.queryParam("region"));
    WebPages.render(
        ctx, 200, "dashboard.jte", Map.of("page", page, "v", new DashboardView(page.t(), d)));
  }
}
