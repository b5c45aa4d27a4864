import { writeFileSync } from 'node:fs';
import { renderEventDocs } from './event-docs.js';

writeFileSync(new URL('../docs/events.md', import.meta.url), renderEventDocs());
console.log('docs/events.md written');
