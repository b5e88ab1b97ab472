-- Engagement trigger functions: the main statements run through EXECUTE, so each batch is planned with
-- its real size (PL/pgSQL caches the first plan of a static statement per connection; one made for a
-- 1-row batch made a 1000-row batch quadratic), and every step after the locking read works on one CTE
-- row per recipient.
CREATE OR REPLACE FUNCTION engagement_events_inserted() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO engagement_recipients (send_id, contact_id, brand_id, partner_id, journey_id)
  SELECT DISTINCT ON (send_id, contact_id) send_id, contact_id, brand_id, partner_id, journey_id
  FROM new_rows ORDER BY send_id, contact_id
  ON CONFLICT (send_id, contact_id) DO NOTHING;

  -- EXECUTE plans each batch afresh with its true size (a plan cached for a 1-row batch would
  -- turn joins quadratic for a 1000-row one). One locked row per recipient carries the batch's values (b_*).
  EXECUTE $q$ WITH b AS (
    SELECT send_id, contact_id,
      min(at) FILTER (WHERE type = 'sent') AS b_first_sent_at,
      min(at) FILTER (WHERE type = 'delivered') AS b_first_delivered_at,
      min(at) FILTER (WHERE type = 'open' AND NOT machine) AS b_first_open_at,
      min(at) FILTER (WHERE type = 'open' AND machine) AS b_first_machine_open_at,
      min(at) FILTER (WHERE type = 'click' AND NOT machine) AS b_first_click_at,
      min(at) FILTER (WHERE type = 'click' AND machine) AS b_first_machine_click_at,
      min(at) FILTER (WHERE type = 'bounce') AS b_first_bounce_at,
      min(at) FILTER (WHERE type = 'complaint') AS b_first_complaint_at,
      min(at) FILTER (WHERE type = 'unsubscribe') AS b_first_unsubscribe_at,
      max(at) AS b_last_event_at,
      (count(*) FILTER (WHERE type = 'open' AND NOT machine))::int AS b_opens,
      (count(*) FILTER (WHERE type = 'open' AND machine))::int AS b_machine_opens,
      (count(*) FILTER (WHERE type = 'click' AND NOT machine))::int AS b_clicks,
      (count(*) FILTER (WHERE type = 'click' AND machine))::int AS b_machine_clicks
    FROM new_rows GROUP BY send_id, contact_id
  ),
  cur AS (
    SELECT r.*, b.b_first_sent_at,
      b.b_first_delivered_at,
      b.b_first_open_at,
      b.b_first_machine_open_at,
      b.b_first_click_at,
      b.b_first_machine_click_at,
      b.b_first_bounce_at,
      b.b_first_complaint_at,
      b.b_first_unsubscribe_at,
      b.b_last_event_at,
      b.b_opens,
      b.b_machine_opens,
      b.b_clicks,
      b.b_machine_clicks
    FROM b JOIN engagement_recipients r ON r.send_id = b.send_id AND r.contact_id = b.contact_id
    ORDER BY r.send_id, r.contact_id FOR UPDATE OF r
  ),
  upd AS (
    UPDATE engagement_recipients s SET
      first_sent_at = least(c.first_sent_at, c.b_first_sent_at),
      first_delivered_at = least(c.first_delivered_at, c.b_first_delivered_at),
      first_open_at = least(c.first_open_at, c.b_first_open_at),
      first_machine_open_at = least(c.first_machine_open_at, c.b_first_machine_open_at),
      first_click_at = least(c.first_click_at, c.b_first_click_at),
      first_machine_click_at = least(c.first_machine_click_at, c.b_first_machine_click_at),
      first_bounce_at = least(c.first_bounce_at, c.b_first_bounce_at),
      first_complaint_at = least(c.first_complaint_at, c.b_first_complaint_at),
      first_unsubscribe_at = least(c.first_unsubscribe_at, c.b_first_unsubscribe_at),
      last_event_at = greatest(c.last_event_at, c.b_last_event_at),
      opens = c.opens + c.b_opens,
      machine_opens = c.machine_opens + c.b_machine_opens,
      clicks = c.clicks + c.b_clicks,
      machine_clicks = c.machine_clicks + c.b_machine_clicks
    FROM cur c
    WHERE s.send_id = c.send_id AND s.contact_id = c.contact_id
  ),
  moves AS (
    SELECT c.brand_id, c.partner_id, c.journey_id, c.send_id, k.type, k.machine, k.old_at, k.new_at
    FROM cur c
    CROSS JOIN LATERAL (VALUES
      ('sent', false, c.first_sent_at, least(c.first_sent_at, c.b_first_sent_at)),
      ('delivered', false, c.first_delivered_at, least(c.first_delivered_at, c.b_first_delivered_at)),
      ('open', false, c.first_open_at, least(c.first_open_at, c.b_first_open_at)),
      ('open', true, c.first_machine_open_at, least(c.first_machine_open_at, c.b_first_machine_open_at)),
      ('click', false, c.first_click_at, least(c.first_click_at, c.b_first_click_at)),
      ('click', true, c.first_machine_click_at, least(c.first_machine_click_at, c.b_first_machine_click_at)),
      ('bounce', false, c.first_bounce_at, least(c.first_bounce_at, c.b_first_bounce_at)),
      ('complaint', false, c.first_complaint_at, least(c.first_complaint_at, c.b_first_complaint_at)),
      ('unsubscribe', false, c.first_unsubscribe_at, least(c.first_unsubscribe_at, c.b_first_unsubscribe_at))
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
  DO UPDATE SET n = r.n + excluded.n, u = r.u + excluded.u $q$;
  RETURN NULL;
END
$fn$;
--> statement-breakpoint
-- Recomputes the state of the given recipients from `events` and moves their unique counts.
CREATE OR REPLACE FUNCTION engagement_refresh_recipients(p_send text[], p_contact text[]) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM 1 FROM (SELECT DISTINCT * FROM unnest(p_send, p_contact) AS k(send_id, contact_id)) k
    JOIN engagement_recipients r ON r.send_id = k.send_id AND r.contact_id = k.contact_id
    ORDER BY r.send_id, r.contact_id FOR UPDATE OF r;

  -- One row per recipient with its stored state (c_*) and its state recomputed from events (f_*).
  EXECUTE $q$ WITH x AS (
    SELECT k.send_id, k.contact_id,
      c.brand_id AS c_brand_id, c.partner_id AS c_partner_id, c.journey_id AS c_journey_id,
      c.first_sent_at AS c_first_sent_at,
      c.first_delivered_at AS c_first_delivered_at,
      c.first_open_at AS c_first_open_at,
      c.first_machine_open_at AS c_first_machine_open_at,
      c.first_click_at AS c_first_click_at,
      c.first_machine_click_at AS c_first_machine_click_at,
      c.first_bounce_at AS c_first_bounce_at,
      c.first_complaint_at AS c_first_complaint_at,
      c.first_unsubscribe_at AS c_first_unsubscribe_at,
      c.last_event_at AS c_last_event_at,
      c.opens AS c_opens,
      c.machine_opens AS c_machine_opens,
      c.clicks AS c_clicks,
      c.machine_clicks AS c_machine_clicks,
      f.*
    FROM (SELECT DISTINCT * FROM unnest($1::text[], $2::text[]) AS k(send_id, contact_id)) k
    LEFT JOIN engagement_recipients c ON c.send_id = k.send_id AND c.contact_id = k.contact_id
    LEFT JOIN LATERAL (
      SELECT count(*) AS f_events, min(e.brand_id) AS f_brand_id, min(e.partner_id) AS f_partner_id,
        min(e.journey_id) AS f_journey_id,
        min(at) FILTER (WHERE type = 'sent') AS f_first_sent_at,
        min(at) FILTER (WHERE type = 'delivered') AS f_first_delivered_at,
        min(at) FILTER (WHERE type = 'open' AND NOT machine) AS f_first_open_at,
        min(at) FILTER (WHERE type = 'open' AND machine) AS f_first_machine_open_at,
        min(at) FILTER (WHERE type = 'click' AND NOT machine) AS f_first_click_at,
        min(at) FILTER (WHERE type = 'click' AND machine) AS f_first_machine_click_at,
        min(at) FILTER (WHERE type = 'bounce') AS f_first_bounce_at,
        min(at) FILTER (WHERE type = 'complaint') AS f_first_complaint_at,
        min(at) FILTER (WHERE type = 'unsubscribe') AS f_first_unsubscribe_at,
        max(at) AS f_last_event_at,
        (count(*) FILTER (WHERE type = 'open' AND NOT machine))::int AS f_opens,
        (count(*) FILTER (WHERE type = 'open' AND machine))::int AS f_machine_opens,
        (count(*) FILTER (WHERE type = 'click' AND NOT machine))::int AS f_clicks,
        (count(*) FILTER (WHERE type = 'click' AND machine))::int AS f_machine_clicks
      FROM events e WHERE e.send_id = k.send_id AND e.contact_id = k.contact_id
    ) f ON true
  ),
  moves AS (
    SELECT x.c_brand_id, x.c_partner_id, x.c_journey_id, x.f_brand_id, x.f_partner_id, x.f_journey_id,
      x.send_id, m.type, m.machine, m.old_at, m.new_at
    FROM x CROSS JOIN LATERAL (VALUES
      ('sent', false, x.c_first_sent_at, x.f_first_sent_at),
      ('delivered', false, x.c_first_delivered_at, x.f_first_delivered_at),
      ('open', false, x.c_first_open_at, x.f_first_open_at),
      ('open', true, x.c_first_machine_open_at, x.f_first_machine_open_at),
      ('click', false, x.c_first_click_at, x.f_first_click_at),
      ('click', true, x.c_first_machine_click_at, x.f_first_machine_click_at),
      ('bounce', false, x.c_first_bounce_at, x.f_first_bounce_at),
      ('complaint', false, x.c_first_complaint_at, x.f_first_complaint_at),
      ('unsubscribe', false, x.c_first_unsubscribe_at, x.f_first_unsubscribe_at)
    ) AS m(type, machine, old_at, new_at)
    WHERE m.new_at IS DISTINCT FROM m.old_at
  ),
  gone AS (
    DELETE FROM engagement_recipients r USING x
    WHERE r.send_id = x.send_id AND r.contact_id = x.contact_id AND x.f_events = 0
  ),
  kept AS (
    INSERT INTO engagement_recipients (send_id, contact_id, brand_id, partner_id, journey_id, first_sent_at, first_delivered_at, first_open_at, first_machine_open_at, first_click_at, first_machine_click_at, first_bounce_at, first_complaint_at, first_unsubscribe_at, last_event_at, opens, machine_opens, clicks, machine_clicks)
    SELECT send_id, contact_id, f_brand_id, f_partner_id, f_journey_id, f_first_sent_at, f_first_delivered_at, f_first_open_at, f_first_machine_open_at, f_first_click_at, f_first_machine_click_at, f_first_bounce_at, f_first_complaint_at, f_first_unsubscribe_at, f_last_event_at, f_opens, f_machine_opens, f_clicks, f_machine_clicks
    FROM x WHERE f_events > 0
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
    SELECT f_brand_id AS brand_id, f_partner_id AS partner_id, f_journey_id AS journey_id, send_id,
      date_trunc('hour', new_at, 'UTC') AS hour, type, machine, 0 AS n, 1 AS u
    FROM moves WHERE new_at IS NOT NULL
    UNION ALL
    SELECT c_brand_id, c_partner_id, c_journey_id, send_id, date_trunc('hour', old_at, 'UTC'), type, machine, 0, -1
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
  DO UPDATE SET n = r.n + excluded.n, u = r.u + excluded.u $q$ USING p_send, p_contact;
END
$fn$;
