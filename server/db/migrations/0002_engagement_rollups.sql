CREATE TABLE "engagement_recipients" (
	"send_id" text NOT NULL,
	"contact_id" text NOT NULL,
	"brand_id" text NOT NULL,
	"partner_id" text NOT NULL,
	"journey_id" text NOT NULL,
	"first_sent_at" timestamp with time zone,
	"first_delivered_at" timestamp with time zone,
	"first_open_at" timestamp with time zone,
	"first_machine_open_at" timestamp with time zone,
	"first_click_at" timestamp with time zone,
	"first_machine_click_at" timestamp with time zone,
	"first_bounce_at" timestamp with time zone,
	"first_complaint_at" timestamp with time zone,
	"first_unsubscribe_at" timestamp with time zone,
	"last_event_at" timestamp with time zone,
	"opens" integer DEFAULT 0 NOT NULL,
	"machine_opens" integer DEFAULT 0 NOT NULL,
	"clicks" integer DEFAULT 0 NOT NULL,
	"machine_clicks" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "engagement_recipients_pk" PRIMARY KEY("send_id","contact_id")
);
--> statement-breakpoint
CREATE TABLE "engagement_rollups" (
	"brand_id" text NOT NULL,
	"partner_id" text NOT NULL,
	"journey_id" text NOT NULL,
	"send_id" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"type" text NOT NULL,
	"machine" boolean NOT NULL,
	"n" integer DEFAULT 0 NOT NULL,
	"u" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "engagement_rollups_pk" PRIMARY KEY("brand_id","partner_id","journey_id","send_id","hour","type","machine")
);
--> statement-breakpoint
-- Roll-up maintenance. Every insert, update, delete or truncate of `events` adjusts
-- engagement_recipients (per (send, contact): first time of each kind of event, counters) and
-- engagement_rollups (per hour and scope level: events n, first occurrences u) in the same
-- transaction. Row locks are taken in key order, recipients before roll-ups, so concurrent writers
-- queue instead of deadlocking.
CREATE FUNCTION engagement_events_inserted() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO engagement_recipients (send_id, contact_id, brand_id, partner_id, journey_id)
  SELECT DISTINCT ON (send_id, contact_id) send_id, contact_id, brand_id, partner_id, journey_id
  FROM new_rows ORDER BY send_id, contact_id
  ON CONFLICT (send_id, contact_id) DO NOTHING;

  WITH b AS (
    SELECT send_id, contact_id,
      min(at) FILTER (WHERE type = 'sent') AS first_sent_at,
      min(at) FILTER (WHERE type = 'delivered') AS first_delivered_at,
      min(at) FILTER (WHERE type = 'open' AND NOT machine) AS first_open_at,
      min(at) FILTER (WHERE type = 'open' AND machine) AS first_machine_open_at,
      min(at) FILTER (WHERE type = 'click' AND NOT machine) AS first_click_at,
      min(at) FILTER (WHERE type = 'click' AND machine) AS first_machine_click_at,
      min(at) FILTER (WHERE type = 'bounce') AS first_bounce_at,
      min(at) FILTER (WHERE type = 'complaint') AS first_complaint_at,
      min(at) FILTER (WHERE type = 'unsubscribe') AS first_unsubscribe_at,
      max(at) AS last_event_at,
      (count(*) FILTER (WHERE type = 'open' AND NOT machine))::int AS opens,
      (count(*) FILTER (WHERE type = 'open' AND machine))::int AS machine_opens,
      (count(*) FILTER (WHERE type = 'click' AND NOT machine))::int AS clicks,
      (count(*) FILTER (WHERE type = 'click' AND machine))::int AS machine_clicks
    FROM new_rows GROUP BY send_id, contact_id
  ),
  cur AS (
    SELECT r.* FROM engagement_recipients r JOIN b USING (send_id, contact_id)
    ORDER BY r.send_id, r.contact_id FOR UPDATE OF r
  ),
  upd AS (
    UPDATE engagement_recipients s SET
      first_sent_at = least(c.first_sent_at, b.first_sent_at),
      first_delivered_at = least(c.first_delivered_at, b.first_delivered_at),
      first_open_at = least(c.first_open_at, b.first_open_at),
      first_machine_open_at = least(c.first_machine_open_at, b.first_machine_open_at),
      first_click_at = least(c.first_click_at, b.first_click_at),
      first_machine_click_at = least(c.first_machine_click_at, b.first_machine_click_at),
      first_bounce_at = least(c.first_bounce_at, b.first_bounce_at),
      first_complaint_at = least(c.first_complaint_at, b.first_complaint_at),
      first_unsubscribe_at = least(c.first_unsubscribe_at, b.first_unsubscribe_at),
      last_event_at = greatest(c.last_event_at, b.last_event_at),
      opens = c.opens + b.opens,
      machine_opens = c.machine_opens + b.machine_opens,
      clicks = c.clicks + b.clicks,
      machine_clicks = c.machine_clicks + b.machine_clicks
    FROM cur c JOIN b USING (send_id, contact_id)
    WHERE s.send_id = c.send_id AND s.contact_id = c.contact_id
  ),
  moves AS (
    SELECT c.brand_id, c.partner_id, c.journey_id, c.send_id, k.type, k.machine, k.old_at, k.new_at
    FROM cur c JOIN b USING (send_id, contact_id)
    CROSS JOIN LATERAL (VALUES
      ('sent', false, c.first_sent_at, least(c.first_sent_at, b.first_sent_at)),
      ('delivered', false, c.first_delivered_at, least(c.first_delivered_at, b.first_delivered_at)),
      ('open', false, c.first_open_at, least(c.first_open_at, b.first_open_at)),
      ('open', true, c.first_machine_open_at, least(c.first_machine_open_at, b.first_machine_open_at)),
      ('click', false, c.first_click_at, least(c.first_click_at, b.first_click_at)),
      ('click', true, c.first_machine_click_at, least(c.first_machine_click_at, b.first_machine_click_at)),
      ('bounce', false, c.first_bounce_at, least(c.first_bounce_at, b.first_bounce_at)),
      ('complaint', false, c.first_complaint_at, least(c.first_complaint_at, b.first_complaint_at)),
      ('unsubscribe', false, c.first_unsubscribe_at, least(c.first_unsubscribe_at, b.first_unsubscribe_at))
    ) AS k(type, machine, old_at, new_at)
    WHERE k.new_at IS DISTINCT FROM k.old_at
  ),
  deltas AS (
    SELECT brand_id, partner_id, journey_id, send_id, date_trunc('hour', at, 'UTC') AS hour, type, machine, 1 AS n, 0 AS u
    FROM new_rows
    UNION ALL
    SELECT brand_id, partner_id, journey_id, send_id, date_trunc('hour', new_at, 'UTC'), type, machine, 0, 1 FROM moves
    UNION ALL
    SELECT brand_id, partner_id, journey_id, send_id, date_trunc('hour', old_at, 'UTC'), type, machine, 0, -1
    FROM moves WHERE old_at IS NOT NULL
  )
  INSERT INTO engagement_rollups AS r (brand_id, partner_id, journey_id, send_id, hour, type, machine, n, u)
  SELECT brand_id, coalesce(partner_id, ''), coalesce(journey_id, ''), coalesce(send_id, ''), hour, type, machine,
    sum(n)::int, sum(u)::int
  FROM deltas
  GROUP BY GROUPING SETS (
    (brand_id, hour, type, machine),
    (brand_id, partner_id, hour, type, machine),
    (brand_id, journey_id, hour, type, machine),
    (brand_id, partner_id, journey_id, hour, type, machine),
    (brand_id, partner_id, journey_id, send_id, hour, type, machine)
  )
  ORDER BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT (brand_id, partner_id, journey_id, send_id, hour, type, machine)
  DO UPDATE SET n = r.n + excluded.n, u = r.u + excluded.u;
  RETURN NULL;
END
$fn$;
--> statement-breakpoint
-- Recomputes the state of the given recipients from `events` and moves their unique counts.
CREATE FUNCTION engagement_refresh_recipients(p_send text[], p_contact text[]) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM 1 FROM engagement_recipients r
    JOIN (SELECT DISTINCT * FROM unnest(p_send, p_contact) AS k(send_id, contact_id)) k USING (send_id, contact_id)
    ORDER BY r.send_id, r.contact_id FOR UPDATE OF r;

  WITH k AS (
    SELECT DISTINCT * FROM unnest(p_send, p_contact) AS k(send_id, contact_id)
  ),
  fresh AS (
    SELECT e.send_id, e.contact_id, min(e.brand_id) AS brand_id, min(e.partner_id) AS partner_id,
      min(e.journey_id) AS journey_id,
      min(at) FILTER (WHERE type = 'sent') AS first_sent_at,
      min(at) FILTER (WHERE type = 'delivered') AS first_delivered_at,
      min(at) FILTER (WHERE type = 'open' AND NOT machine) AS first_open_at,
      min(at) FILTER (WHERE type = 'open' AND machine) AS first_machine_open_at,
      min(at) FILTER (WHERE type = 'click' AND NOT machine) AS first_click_at,
      min(at) FILTER (WHERE type = 'click' AND machine) AS first_machine_click_at,
      min(at) FILTER (WHERE type = 'bounce') AS first_bounce_at,
      min(at) FILTER (WHERE type = 'complaint') AS first_complaint_at,
      min(at) FILTER (WHERE type = 'unsubscribe') AS first_unsubscribe_at,
      max(at) AS last_event_at,
      (count(*) FILTER (WHERE type = 'open' AND NOT machine))::int AS opens,
      (count(*) FILTER (WHERE type = 'open' AND machine))::int AS machine_opens,
      (count(*) FILTER (WHERE type = 'click' AND NOT machine))::int AS clicks,
      (count(*) FILTER (WHERE type = 'click' AND machine))::int AS machine_clicks
    FROM events e JOIN k USING (send_id, contact_id)
    GROUP BY e.send_id, e.contact_id
  ),
  cur AS (
    SELECT r.* FROM engagement_recipients r JOIN k USING (send_id, contact_id)
  ),
  moves AS (
    SELECT c.brand_id AS old_brand, c.partner_id AS old_partner, c.journey_id AS old_journey,
      f.brand_id AS new_brand, f.partner_id AS new_partner, f.journey_id AS new_journey,
      k.send_id, x.type, x.machine, x.old_at, x.new_at
    FROM k LEFT JOIN cur c USING (send_id, contact_id) LEFT JOIN fresh f USING (send_id, contact_id)
    CROSS JOIN LATERAL (VALUES
      ('sent', false, c.first_sent_at, f.first_sent_at),
      ('delivered', false, c.first_delivered_at, f.first_delivered_at),
      ('open', false, c.first_open_at, f.first_open_at),
      ('open', true, c.first_machine_open_at, f.first_machine_open_at),
      ('click', false, c.first_click_at, f.first_click_at),
      ('click', true, c.first_machine_click_at, f.first_machine_click_at),
      ('bounce', false, c.first_bounce_at, f.first_bounce_at),
      ('complaint', false, c.first_complaint_at, f.first_complaint_at),
      ('unsubscribe', false, c.first_unsubscribe_at, f.first_unsubscribe_at)
    ) AS x(type, machine, old_at, new_at)
    WHERE x.new_at IS DISTINCT FROM x.old_at
  ),
  gone AS (
    DELETE FROM engagement_recipients r USING k
    WHERE r.send_id = k.send_id AND r.contact_id = k.contact_id
      AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.send_id = k.send_id AND f.contact_id = k.contact_id)
  ),
  kept AS (
    INSERT INTO engagement_recipients (send_id, contact_id, brand_id, partner_id, journey_id, first_sent_at, first_delivered_at, first_open_at, first_machine_open_at, first_click_at, first_machine_click_at, first_bounce_at, first_complaint_at, first_unsubscribe_at, last_event_at, opens, machine_opens, clicks, machine_clicks)
    SELECT send_id, contact_id, brand_id, partner_id, journey_id, first_sent_at, first_delivered_at, first_open_at, first_machine_open_at, first_click_at, first_machine_click_at, first_bounce_at, first_complaint_at, first_unsubscribe_at, last_event_at, opens, machine_opens, clicks, machine_clicks FROM fresh
    ORDER BY send_id, contact_id
    ON CONFLICT (send_id, contact_id) DO UPDATE SET
      brand_id = excluded.brand_id, partner_id = excluded.partner_id, journey_id = excluded.journey_id,
      first_sent_at = excluded.first_sent_at,
      first_delivered_at = excluded.first_delivered_at,
      first_open_at = excluded.first_open_at,
      first_machine_open_at = excluded.first_machine_open_at,
      first_click_at = excluded.first_click_at,
      first_machine_click_at = excluded.first_machine_click_at,
      first_bounce_at = excluded.first_bounce_at,
      first_complaint_at = excluded.first_complaint_at,
      first_unsubscribe_at = excluded.first_unsubscribe_at,
      last_event_at = excluded.last_event_at,
      opens = excluded.opens,
      machine_opens = excluded.machine_opens,
      clicks = excluded.clicks,
      machine_clicks = excluded.machine_clicks
  ),
  deltas AS (
    SELECT new_brand AS brand_id, new_partner AS partner_id, new_journey AS journey_id, send_id,
      date_trunc('hour', new_at, 'UTC') AS hour, type, machine, 0 AS n, 1 AS u
    FROM moves WHERE new_at IS NOT NULL
    UNION ALL
    SELECT old_brand, old_partner, old_journey, send_id, date_trunc('hour', old_at, 'UTC'), type, machine, 0, -1
    FROM moves WHERE old_at IS NOT NULL
  )
  INSERT INTO engagement_rollups AS r (brand_id, partner_id, journey_id, send_id, hour, type, machine, n, u)
  SELECT brand_id, coalesce(partner_id, ''), coalesce(journey_id, ''), coalesce(send_id, ''), hour, type, machine,
    sum(n)::int, sum(u)::int
  FROM deltas
  GROUP BY GROUPING SETS (
    (brand_id, hour, type, machine),
    (brand_id, partner_id, hour, type, machine),
    (brand_id, journey_id, hour, type, machine),
    (brand_id, partner_id, journey_id, hour, type, machine),
    (brand_id, partner_id, journey_id, send_id, hour, type, machine)
  )
  ORDER BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT (brand_id, partner_id, journey_id, send_id, hour, type, machine)
  DO UPDATE SET n = r.n + excluded.n, u = r.u + excluded.u;
END
$fn$;
--> statement-breakpoint
CREATE FUNCTION engagement_events_deleted() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM engagement_refresh_recipients(
    (SELECT coalesce(array_agg(send_id), '{}') FROM old_rows),
    (SELECT coalesce(array_agg(contact_id), '{}') FROM old_rows));
  INSERT INTO engagement_rollups AS r (brand_id, partner_id, journey_id, send_id, hour, type, machine, n, u)
  SELECT brand_id, coalesce(partner_id, ''), coalesce(journey_id, ''), coalesce(send_id, ''), hour, type, machine,
    sum(n)::int, sum(u)::int
  FROM (SELECT brand_id, partner_id, journey_id, send_id, date_trunc('hour', at, 'UTC') AS hour, type, machine, -1 AS n, 0 AS u FROM old_rows) d
  GROUP BY GROUPING SETS (
    (brand_id, hour, type, machine),
    (brand_id, partner_id, hour, type, machine),
    (brand_id, journey_id, hour, type, machine),
    (brand_id, partner_id, journey_id, hour, type, machine),
    (brand_id, partner_id, journey_id, send_id, hour, type, machine)
  )
  ORDER BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT (brand_id, partner_id, journey_id, send_id, hour, type, machine)
  DO UPDATE SET n = r.n + excluded.n, u = r.u + excluded.u;
  RETURN NULL;
END
$fn$;
--> statement-breakpoint
CREATE FUNCTION engagement_events_updated() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM engagement_refresh_recipients(
    (SELECT coalesce(array_agg(send_id), '{}') FROM (SELECT send_id FROM old_rows UNION ALL SELECT send_id FROM new_rows) s),
    (SELECT coalesce(array_agg(contact_id), '{}') FROM (SELECT contact_id FROM old_rows UNION ALL SELECT contact_id FROM new_rows) s));
  INSERT INTO engagement_rollups AS r (brand_id, partner_id, journey_id, send_id, hour, type, machine, n, u)
  SELECT brand_id, coalesce(partner_id, ''), coalesce(journey_id, ''), coalesce(send_id, ''), hour, type, machine,
    sum(n)::int, sum(u)::int
  FROM (
    SELECT brand_id, partner_id, journey_id, send_id, date_trunc('hour', at, 'UTC') AS hour, type, machine, -1 AS n, 0 AS u FROM old_rows
    UNION ALL
    SELECT brand_id, partner_id, journey_id, send_id, date_trunc('hour', at, 'UTC'), type, machine, 1, 0 FROM new_rows
  ) d
  GROUP BY GROUPING SETS (
    (brand_id, hour, type, machine),
    (brand_id, partner_id, hour, type, machine),
    (brand_id, journey_id, hour, type, machine),
    (brand_id, partner_id, journey_id, hour, type, machine),
    (brand_id, partner_id, journey_id, send_id, hour, type, machine)
  )
  ORDER BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT (brand_id, partner_id, journey_id, send_id, hour, type, machine)
  DO UPDATE SET n = r.n + excluded.n, u = r.u + excluded.u;
  RETURN NULL;
END
$fn$;
--> statement-breakpoint
CREATE FUNCTION engagement_events_truncated() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  TRUNCATE engagement_rollups, engagement_recipients;
  RETURN NULL;
END
$fn$;
--> statement-breakpoint
-- Rebuilds both tables from `events` (the migration's backfill; also a repair tool).
CREATE FUNCTION engagement_rebuild() RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  LOCK TABLE events IN SHARE MODE;
  TRUNCATE engagement_rollups, engagement_recipients;
  INSERT INTO engagement_recipients (send_id, contact_id, brand_id, partner_id, journey_id, first_sent_at, first_delivered_at, first_open_at, first_machine_open_at, first_click_at, first_machine_click_at, first_bounce_at, first_complaint_at, first_unsubscribe_at, last_event_at, opens, machine_opens, clicks, machine_clicks)
  SELECT send_id, contact_id, min(brand_id), min(partner_id), min(journey_id),
    min(at) FILTER (WHERE type = 'sent') AS first_sent_at,
    min(at) FILTER (WHERE type = 'delivered') AS first_delivered_at,
    min(at) FILTER (WHERE type = 'open' AND NOT machine) AS first_open_at,
    min(at) FILTER (WHERE type = 'open' AND machine) AS first_machine_open_at,
    min(at) FILTER (WHERE type = 'click' AND NOT machine) AS first_click_at,
    min(at) FILTER (WHERE type = 'click' AND machine) AS first_machine_click_at,
    min(at) FILTER (WHERE type = 'bounce') AS first_bounce_at,
    min(at) FILTER (WHERE type = 'complaint') AS first_complaint_at,
    min(at) FILTER (WHERE type = 'unsubscribe') AS first_unsubscribe_at,
    max(at) AS last_event_at,
    (count(*) FILTER (WHERE type = 'open' AND NOT machine))::int AS opens,
    (count(*) FILTER (WHERE type = 'open' AND machine))::int AS machine_opens,
    (count(*) FILTER (WHERE type = 'click' AND NOT machine))::int AS clicks,
    (count(*) FILTER (WHERE type = 'click' AND machine))::int AS machine_clicks
  FROM events GROUP BY send_id, contact_id;
  INSERT INTO engagement_rollups AS r (brand_id, partner_id, journey_id, send_id, hour, type, machine, n, u)
  SELECT brand_id, coalesce(partner_id, ''), coalesce(journey_id, ''), coalesce(send_id, ''), hour, type, machine,
    sum(n)::int, sum(u)::int
  FROM (
    SELECT brand_id, partner_id, journey_id, send_id, date_trunc('hour', at, 'UTC') AS hour, type, machine, 1 AS n, 0 AS u FROM events
    UNION ALL
    SELECT r.brand_id, r.partner_id, r.journey_id, r.send_id, date_trunc('hour', x.at, 'UTC'), x.type, x.machine, 0, 1
    FROM engagement_recipients r CROSS JOIN LATERAL (VALUES
      ('sent', false, r.first_sent_at),
      ('delivered', false, r.first_delivered_at),
      ('open', false, r.first_open_at),
      ('open', true, r.first_machine_open_at),
      ('click', false, r.first_click_at),
      ('click', true, r.first_machine_click_at),
      ('bounce', false, r.first_bounce_at),
      ('complaint', false, r.first_complaint_at),
      ('unsubscribe', false, r.first_unsubscribe_at)
    ) AS x(type, machine, at)
    WHERE x.at IS NOT NULL
  ) d
  GROUP BY GROUPING SETS (
    (brand_id, hour, type, machine),
    (brand_id, partner_id, hour, type, machine),
    (brand_id, journey_id, hour, type, machine),
    (brand_id, partner_id, journey_id, hour, type, machine),
    (brand_id, partner_id, journey_id, send_id, hour, type, machine)
  )
  ORDER BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT (brand_id, partner_id, journey_id, send_id, hour, type, machine)
  DO UPDATE SET n = r.n + excluded.n, u = r.u + excluded.u;
END
$fn$;
--> statement-breakpoint
CREATE TRIGGER engagement_events_inserted AFTER INSERT ON events
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION engagement_events_inserted();
--> statement-breakpoint
CREATE TRIGGER engagement_events_deleted AFTER DELETE ON events
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION engagement_events_deleted();
--> statement-breakpoint
CREATE TRIGGER engagement_events_updated AFTER UPDATE ON events
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION engagement_events_updated();
--> statement-breakpoint
CREATE TRIGGER engagement_events_truncated AFTER TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION engagement_events_truncated();
--> statement-breakpoint
SELECT engagement_rebuild();
