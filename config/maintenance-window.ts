import { z } from 'zod';

const HOURS_MINUTES = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

/** A weekly (or daily) maintenance window, in UTC. */
export const maintenanceWindowSchema = z
  .object({
    /**
     * The days the window opens: `DAILY`, or days of the week (MO, TU, WE, TH, FR, SA, SU).
     * @default ['SA', 'SU']
     */
    days: z
      .union(
        [
          z.literal('DAILY'),
          z.array(z.enum(['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'])).min(1, { error: 'needs at least one day' }),
        ],
        { error: 'must be "DAILY" or a list of days such as ["SA", "SU"]' },
      )
      .default(['SA', 'SU']),
    /**
     * When the window opens, `HH:MM` in UTC.
     * @default '01:00'
     */
    startTime: z
      .string()
      .regex(HOURS_MINUTES, { error: 'must be a time of day HH:MM (UTC), such as 01:00' })
      .default('01:00'),
    /**
     * How long it stays open, in hours. GKE needs at least 4 contiguous hours and 48 hours in any 32 days.
     * @default 8
     */
    durationHours: z
      .int({ error: 'must be a whole number of hours' })
      .min(4, { error: 'must be from 4 to 24 (GKE needs 4 contiguous hours)' })
      .max(24, { error: 'must be from 4 to 24' })
      .default(8),
  })
  .strict()
  .superRefine((window, ctx) => {
    // In 32 days there are at least 4 of each weekday (and 32 days of a daily window).
    const days = window.days === 'DAILY' ? 8 : new Set(window.days).size;
    if (days * 4 * window.durationHours < 48) {
      ctx.addIssue({
        code: 'custom',
        path: ['durationHours'],
        input: window.durationHours,
        message: `gives ${days * 4 * window.durationHours} hours in 32 days with ${JSON.stringify(window.days)}; GKE needs at least 48: add days or hours`,
      });
    }
  });

export type MaintenanceWindow = z.output<typeof maintenanceWindowSchema>;
