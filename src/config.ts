import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { isValidTimeZoneName } from './lib/validation';
import { replyDomainOf } from './lib/reply-domain';

const booleanFromEnv = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_PATH: z.string().min(1).default('data/crosstrain.db'),
  /** Public address used in links inside emails and calendar feeds. */
  BASE_URL: z.url().optional(),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .positive()
    .default(24 * 7),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .positive()
    .default(12 * 60),
  ADMIN_EMAIL: z.email().default('admin@example.com'),
  /** The company's default time zone until HR sets one on /settings (people added without a zone get it). */
  DEFAULT_TIME_ZONE: z.string().refine(isValidTimeZoneName, 'Use an IANA time zone such as Europe/Berlin.').optional(),
  SMTP_HOST: z.string().optional(),
  SMTP_PORT: z.coerce.number().int().positive().default(587),
  SMTP_SECURE: booleanFromEnv.default(false),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  SMTP_FROM: z.string().default('crosstrain <no-reply@crosstrain.local>'),
  OUTBOX_INTERVAL_MS: z.coerce.number().int().positive().default(10_000),
  /** Port of the SMTP listener for answers sent from mail programs (iMIP REPLY); unset = no listener. */
  INBOUND_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Address the SMTP listener binds to. */
  INBOUND_SMTP_HOST: z.string().default('0.0.0.0'),
  /** Domain of the reply addresses (reply+<token>@INBOUND_DOMAIN); defaults to BASE_URL's host name when mail can reach it. */
  INBOUND_DOMAIN: z
    .string()
    .regex(/^[A-Za-z0-9.-]+$/, 'a domain name such as crosstrain.example.com')
    .optional(),
  /** Largest answer mail accepted, in bytes. */
  INBOUND_MAX_BYTES: z.coerce.number().int().min(10_000).max(10_000_000).default(256_000),
  /**
   * Lets people's own calendar addresses lead to loopback and private networks. Only for tests and
   * closed demo networks: on a real server it would let anyone make crosstrain read internal services.
   */
  ALLOW_PRIVATE_CALENDAR_HOSTS: booleanFromEnv.default(false),
  LOG_REQUESTS: booleanFromEnv.default(false),
  /** Set when a reverse proxy you run sets X-Forwarded-For; otherwise that header is the client's own claim and ignored. */
  TRUST_PROXY: booleanFromEnv.default(false),
  /** Server processes sharing the port (node:cluster); background jobs run in exactly one of them. */
  WORKERS: z.coerce.number().int().min(1).max(64).default(availableParallelism()),
  /** Keep signed-in GET answers per session while no data changed (an option; every page is fast without it). */
  PAGE_CACHE: booleanFromEnv.default(false),
});

export type Config = z.infer<typeof configSchema>;

/** Settings that only make sense together. */
const checkedConfigSchema = configSchema.superRefine((config, ctx) => {
  if (config.INBOUND_SMTP_PORT !== undefined && !replyDomainOf({ replyDomain: config.INBOUND_DOMAIN, baseUrl: config.BASE_URL })) {
    ctx.addIssue({
      code: 'custom',
      path: ['INBOUND_DOMAIN'],
      message:
        'INBOUND_SMTP_PORT needs the domain answers are mailed to: set INBOUND_DOMAIN, or BASE_URL with a public host name (not localhost or an IP address).',
    });
  }
});

/** Parses the environment once; a bad value stops the process with the variable's name. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = checkedConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** Settings the app needs at request time; tests pass their own. */
export type AppSettings = Pick<Config, 'SESSION_TTL_HOURS' | 'SESSION_IDLE_MINUTES'> & {
  baseUrl?: string;
  trustProxy?: boolean;
  replyDomain?: string;
  allowPrivateCalendarHosts?: boolean;
};
export const defaultSettings: AppSettings = { SESSION_TTL_HOURS: 24 * 7, SESSION_IDLE_MINUTES: 12 * 60, trustProxy: false };
