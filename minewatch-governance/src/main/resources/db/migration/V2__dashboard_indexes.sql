-- The dashboard (stats.Dashboard) and the case lists its figures link to, fast at 100,000 findings: measured in
-- docs/benchmarks.md, "Dashboard page load".

-- The miners' findings as the dashboard reads them, in the order it merges them (host, then as stored), with every
-- column it needs: the database reads this index, not the rows with their JSON (on H2 the table scan read and
-- decoded every finding's JSON, about 2 s a page at 100,000 findings). case_id serves the lists' algorithm and
-- unknown-coin filters.
create index findings_dashboard on findings(role, host, id, verdict, coin, algorithm, operation, kwh_low, kwh_best,
  kwh_high, first_seen, received_at, case_id);

-- The case list of one operation (/cases?operation=...), and the links between cases ingest makes by operation.
create index findings_operation on findings(operation);

-- Transitions by target state: the cases closed per week, and when each case on the priority list was cleared.
create index case_events_transitions on case_events(kind, to_state, case_id, at);

-- Cases opened per week, and each week's priority list.
create index cases_opened on cases(opened_at);

-- Linking cases joins findings on their wallet: without this index, ingest slowed to 25 findings/s by
-- 10,000 findings on H2 (docs/benchmarks.md, "Governance server").
create index findings_wallet on findings(wallet);
