/**
 * Secrets Amend must read back in plain (Shopify's webhook secret, to compute the HMAC) are kept
 * encrypted with AES-256-GCM. The key comes from AMEND_SECRET_KEY; on the embedded store without
 * it, one is generated once and kept in the data folder (mode 0600), so `npm start` needs nothing.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('a secret key has 32 bytes');
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), data]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  decrypt(sealed: string): string {
    const [version, iv, tag, data] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || data === undefined)
      throw new Error('not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(data, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  }
}

/** AMEND_SECRET_KEY as 64 hex digits or base64 of 32 bytes. */
export function parseSecretKey(value: string): Buffer {
  const v = value.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(v) ? Buffer.from(v, 'hex') : Buffer.from(v, 'base64');
  if (key.length !== 32)
    throw new Error(
      'AMEND_SECRET_KEY must be 32 bytes: 64 hex digits, or base64 (e.g. `openssl rand -base64 32`)',
    );
  return key;
}

export const SECRET_KEY_FILE = 'secret.key';

/**
 * The box for this process: from the variable; else, on the embedded store, from the data folder's
 * key file (created on first start); else none — PostgreSQL deployments must set the variable.
 */
export function openSecretBox(opts: {
  secretKey?: string | undefined;
  dataDir?: string | undefined;
  embedded: boolean;
}): SecretBox | null {
  if (opts.secretKey) return new SecretBox(parseSecretKey(opts.secretKey));
  if (!opts.embedded || !opts.dataDir) return null;
  const file = join(opts.dataDir, SECRET_KEY_FILE);
  if (!existsSync(file)) {
    try {
      writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (err) {
      // Another process made it first: use theirs.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return new SecretBox(parseSecretKey(readFileSync(file, 'utf8')));
}
