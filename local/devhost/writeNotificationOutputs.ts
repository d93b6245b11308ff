import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CloudStateData } from '../cloud/state/model.js';

export interface NotificationOutputs {
  dir: string;
  mail: string[];
  teams: string[];
  slack: string[];
  pagerduty: string[];
  webhooks: string[];
}

interface SentMail {
  message: { subject?: string; body?: { content?: string }; attachments?: Array<{ name?: string; contentBytes?: string }> };
}

const pretty = (json: string): string => `${JSON.stringify(JSON.parse(json) as unknown, null, 2)}\n`;
const numbered = (i: number): string => String(i + 1).padStart(2, '0');

/**
 * Writes what the local cloud captured so a person can look at it: each mail as an HTML file to open in a
 * browser (and its plain-text attachment beside it), each Teams message, Slack message, PagerDuty event
 * (routing key shortened) and webhook body as JSON. The
 * folder is emptied first, so it shows the captures of the current local cloud state only.
 */
export function writeNotificationOutputs(
  captured: Pick<CloudStateData, 'mail' | 'teams' | 'slack' | 'pagerduty' | 'webhooks'>,
  dir: string,
): NotificationOutputs {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const write = (name: string, content: string): string => {
    const file = path.join(dir, name);
    writeFileSync(file, content);
    return file;
  };
  const mail = captured.mail.flatMap((m, i) => {
    const { message } = JSON.parse(m.body) as SentMail;
    const text = message.attachments?.find((a) => a.name === 'digest.txt')?.contentBytes;
    return [
      write(`mail-${numbered(i)}.html`, message.body?.content ?? ''),
      ...(text ? [write(`mail-${numbered(i)}.txt`, Buffer.from(text, 'base64').toString('utf8'))] : []),
    ];
  });
  const teams = captured.teams.map((t, i) => write(`teams-${numbered(i)}.json`, pretty(t.body)));
  const slack = captured.slack.map((m, i) => write(`slack-${numbered(i)}.json`, pretty(m.body)));
  const pagerduty = captured.pagerduty.map((e, i) => write(`pagerduty-${numbered(i)}-${e.action}.json`, pretty(e.body)));
  const webhooks = captured.webhooks.map((w, i) =>
    write(`webhook-${numbered(i)}-${w.endpoint}${w.verified ? '' : '-rejected'}.json`, pretty(w.body)),
  );
  return { dir, mail, teams, slack, pagerduty, webhooks };
}
