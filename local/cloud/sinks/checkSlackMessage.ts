/**
 * How the emulated Slack incoming webhook judges a POST, with the error strings Slack answers
 * (docs.slack.dev/messaging/sending-messages-using-incoming-webhooks, "Handling errors";
 * docs.slack.dev/reference/block-kit/blocks for the block limits):
 * - `invalid_payload` (400): the body is not JSON, or not an object;
 * - `no_text` (400): neither `text` nor `blocks`;
 * - `invalid_blocks` (400): a block breaks Block Kit's rules (more than 50 blocks, a header over 150
 *   characters, a section text over 3,000, a context element over 2,000 or more than 10 of them, an
 *   actions block with more than 25 elements, a button text over 75, a URL over 3,000, an unknown type);
 * - `msg_blocks_too_long` (400): the blocks together are too long. Undocumented: chat.postMessage refuses
 *   about 13,000 characters of blocks (slackapi/bolt-js#2509); the emulator counts the blocks' JSON.
 * - `msg_too_long` (400): `text` over 40,000 characters.
 */
export type SlackMessageCheck = { kind: 'accepted' } | { kind: 'rejected'; error: string; reason: string };

export const slackSinkLimits = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  contextElements: 10,
  contextText: 2000,
  actions: 25,
  buttonText: 75,
  url: 3000,
  blockId: 255,
  blocksJson: 13_000,
  text: 40_000,
} as const;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function checkSlackMessage(body: string): SlackMessageCheck {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return rejected('invalid_payload', 'the body is not JSON');
  }
  if (!isObject(parsed)) return rejected('invalid_payload', 'the body is not a JSON object');
  const { text, blocks } = parsed;
  if (text !== undefined && typeof text !== 'string') return rejected('invalid_payload', '`text` is not a string');
  if (blocks !== undefined && !Array.isArray(blocks)) return rejected('invalid_blocks', '`blocks` is not an array');
  if (!text && (!blocks || blocks.length === 0)) return rejected('no_text', 'neither `text` nor `blocks`');
  if (typeof text === 'string' && text.length > slackSinkLimits.text) return rejected('msg_too_long', `text over ${slackSinkLimits.text}`);
  if (!blocks) return { kind: 'accepted' };
  if (blocks.length > slackSinkLimits.blocks)
    return rejected('invalid_blocks', `${blocks.length} blocks, at most ${slackSinkLimits.blocks}`);
  for (const [i, block] of blocks.entries()) {
    const problem = checkBlock(block);
    if (problem) return rejected('invalid_blocks', `blocks[${i}]: ${problem}`);
  }
  const size = JSON.stringify(blocks).length;
  if (size > slackSinkLimits.blocksJson) return rejected('msg_blocks_too_long', `${size} characters of blocks`);
  return { kind: 'accepted' };
}

const rejected = (error: string, reason: string): SlackMessageCheck => ({ kind: 'rejected', error, reason });

function checkBlock(block: unknown): string | undefined {
  if (!isObject(block)) return 'not an object';
  if (typeof block['block_id'] === 'string' && block['block_id'].length > slackSinkLimits.blockId) return 'block_id too long';
  switch (block['type']) {
    case 'header':
      return textObject(block['text'], slackSinkLimits.headerText, ['plain_text']);
    case 'section': {
      const fields = block['fields'];
      if (block['text'] === undefined && fields === undefined) return 'a section needs text or fields';
      if (block['text'] !== undefined) {
        const problem = textObject(block['text'], slackSinkLimits.sectionText);
        if (problem) return `text: ${problem}`;
      }
      if (fields !== undefined) {
        if (!Array.isArray(fields) || fields.length > slackSinkLimits.sectionFields) return 'fields: at most 10';
        for (const field of fields) if (textObject(field, slackSinkLimits.fieldText)) return 'fields: a field is invalid';
      }
      return undefined;
    }
    case 'context': {
      const elements = block['elements'];
      if (!Array.isArray(elements) || elements.length === 0 || elements.length > slackSinkLimits.contextElements)
        return 'context: 1 to 10 elements';
      for (const element of elements) {
        const problem = textObject(element, slackSinkLimits.contextText);
        if (problem) return `context element: ${problem}`;
      }
      return undefined;
    }
    case 'actions': {
      const elements = block['elements'];
      if (!Array.isArray(elements) || elements.length === 0 || elements.length > slackSinkLimits.actions)
        return 'actions: 1 to 25 elements';
      for (const element of elements) {
        const problem = checkButton(element);
        if (problem) return `actions element: ${problem}`;
      }
      return undefined;
    }
    case 'divider':
      return undefined;
    default:
      return `unknown or unsupported block type ${JSON.stringify(block['type'])}`;
  }
}

function textObject(value: unknown, max: number, types: readonly string[] = ['plain_text', 'mrkdwn']): string | undefined {
  if (!isObject(value)) return 'not a text object';
  if (!types.includes(String(value['type']))) return `type must be ${types.join(' or ')}`;
  const text = value['text'];
  if (typeof text !== 'string' || text.length === 0) return 'text is empty';
  return text.length > max ? `text of ${text.length} characters, at most ${max}` : undefined;
}

function checkButton(element: unknown): string | undefined {
  if (!isObject(element) || element['type'] !== 'button') return 'only buttons are emulated';
  const problem = textObject(element['text'], slackSinkLimits.buttonText, ['plain_text']);
  if (problem) return `button text: ${problem}`;
  const url = element['url'];
  if (url !== undefined && (typeof url !== 'string' || url.length > slackSinkLimits.url || !/^https?:\/\//.test(url))) return 'button url';
  return undefined;
}
