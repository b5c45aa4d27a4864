import { mkdirSync, writeFileSync } from 'node:fs';
import {
  CLIENT_TYPES_PATH,
  DOCUMENT_PATH,
  renderClientTypes,
  renderDocument,
  servedDocument,
} from './openapi-docs.js';

const document = await servedDocument();
writeFileSync(DOCUMENT_PATH, await renderDocument(document));
mkdirSync(new URL('.', CLIENT_TYPES_PATH), { recursive: true });
writeFileSync(CLIENT_TYPES_PATH, await renderClientTypes(document));
console.log('docs/openapi.json and web/src/api/schema.d.ts written');
