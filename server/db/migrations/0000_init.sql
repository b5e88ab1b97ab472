CREATE TABLE "brands" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"domain" text NOT NULL,
	"postal_address" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contacts" (
	"id" text PRIMARY KEY NOT NULL,
	"brand_id" text NOT NULL,
	"partner_id" text NOT NULL,
	"email" text NOT NULL,
	"first_name" text,
	"last_name" text,
	"company" text,
	"locale" text,
	"consent" text NOT NULL,
	"status" text NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"search_text" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"brand_id" text NOT NULL,
	"partner_id" text NOT NULL,
	"journey_id" text NOT NULL,
	"send_id" text NOT NULL,
	"step_id" text NOT NULL,
	"contact_id" text NOT NULL,
	"type" text NOT NULL,
	"machine" boolean DEFAULT false NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"meta" jsonb
);
--> statement-breakpoint
CREATE TABLE "journeys" (
	"id" text PRIMARY KEY NOT NULL,
	"brand_id" text NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"name" text NOT NULL,
	"summary" text NOT NULL,
	"category" text NOT NULL,
	"channel" text DEFAULT 'email' NOT NULL,
	"locale" text NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"tiers" text[] DEFAULT '{}'::text[] NOT NULL,
	"regions" text[] DEFAULT '{}'::text[] NOT NULL,
	"search_text" text NOT NULL,
	"steps" jsonb NOT NULL,
	"merge_fields" jsonb NOT NULL,
	"approval_rule" jsonb NOT NULL,
	"thumbnail_url" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"stat_sends" integer DEFAULT 0 NOT NULL,
	"stat_recipients" integer DEFAULT 0 NOT NULL,
	"stat_partners" integer DEFAULT 0 NOT NULL,
	"stat_open_rate" double precision,
	"stat_click_rate" double precision
);
--> statement-breakpoint
CREATE TABLE "partners" (
	"id" text PRIMARY KEY NOT NULL,
	"brand_id" text NOT NULL,
	"name" text NOT NULL,
	"tier" text NOT NULL,
	"region" text NOT NULL,
	"reply_to" text NOT NULL,
	"postal_address" text NOT NULL,
	"signature" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "send_recipients" (
	"send_id" text NOT NULL,
	"contact_id" text NOT NULL,
	"email" text NOT NULL,
	"status" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "send_recipients_send_id_contact_id_pk" PRIMARY KEY("send_id","contact_id")
);
--> statement-breakpoint
CREATE TABLE "sends" (
	"id" text PRIMARY KEY NOT NULL,
	"brand_id" text NOT NULL,
	"partner_id" text NOT NULL,
	"journey_id" text NOT NULL,
	"created_by" text NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"personalization" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"overrides" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"recipient_count" integer NOT NULL,
	"idempotency_key" text,
	"request_hash" text,
	"scheduled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"brand_id" text NOT NULL,
	"partner_id" text,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"role" text NOT NULL,
	"description" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."brands"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journeys" ADD CONSTRAINT "journeys_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."brands"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partners" ADD CONSTRAINT "partners_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."brands"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "send_recipients" ADD CONSTRAINT "send_recipients_send_id_sends_id_fk" FOREIGN KEY ("send_id") REFERENCES "public"."sends"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "send_recipients" ADD CONSTRAINT "send_recipients_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sends" ADD CONSTRAINT "sends_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."brands"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sends" ADD CONSTRAINT "sends_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sends" ADD CONSTRAINT "sends_journey_id_journeys_id_fk" FOREIGN KEY ("journey_id") REFERENCES "public"."journeys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sends" ADD CONSTRAINT "sends_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."brands"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "contacts_partner_email_idx" ON "contacts" USING btree ("partner_id","email");--> statement-breakpoint
CREATE INDEX "contacts_partner_created_idx" ON "contacts" USING btree ("partner_id","created_at","id");--> statement-breakpoint
CREATE INDEX "events_send_idx" ON "events" USING btree ("send_id","at");--> statement-breakpoint
CREATE INDEX "events_partner_at_idx" ON "events" USING btree ("partner_id","at");--> statement-breakpoint
CREATE INDEX "events_journey_at_idx" ON "events" USING btree ("journey_id","at");--> statement-breakpoint
CREATE INDEX "events_brand_at_idx" ON "events" USING btree ("brand_id","at");--> statement-breakpoint
CREATE INDEX "journeys_brand_created_idx" ON "journeys" USING btree ("brand_id","created_at","id");--> statement-breakpoint
CREATE INDEX "journeys_brand_sends_idx" ON "journeys" USING btree ("brand_id","stat_sends","id");--> statement-breakpoint
CREATE INDEX "journeys_brand_click_idx" ON "journeys" USING btree ("brand_id","stat_click_rate","id");--> statement-breakpoint
CREATE INDEX "partners_brand_idx" ON "partners" USING btree ("brand_id");--> statement-breakpoint
CREATE INDEX "send_recipients_contact_idx" ON "send_recipients" USING btree ("contact_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sends_idempotency_idx" ON "sends" USING btree ("created_by","idempotency_key");--> statement-breakpoint
CREATE INDEX "sends_partner_created_idx" ON "sends" USING btree ("partner_id","created_at","id");