import { createNotificationPipeline } from '../../../shared/notifications/createNotificationPipeline.js';
import type { NotificationLifecycle } from '../../../shared/wiring/createNotifications.js';
import type { NotificationStack } from './notificationStack.js';

/** What the digest tests do with a notification stack, given how to reach it (it starts in `beforeAll`). */
export function digestStackKit(stack: () => NotificationStack) {
  const data = () => stack().stack.cloud.context.store.data;
  const lifecycle = (): NotificationLifecycle => stack().runtime.notifications.lifecycle!;
  const captured = () => stack().captured();
  const since: NotificationStack['since'] = (before) => stack().since(before);
  /** A publisher on the stack's storage with some of its stores replaced (to stop it half-way), logging nowhere. */
  const pipelineWith = (
    stores: Partial<Pick<NotificationLifecycle, 'state' | 'digests' | 'clock' | 'tickets' | 'windowSeconds' | 'newId'>>,
  ) =>
    createNotificationPipeline({ ...lifecycle(), ...stores, eventLog: { publish: async () => undefined }, reminders: lifecycle().policy });
  const windowBuckets = async () => (await lifecycle().digests.listBuckets()).filter((b) => b !== 'daily');
  return { data, lifecycle, captured, since, pipelineWith, windowBuckets };
}
