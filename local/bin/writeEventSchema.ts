import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { toEventJsonSchema } from '../../shared/events/toEventJsonSchema.js';
import { projectRoot } from '../paths.js';

/** Regenerates docs/events.schema.json from shared/events/vigilEvent.ts (`npm run build && node dist/local/bin/writeEventSchema.js`). */
const file = path.join(projectRoot, 'docs', 'events.schema.json');
writeFileSync(file, `${JSON.stringify(toEventJsonSchema(), null, 2)}\n`);
console.log(`wrote ${file}`);
