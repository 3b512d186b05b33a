/**
 * @module config
 * Ward's configuration: one schema, filled from defaults, an optional JSON file, `WARD_*`
 * environment variables and command-line flags (later sources win). A bad value is reported with
 * the key and where it came from, so `ward` can exit 2 naming it.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { z } from 'zod';
import { ServerError } from './errors.js';

const boolish = z.union([
  z.boolean(),
  z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v)),
]);
const int = (min: number, max: number) =>
  z
    .union([z.number(), z.string().regex(/^\d+$/, 'expected a whole number').transform(Number)])
    .pipe(z.number().int().min(min).max(max));

/**
 * Which proxies to believe about the client's address and protocol: `false` (none), a hop count, or
 * the proxies' addresses / CIDR ranges. Trusting every hop (`true`) would let any client choose the
 * address that sign-in throttling counts, so it is refused.
 */
const trustProxy = z
  .union([z.literal(false), z.number().int().min(1).max(10), z.string()])
  .transform((value, ctx): false | number | string => {
    if (typeof value !== 'string') return value;
    const text = value.trim();
    if (['false', 'no', '0', ''].includes(text)) return false;
    if (/^\d+$/.test(text)) return Number(text);
    const entries = text.split(',').map((e) => e.trim());
    const bad = entries.find((e) => {
      const [address = '', bits] = e.split('/');
      return isIP(address) === 0 || (bits !== undefined && !/^\d{1,3}$/.test(bits));
    });
    if (bad !== undefined || text === 'true') {
      ctx.addIssue({
        code: 'custom',
        message: "expected false, a hop count, or the proxies' addresses (e.g. 10.0.0.5,10.1.0.0/16)",
      });
      return z.NEVER;
    }
    return entries.join(',');
  });

export const configSchema = z
  .object({
    dataDir: z.string().min(1).default('./ward-data'),
    host: z.string().min(1).default('127.0.0.1'),
    port: int(0, 65535).default(8080),
    databaseUrl: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL')
      .optional(),
    databaseSchema: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'expected a lower-case SQL identifier')
      .optional(),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    trustProxy: trustProxy.default(false),
    cookieSecure: z.enum(['auto', 'always', 'never']).default('auto'),
    sessionIdleMinutes: int(1, 24 * 60).default(30),
    sessionMaxHours: int(1, 7 * 24).default(12),
    adminPassword: z.string().min(12, 'must be at least 12 characters').optional(),
    autoMigrate: boolish.default(true),
    ledgerKeyFile: z.string().min(1).optional(),
    ledgerOrigin: z
      .string()
      .regex(/^[A-Za-z0-9._/-]{1,128}$/, 'expected a schema-less URL such as ward.example-hospital.org/ledger')
      .optional(),
    /** Hours between runs of the `feeds.sync` job in `ward serve`; 0 (default) leaves it off. */
    feedSyncHours: int(0, 24 * 30).default(0),
    /** A sources file for `feeds.sync` (as `ward feeds sync --sources`); default NVD, KEV, EPSS, CISA CSAF. */
    feedSources: z.string().min(1).optional(),
    /** An NVD API key (faster NVD paging). */
    nvdApiKey: z.string().min(1).optional(),
    tlsCertFile: z.string().min(1).optional(),
    tlsKeyFile: z.string().min(1).optional(),
  })
  .strict();

export type WardConfig = z.output<typeof configSchema>;
export type ConfigKey = keyof WardConfig;

/** The environment variable for each key: `dataDir` → `WARD_DATA_DIR`. */
export function envNameOf(key: string): string {
  return `WARD_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

export const CONFIG_KEYS = Object.keys(configSchema.shape) as ConfigKey[];

export interface ConfigSources {
  /** A JSON file of camelCase keys (`--config FILE` or `WARD_CONFIG`). */
  readonly file?: string | undefined;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Values from flags, already camelCased; undefined entries are ignored. */
  readonly flags?: Readonly<Record<string, unknown>>;
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ServerError('SERVER_CONFIG_INVALID', `cannot read the configuration file ${file}`, {
      cause: error,
      details: { file },
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ServerError('SERVER_CONFIG_INVALID', `the configuration file ${file} is not valid JSON`, {
      cause: error,
      details: { file },
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ServerError('SERVER_CONFIG_INVALID', `the configuration file ${file} must hold a JSON object`, {
      details: { file },
    });
  }
  return value as Record<string, unknown>;
}

/** Merges the sources and validates them; throws SERVER_CONFIG_INVALID naming the key and source. */
export function loadConfig(sources: ConfigSources = {}): WardConfig {
  const env = sources.env ?? {};
  const merged: Record<string, unknown> = {};
  const origin: Record<string, string> = {};
  const file = sources.file ?? env.WARD_CONFIG;
  if (file !== undefined && file !== '') {
    for (const [key, value] of Object.entries(readConfigFile(file))) {
      merged[key] = value;
      origin[key] = `${file}: ${key}`;
    }
  }
  for (const key of CONFIG_KEYS) {
    const name = envNameOf(key);
    const value = env[name];
    if (value !== undefined && value !== '') {
      merged[key] = value;
      origin[key] = name;
    }
  }
  for (const [key, value] of Object.entries(sources.flags ?? {})) {
    if (value === undefined) continue;
    merged[key] = value;
    origin[key] = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  }
  const parsed = configSchema.safeParse(merged);
  if (parsed.success) {
    const config = parsed.data;
    if ((config.tlsCertFile === undefined) !== (config.tlsKeyFile === undefined)) {
      throw new ServerError('SERVER_CONFIG_INVALID', 'tlsCertFile and tlsKeyFile must be given together', {
        details: { key: config.tlsCertFile === undefined ? 'tlsCertFile' : 'tlsKeyFile' },
      });
    }
    return config;
  }
  const issue = parsed.error.issues[0];
  const key = issue?.code === 'unrecognized_keys' ? String(issue.keys[0]) : String(issue?.path[0] ?? '(unknown)');
  const source = origin[key] ?? 'default';
  const reason = issue?.code === 'unrecognized_keys' ? 'is not a configuration key' : (issue?.message ?? 'is invalid');
  throw new ServerError('SERVER_CONFIG_INVALID', `invalid configuration ${key} (from ${source}): ${reason}`, {
    details: { key, source },
  });
}
