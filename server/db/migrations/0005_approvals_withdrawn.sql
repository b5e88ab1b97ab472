-- A held send that its sender cancels withdraws its approval in the same transaction: status
-- `withdrawn` and a new version, so a decision still in flight loses (409) and queues filter on the
-- approval's own status without joining sends.
CREATE FUNCTION dm_sends_withdraw_approval() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  UPDATE approvals
    SET status = 'withdrawn', version = version + 1, decided_at = now(), decided_by = NULL, reason = NULL
    WHERE send_id = NEW.id AND status = 'pending';
  RETURN NULL;
END
$fn$;
--> statement-breakpoint
CREATE TRIGGER sends_withdraw_approval AFTER UPDATE OF status ON sends
  FOR EACH ROW WHEN (OLD.status = 'pending_approval' AND NEW.status = 'cancelled')
  EXECUTE FUNCTION dm_sends_withdraw_approval();
--> statement-breakpoint
-- Approvals cancelled before this migration.
UPDATE approvals a SET status = 'withdrawn', version = a.version + 1, decided_at = now()
  FROM sends s WHERE s.id = a.send_id AND a.status = 'pending' AND s.status = 'cancelled';
