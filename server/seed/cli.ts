/**
 * Seeds a database from the command line.
 *
 *   tsx server/seed/cli.ts                      # the demo brand (same as the server does in demo mode)
 *   tsx server/seed/cli.ts --large --journeys 10000 --contacts 100000 --events 1000000 [--partners 50]
 *
 * Uses DATABASE_URL (PostgreSQL) when set, otherwise the embedded database in DM_DATA_DIR (./.dm-data).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../db/open.js';
import { seedDemo } from './demo.js';
import { generateLarge } from './large.js';

const { values } = parseArgs({
  options: {
    demo: { type: 'boolean', default: false },
    large: { type: 'boolean', default: false },
    journeys: { type: 'string' },
    contacts: { type: 'string' },
    events: { type: 'string' },
    partners: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log(
    'usage: tsx server/seed/cli.ts [--demo] [--large [--journeys N] [--contacts N] [--events N] [--partners N]]',
  );
  process.exit(0);
}

const count = (name: string, raw: string | undefined): number | undefined => {
  if (raw === undefined) return undefined;
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got "${raw}"`);
  return n;
};

const url = process.env.DATABASE_URL || undefined;
const dataDir = path.resolve(process.env.DM_DATA_DIR ?? '.dm-data');
const started = performance.now();
const database = await openDatabase(url ? { url } : { dataDir: path.join(dataDir, 'db') });
console.log(
  `opened ${database.kind}${url ? '' : ` in ${dataDir}`} in ${Math.round(performance.now() - started)} ms`,
);
try {
  if (values.demo || !values.large) {
    const t0 = performance.now();
    const result = await seedDemo(database.db);
    console.log(
      result.seeded
        ? `demo brand seeded in ${Math.round(performance.now() - t0)} ms: ${JSON.stringify(result.counts)}`
        : 'demo brand already present; nothing to do',
    );
  }
  if (values.large) {
    const result = await generateLarge(database.db, {
      journeys: count('journeys', values.journeys),
      contacts: count('contacts', values.contacts),
      events: count('events', values.events),
      partners: count('partners', values.partners),
      kind: database.kind,
      log: (line) => console.log(`  ${line}`),
    });
    console.log(
      result.generated
        ? `benchmark brand ${result.brandId} generated in ${Math.round(result.ms)} ms: ${JSON.stringify(result.counts)}`
        : `benchmark brand ${result.brandId} already present; nothing to do`,
    );
  }
} finally {
  await database.close();
}
