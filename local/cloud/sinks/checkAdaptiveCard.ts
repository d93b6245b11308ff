/**
 * Checks an Adaptive Card the way a Teams webhook card has to be to show up in a channel: schema 1.4 at
 * most, only elements and actions that exist in 1.4, and no `Action.Submit`.
 * - Cards above 1.4 sent through Workflows render as "We're sorry, this card couldn't be displayed"
 *   (microsoft/AdaptiveCards#8965, MicrosoftDocs/msteams-docs#9801).
 * - `Action.Submit` is unsupported in webhook cards; OpenUrl, ShowCard and ToggleVisibility work
 *   (learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using).
 * Element and action lists: https://adaptivecards.io/explorer/ (version shown per type).
 */
export type AdaptiveCardCheck = { kind: 'valid' } | { kind: 'invalid'; reason: string };

export const maxCardVersion = { major: 1, minor: 4 } as const;

const elementTypes = new Set(['TextBlock', 'Image', 'RichTextBlock', 'Container', 'ColumnSet', 'FactSet', 'ImageSet', 'ActionSet']);
const actionTypes = new Set(['Action.OpenUrl', 'Action.ShowCard', 'Action.ToggleVisibility']);
/** Types that exist in a later schema only; named so the reason says why they fail. */
const laterElementTypes: Record<string, string> = { Table: '1.5', TableRow: '1.5', TableCell: '1.5' };

type Json = Record<string, unknown>;
/** Thrown inside this module only, to leave the walk at the first problem; `checkAdaptiveCard` turns it into a value. */
class CardProblem extends Error {}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(reason: string): never {
  throw new CardProblem(reason);
}

export function checkAdaptiveCard(card: unknown): AdaptiveCardCheck {
  try {
    checkCard(card, 'content', true);
    return { kind: 'valid' };
  } catch (error) {
    if (error instanceof CardProblem) return { kind: 'invalid', reason: error.message };
    throw error;
  }
}

/** "1.4" → {1, 4}; anything else is undefined. */
export function parseCardVersion(version: unknown): { major: number; minor: number } | undefined {
  if (typeof version !== 'string') return undefined;
  const match = /^(\d+)\.(\d+)$/.exec(version);
  return match ? { major: Number(match[1]), minor: Number(match[2]) } : undefined;
}

function checkVersion(version: unknown, path: string): void {
  const parsed = parseCardVersion(version);
  if (!parsed) fail(`${path}.version must be a string like "1.4" (got ${JSON.stringify(version) ?? 'nothing'}).`);
  const tooNew = parsed.major > maxCardVersion.major || (parsed.major === maxCardVersion.major && parsed.minor > maxCardVersion.minor);
  if (tooNew) {
    fail(
      `${path}.version is "${String(version)}": Teams shows Adaptive Cards above 1.4 sent through Workflows as ` +
        `"We're sorry, this card couldn't be displayed". Use version "1.4".`,
    );
  }
}

/** The root card needs a version; a card inside Action.ShowCard inherits it, but may not name a newer one. */
function checkCard(card: unknown, path: string, isRoot: boolean): void {
  if (!isObject(card) || card['type'] !== 'AdaptiveCard') fail(`Property 'type' must be 'AdaptiveCard' (at ${path}.type).`);
  if (isRoot || card['version'] !== undefined) checkVersion(card['version'], path);
  forEachIn(card, 'body', path, checkElement);
  forEachIn(card, 'actions', path, checkAction);
}

function forEachIn(parent: Json, key: string, path: string, check: (item: unknown, itemPath: string) => void): void {
  const items = parent[key];
  if (items === undefined) return;
  if (!Array.isArray(items)) fail(`${path}.${key} must be an array.`);
  items.forEach((item, i) => check(item, `${path}.${key}[${i}]`));
}

function typeOf(item: unknown, path: string): { node: Json; type: string } {
  if (!isObject(item) || typeof item['type'] !== 'string' || item['type'] === '') fail(`${path} has no 'type'.`);
  return { node: item, type: item['type'] };
}

function checkElement(item: unknown, path: string): void {
  const { node, type } = typeOf(item, path);
  const laterVersion = laterElementTypes[type];
  if (laterVersion) fail(`${path} is a '${type}', which needs Adaptive Card ${laterVersion}; Teams Workflows cards must stay within 1.4.`);
  if (!elementTypes.has(type) && !type.startsWith('Input.')) fail(`${path} has unknown element type '${type}' for Adaptive Card 1.4.`);
  checkSelectAction(node, path);
  switch (type) {
    case 'Container':
      return forEachIn(node, 'items', path, checkElement);
    case 'ColumnSet':
      return forEachIn(node, 'columns', path, checkColumn);
    case 'ImageSet':
      return forEachIn(node, 'images', path, (image, imagePath) => {
        if (typeOf(image, imagePath).type !== 'Image') fail(`${imagePath} must be an 'Image'.`);
      });
    case 'ActionSet':
      return forEachIn(node, 'actions', path, checkAction);
    case 'RichTextBlock':
      return forEachIn(node, 'inlines', path, (inline, inlinePath) => {
        if (typeof inline !== 'string' && typeOf(inline, inlinePath).type !== 'TextRun')
          fail(`${inlinePath} must be a 'TextRun' or a string.`);
      });
    default:
      return undefined;
  }
}

function checkColumn(item: unknown, path: string): void {
  const { node, type } = typeOf(item, path);
  if (type !== 'Column') fail(`${path} must be a 'Column' (got '${type}').`);
  checkSelectAction(node, path);
  forEachIn(node, 'items', path, checkElement);
}

function checkSelectAction(node: Json, path: string): void {
  if (node['selectAction'] !== undefined) checkAction(node['selectAction'], `${path}.selectAction`);
}

function checkAction(item: unknown, path: string): void {
  const { node, type } = typeOf(item, path);
  if (type === 'Action.Submit')
    fail(`${path} is an 'Action.Submit', which cards sent through a Teams webhook do not support; use Action.OpenUrl.`);
  if (!actionTypes.has(type))
    fail(`${path} has action type '${type}'; Teams webhook cards support Action.OpenUrl, Action.ShowCard and Action.ToggleVisibility.`);
  if (type === 'Action.OpenUrl' && (typeof node['url'] !== 'string' || node['url'] === '')) fail(`${path} (Action.OpenUrl) needs a 'url'.`);
  if (type === 'Action.ToggleVisibility' && !Array.isArray(node['targetElements']))
    fail(`${path} (Action.ToggleVisibility) needs 'targetElements'.`);
  if (type === 'Action.ShowCard') checkCard(node['card'], `${path}.card`, false);
}
