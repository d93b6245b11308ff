import { notMeasured, unjudged, type BenchFigure } from './benchGoals.js';
import { seconds as s } from './seconds.js';
import type { ListenerSplit, MeasuredSplit } from './splitListenerWall.js';

const ms = (n: number) => `${Math.round(n)} ms`;
const HANDLERS_ALONE = 'wall ÷ floor: handlers alone';
const DISPATCH = 'wall ÷ floor: dispatch';
/** Deletes that rejected are said when there are any: in the mean delete, they count only what settled. */
const rejected = (split: ListenerSplit) =>
  split.rejectedDeletes === 0 ? '' : `, ${split.rejectedDeletes} rejected, counted at what settled after them, else 0 ms`;

/**
 * The split as two figures against the floor, beside wall ÷ floor (which they add up to by construction):
 * the handlers alone, and the rest (dispatch), with how each part was measured; both not measured, with the reason,
 * when the split could not be worked out. No goal: issue 15 sets none.
 */
export function listenerFigures(label: string, split: MeasuredSplit, wallMs: number, floorMs: number): BenchFigure[] {
  if ('unmeasured' in split) return [HANDLERS_ALONE, DISPATCH].map((metric) => notMeasured(label, metric, null, split.unmeasured));
  const dispatchMs = wallMs - split.handlersMs;
  return [
    unjudged(
      label,
      HANDLERS_ALONE,
      split.handlersMs / floorMs,
      `the host's listener rule over the ${split.messages.toLocaleString('en')} measured handler durations, each admitted the moment the rule allows: ${s(split.handlersMs)}; ` +
        `over as many of their mean ${ms(split.meanHandlerMs)}: ${s(split.evenHandlersMs)}, the rest their spread`,
    ),
    unjudged(
      label,
      DISPATCH,
      dispatchMs / floorMs,
      `wall ${s(wallMs)} − handlers alone ${s(split.handlersMs)} = ${s(dispatchMs)}: planner ${s(split.plannerMs)} (to the first receive, the queue's createIfNotExists included); ` +
        `messages beyond their handlers ${s(split.messagesMs)} (a handler starts a mean ${ms(split.meanStartDelayMs)} after its batch's receive, ` +
        `the last of a batch of two or more ${ms(split.lastStartDelayMs)}; delete ${ms(split.meanDeleteMs)}${rejected(split)}); ` +
        `listener ${s(split.listenerMs)} (${split.receives} receives, ${split.batches} with messages, a mean ${ms(split.meanReceiveMs)} each)`,
    ),
  ];
}
