import { checkAdaptiveCard } from './checkAdaptiveCard.js';

/** About 28 KB per message; more fails with "Request entity too large" (learn.microsoft.com/connectors/teams, limits). */
export const maxTeamsMessageBytes = 28 * 1024;
export const adaptiveCardContentType = 'application/vnd.microsoft.card.adaptive';

/**
 * How the emulated "When a Teams webhook request is received" trigger judges a POST.
 * - `schemaMismatch`: what the real trigger answers itself, before any run, when the body does not
 *   match its request schema (seen as 400 TriggerInputSchemaMismatch, e.g. a missing `contentUrl`).
 * - `cardRejected`: Workflows itself would answer 202 here and the flow run would fail or post a card
 *   Teams cannot show; the emulator answers 400 so a sender's tests see the problem.
 */
export type TeamsMessageCheck =
  | { kind: 'accepted' }
  | { kind: 'tooLarge'; reason: string }
  | { kind: 'unreadable'; reason: string }
  | { kind: 'schemaMismatch'; reason: string }
  | { kind: 'cardRejected'; reason: string };

type Json = Record<string, unknown>;

function jsonTypeName(value: unknown): string {
  if (value === null) return 'Null';
  if (Array.isArray(value)) return 'Array';
  const type = typeof value;
  if (type === 'number') return Number.isInteger(value) ? 'Integer' : 'Float';
  return type.charAt(0).toUpperCase() + type.slice(1);
}

/** Problems in the words of the Json.NET schema validator Logic Apps uses. */
function expectObject(value: unknown): string | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? undefined
    : `Invalid type. Expected Object but got ${jsonTypeName(value)}.`;
}

function missing(object: Json, required: string[]): string | undefined {
  const absent = required.filter((key) => !(key in object));
  return absent.length ? `Required properties are missing from object: ${absent.join(', ')}.` : undefined;
}

/** The trigger's request schema: an object with `type` and `attachments`, each with contentType, contentUrl and content. */
function checkSchema(message: unknown): string | undefined {
  const notObject = expectObject(message);
  if (notObject) return notObject;
  const envelope = message as Json;
  const absent = missing(envelope, ['type', 'attachments']);
  if (absent) return absent;
  const attachments = envelope['attachments'];
  if (!Array.isArray(attachments)) return `Invalid type. Expected Array but got ${jsonTypeName(attachments)}.`;
  for (const attachment of attachments as unknown[]) {
    const problem =
      expectObject(attachment) ??
      missing(attachment as Json, ['contentType', 'contentUrl', 'content']) ??
      expectObject((attachment as Json)['content']);
    if (problem) return problem;
  }
  return undefined;
}

function checkCards(envelope: Json): string | undefined {
  if (envelope['type'] !== 'message') return `The message 'type' must be 'message' (got ${JSON.stringify(envelope['type'])}).`;
  const attachments = envelope['attachments'] as Json[];
  if (attachments.length === 0) return `The message has no attachments: the flow would post nothing.`;
  for (const [i, attachment] of attachments.entries()) {
    if (attachment['contentType'] !== adaptiveCardContentType) {
      return `attachments[${i}].contentType must be '${adaptiveCardContentType}' (got ${JSON.stringify(attachment['contentType'])}).`;
    }
    const card = checkAdaptiveCard(attachment['content']);
    if (card.kind === 'invalid') return attachments.length > 1 ? `attachments[${i}]: ${card.reason}` : card.reason;
  }
  return undefined;
}

/** Checks a Workflows webhook POST body (raw bytes, as sent) and its content type. */
export function checkTeamsMessage(contentType: string | undefined, body: Buffer): TeamsMessageCheck {
  if (body.byteLength > maxTeamsMessageBytes) {
    return {
      kind: 'tooLarge',
      reason: `Request entity too large: the message is ${body.byteLength} bytes; Teams accepts at most ${maxTeamsMessageBytes}.`,
    };
  }
  // Logic Apps wraps a body without a JSON content type as {"$content-type", "$content"}, which has
  // none of the schema's properties [inference from the Request trigger docs; not observed on Workflows].
  if (!/^application\/json\s*(;|$)/i.test(contentType ?? '')) {
    return { kind: 'schemaMismatch', reason: 'Required properties are missing from object: type, attachments.' };
  }
  let message: unknown;
  try {
    message = JSON.parse(body.toString('utf8'));
  } catch (error) {
    return { kind: 'unreadable', reason: `The request content is not valid JSON: ${(error as Error).message}` };
  }
  const schemaProblem = checkSchema(message);
  if (schemaProblem) return { kind: 'schemaMismatch', reason: schemaProblem };
  const cardProblem = checkCards(message as Json);
  return cardProblem ? { kind: 'cardRejected', reason: cardProblem } : { kind: 'accepted' };
}
