import { z } from 'zod';

/** Every setting Tribe reads, validated once at start-up. Nothing else reads `process.env`. */
const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3978),
    HOST: z.string().min(1).default('0.0.0.0'),
    DATA_DIR: z.string().min(1).default('./data'),
    MONGODB_URI: optionalText.pipe(
      z.string().regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://').optional(),
    ),
    MONGODB_DB: z.string().regex(/^[A-Za-z0-9_-]{1,63}$/, 'letters, digits, _ or -').default('tribe'),
    PUBLIC_BASE_URL: optionalText.pipe(
      z
        .url({ protocol: /^https?$/ })
        .transform((url) => url.replace(/\/+$/, ''))
        .optional(),
    ),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    MicrosoftAppId: optionalText,
    MicrosoftAppPassword: optionalText,
    MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
    MicrosoftAppTenantId: optionalText,
    DEV_ADVISER_TOKEN: optionalText.pipe(z.string().min(16, 'at least 16 characters').optional()),
    ADVISER_TOKENS: optionalText.pipe(
      z
        .string()
        .regex(
          /^([A-Za-z0-9_.-]+=[A-Za-z0-9_.~-]{16,})(,[A-Za-z0-9_.-]+=[A-Za-z0-9_.~-]{16,})*$/,
          'comma-separated adviserId=token pairs, tokens of at least 16 characters',
        )
        .optional(),
    ),
    DUTY_ADVISERS: optionalText.pipe(
      z
        .string()
        .regex(/^[A-Za-z0-9_.-]+(,[A-Za-z0-9_.-]+)*$/, 'comma-separated adviser ids')
        .transform((ids) => ids.split(','))
        .optional(),
    ),
    ESCALATION_URGENT_ACK_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
    ESCALATION_HIGH_ACK_MINUTES: z.coerce.number().int().min(1).max(10080).default(240),
    MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(10_000_000).default(256 * 1024),
  })
  .superRefine((config, ctx) => {
    if (config.MicrosoftAppId && config.MicrosoftAppType !== 'UserAssignedMSI' && !config.MicrosoftAppPassword) {
      ctx.addIssue({ code: 'custom', path: ['MicrosoftAppPassword'], message: 'required when MicrosoftAppId is set' });
    }
    if (config.MicrosoftAppType !== 'MultiTenant' && config.MicrosoftAppId && !config.MicrosoftAppTenantId) {
      ctx.addIssue({
        code: 'custom',
        path: ['MicrosoftAppTenantId'],
        message: `required when MicrosoftAppType is ${config.MicrosoftAppType}`,
      });
    }
    if (config.NODE_ENV === 'production' && !config.MicrosoftAppId) {
      // Without an app id nothing is authenticated and the local Direct Line channel is open.
      ctx.addIssue({ code: 'custom', path: ['MicrosoftAppId'], message: 'required in production' });
    }
    if (config.NODE_ENV === 'production' && config.DEV_ADVISER_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['DEV_ADVISER_TOKEN'], message: 'must not be set in production' });
    }
  });

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Tribe cannot start: invalid configuration\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
  );
}
