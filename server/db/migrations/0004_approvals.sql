CREATE TABLE "approval_audit" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"approval_id" text NOT NULL,
	"send_id" text NOT NULL,
	"brand_id" text NOT NULL,
	"version" integer NOT NULL,
	"action" text NOT NULL,
	"actor_id" text NOT NULL,
	"actor_name" text NOT NULL,
	"actor_role" text NOT NULL,
	"reason" text,
	"content_hash" text NOT NULL,
	"content" jsonb NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "approvals" (
	"id" text PRIMARY KEY NOT NULL,
	"send_id" text NOT NULL,
	"brand_id" text NOT NULL,
	"partner_id" text NOT NULL,
	"journey_id" text NOT NULL,
	"submitted_by" text NOT NULL,
	"status" text NOT NULL,
	"version" integer DEFAULT 0 NOT NULL,
	"approver_kind" text NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" text,
	"reason" text,
	"content" jsonb NOT NULL,
	"content_hash" text NOT NULL,
	"search_text" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
ALTER TABLE "approval_audit" ADD CONSTRAINT "approval_audit_approval_id_approvals_id_fk" FOREIGN KEY ("approval_id") REFERENCES "public"."approvals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_send_id_sends_id_fk" FOREIGN KEY ("send_id") REFERENCES "public"."sends"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."brands"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "approval_audit_approval_idx" ON "approval_audit" USING btree ("approval_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "approvals_send_idx" ON "approvals" USING btree ("send_id");--> statement-breakpoint
CREATE INDEX "approvals_brand_status_idx" ON "approvals" USING btree ("brand_id","status","submitted_at","id");--> statement-breakpoint
CREATE INDEX "approvals_partner_status_idx" ON "approvals" USING btree ("partner_id","status","submitted_at","id");--> statement-breakpoint
CREATE INDEX "approvals_submitter_idx" ON "approvals" USING btree ("submitted_by","submitted_at","id");--> statement-breakpoint
-- The content an approver reviews: the send's journey content in scope (one step for a quick send,
-- every step for a journey send), merge fields and the partner's edits. Also what the audit records.
CREATE FUNCTION dm_approval_content(s sends) RETURNS jsonb LANGUAGE sql STABLE AS $fn$
  SELECT jsonb_build_object(
    'name', coalesce(s.snapshot->>'name', ''),
    'kind', s.kind,
    'stepId', s.step_id,
    'steps', coalesce((
      SELECT jsonb_agg(step ORDER BY ord)
      FROM jsonb_array_elements(coalesce(s.snapshot->'steps', '[]'::jsonb)) WITH ORDINALITY AS t(step, ord)
      WHERE s.step_id IS NULL OR step->>'id' = s.step_id
    ), '[]'::jsonb),
    'mergeFields', coalesce(s.snapshot->'mergeFields', '[]'::jsonb),
    'personalization', coalesce(s.personalization, '{}'::jsonb),
    'overrides', coalesce(s.overrides, '{}'::jsonb)
  )
$fn$;
--> statement-breakpoint
-- SHA-256 (hex) of content; jsonb's text form is canonical (keys sorted, no duplicates).
CREATE FUNCTION dm_content_hash(content jsonb) RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
  SELECT encode(sha256(convert_to(content::text, 'UTF8')), 'hex')
$fn$;
--> statement-breakpoint
-- Opens the approval of a held send (idempotent: one approval per send) and records the submission.
-- A `partner_manager` rule goes to brand compliance when the partner has no approver of its own.
CREATE FUNCTION dm_open_approval(p_send_id text, p_at timestamptz) RETURNS text LANGUAGE plpgsql AS $fn$
DECLARE
  s sends;
  v_id text;
  v_kind text;
  v_content jsonb;
  v_hash text;
  v_search text;
  v_user users;
BEGIN
  SELECT * INTO s FROM sends WHERE id = p_send_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'dm_open_approval: no send %', p_send_id;
  END IF;
  SELECT id INTO v_id FROM approvals WHERE send_id = p_send_id;
  IF FOUND THEN
    RETURN v_id;
  END IF;
  v_kind := coalesce(s.snapshot->'approvalRule'->>'approver', 'partner_manager');
  IF v_kind = 'partner_manager' AND NOT EXISTS (
    SELECT 1 FROM users u WHERE u.role = 'approver' AND u.partner_id = s.partner_id AND u.brand_id = s.brand_id
  ) THEN
    v_kind := 'brand_compliance';
  END IF;
  v_content := dm_approval_content(s);
  v_hash := dm_content_hash(v_content);
  SELECT * INTO v_user FROM users WHERE id = s.created_by;
  SELECT lower(concat_ws(' ', coalesce(s.snapshot->>'name', j.name), p.name, v_user.name, v_user.email))
    INTO v_search
    FROM journeys j, partners p
    WHERE j.id = s.journey_id AND p.id = s.partner_id;
  v_id := 'apr_' || replace(gen_random_uuid()::text, '-', '');
  INSERT INTO approvals (id, send_id, brand_id, partner_id, journey_id, submitted_by, status, version,
      approver_kind, submitted_at, content, content_hash, search_text)
    VALUES (v_id, s.id, s.brand_id, s.partner_id, s.journey_id, s.created_by, 'pending', 0,
      v_kind, p_at, v_content, v_hash, coalesce(v_search, ''));
  INSERT INTO approval_audit (approval_id, send_id, brand_id, version, action, actor_id, actor_name,
      actor_role, reason, content_hash, content, at)
    VALUES (v_id, s.id, s.brand_id, 0, 'submitted', s.created_by, coalesce(v_user.name, s.created_by),
      coalesce(v_user.role, 'partner'), NULL, v_hash, v_content, p_at);
  RETURN v_id;
END
$fn$;
--> statement-breakpoint
CREATE FUNCTION dm_sends_open_approval() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM dm_open_approval(NEW.id, NEW.created_at);
  RETURN NULL;
END
$fn$;
--> statement-breakpoint
-- Every send inserted as held has its approval in the same transaction, whoever inserts it.
CREATE TRIGGER sends_open_approval AFTER INSERT ON sends
  FOR EACH ROW WHEN (NEW.status = 'pending_approval') EXECUTE FUNCTION dm_sends_open_approval();
--> statement-breakpoint
-- The audit trail is append-only.
CREATE FUNCTION dm_approval_audit_immutable() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION 'approval_audit is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$fn$;
--> statement-breakpoint
CREATE TRIGGER approval_audit_no_update BEFORE UPDATE OR DELETE ON approval_audit
  FOR EACH ROW EXECUTE FUNCTION dm_approval_audit_immutable();
--> statement-breakpoint
CREATE TRIGGER approval_audit_no_truncate BEFORE TRUNCATE ON approval_audit
  FOR EACH STATEMENT EXECUTE FUNCTION dm_approval_audit_immutable();
