CREATE TABLE "outbox" (
	"id" text PRIMARY KEY NOT NULL,
	"send_id" text NOT NULL,
	"contact_id" text NOT NULL,
	"step_id" text NOT NULL,
	"step_index" integer NOT NULL,
	"delay_days" integer DEFAULT 0 NOT NULL,
	"brand_id" text NOT NULL,
	"partner_id" text NOT NULL,
	"journey_id" text NOT NULL,
	"status" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"lease_until" timestamp with time zone,
	"claim_token" text,
	"message_id" text NOT NULL,
	"links" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"last_error" text,
	"delivered_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "suppressions" (
	"brand_id" text NOT NULL,
	"email" text NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "suppressions_brand_id_email_pk" PRIMARY KEY("brand_id","email")
);
--> statement-breakpoint
ALTER TABLE "sends" ADD COLUMN "step_id" text;--> statement-breakpoint
ALTER TABLE "sends" ADD COLUMN "snapshot" jsonb;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_send_id_sends_id_fk" FOREIGN KEY ("send_id") REFERENCES "public"."sends"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "suppressions" ADD CONSTRAINT "suppressions_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."brands"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_message_idx" ON "outbox" USING btree ("send_id","contact_id","step_id");--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_message_id_idx" ON "outbox" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "outbox_status_due_idx" ON "outbox" USING btree ("status","due_at");--> statement-breakpoint
CREATE INDEX "outbox_contact_idx" ON "outbox" USING btree ("contact_id","status");