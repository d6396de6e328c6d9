import { CloudAdapter, type Activity, type TurnContext } from 'botbuilder';
import type { Request, Response } from 'restify';

/**
 * `CloudAdapter` with one more way in: `processChecked` runs a request whose body the host has
 * already parsed and checked, doing what `CloudAdapter.process` does for HTTP without the zod
 * schemas it builds on every request (a measurable share of a turn). Authentication is untouched:
 * `processActivity` validates the JWT when an app id is set, and throws `AuthenticationError` for a
 * request it refuses.
 */
export class HttpCloudAdapter extends CloudAdapter {
  async processChecked(req: Request, res: Response, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const activity = withDates(req.body as Activity);
    const answer = await this.processActivity(req.header('authorization') ?? '', activity, logic);
    res.status(answer?.status ?? 200);
    if (answer?.body !== undefined) res.send(answer.body);
    res.end();
  }
}

/** Timestamps arrive as ISO strings; the Bot Framework's types (and its transcript tools) expect Dates. */
function withDates(activity: Activity): Activity {
  const fields = activity as unknown as Record<string, unknown>;
  for (const [field, raw] of [
    ['timestamp', 'rawTimestamp'],
    ['localTimestamp', 'rawLocalTimestamp'],
    ['expiration', 'rawExpiration'],
  ] as const) {
    const value = fields[field];
    if (typeof value === 'string') {
      fields[raw] = value;
      fields[field] = new Date(value);
    }
  }
  return activity;
}
