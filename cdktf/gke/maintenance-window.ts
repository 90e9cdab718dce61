import type { MaintenanceWindow } from '../../config';

/** A GKE recurring maintenance window as Terraform's `maintenance_policy.recurring_window` takes it. */
export interface RecurringWindow {
  /** RFC 3339 start of the first occurrence; later ones follow `recurrence`. */
  readonly startTime: string;
  readonly endTime: string;
  /** RFC 5545 RRULE. */
  readonly recurrence: string;
}

/**
 * The recurring window of a configured maintenance window, anchored on a fixed Saturday (2026-01-03) so that the
 * output is the same on every machine: only the time of day and the duration matter with a weekly or daily rule.
 */
export function recurringWindow(window: MaintenanceWindow): RecurringWindow {
  const start = new Date(`2026-01-03T${window.startTime}:00Z`);
  const end = new Date(start.getTime() + window.durationHours * 3_600_000);
  const iso = (d: Date) => d.toISOString().replace('.000Z', 'Z');
  return {
    startTime: iso(start),
    endTime: iso(end),
    recurrence: window.days === 'DAILY' ? 'FREQ=DAILY' : `FREQ=WEEKLY;BYDAY=${window.days.join(',')}`,
  };
}
