import type { FunctionDefinition } from './FunctionDefinition.js';
import { getInventory } from './getInventory.js';
import { inventoryTimer } from './inventoryTimer.js';
import { listFindings } from './listFindings.js';
import { scanPlannerTimer } from './scanPlannerTimer.js';
import { scanTenantQueue } from './scanTenantQueue.js';
import { startScan } from './startScan.js';
import { deliverNotificationQueue } from './deliverNotificationQueue.js';
import { getNotifications } from './getNotifications.js';
import { notificationDigestTimer } from './notificationDigestTimer.js';
import { flushDigestQueue } from './flushDigestQueue.js';
import { reminderTimer } from './reminderTimer.js';
import { snoozeEndQueue } from './snoozeEndQueue.js';
import { poisonQueueWatcherTimer } from './poisonQueueWatcherTimer.js';
import { snoozeFinding } from './snoozeFinding.js';
import { unsnoozeFinding } from './unsnoozeFinding.js';
import { listConnections } from './listConnections.js';
import { refreshConnectionNow } from './refreshConnectionNow.js';
import { refreshConnectionQueue } from './refreshConnectionQueue.js';
import { refreshPlannerTimer } from './refreshPlannerTimer.js';
import { startRotation } from './startRotation.js';
import { getRotation } from './getRotation.js';
import { rotationQueue } from './rotationQueue.js';
import { rotationTimer } from './rotationTimer.js';
import { getOpenApi } from './getOpenApi.js';
import { getDashboard } from './getDashboard.js';
import { snoozeFromDashboard } from './snoozeFromDashboard.js';
import { reconnectFromDashboard } from './reconnectFromDashboard.js';
import { getHealth } from './getHealth.js';
import { instrumented } from './instrumented.js';
import { createConnection } from './createConnection.js';
import { createSignInLink } from './createSignInLink.js';
import { signInCallback } from './signInCallback.js';
import { signInLink } from './signInLink.js';

/** Every function Vigil has, instrumented, in one list for both the Functions host and the local dev host. */
export const functionDefinitions: FunctionDefinition[] = [
  inventoryTimer,
  getInventory,
  deliverNotificationQueue,
  notificationDigestTimer,
  flushDigestQueue,
  reminderTimer,
  snoozeEndQueue,
  poisonQueueWatcherTimer,
  snoozeFinding,
  unsnoozeFinding,
  getNotifications,
  refreshPlannerTimer,
  refreshConnectionQueue,
  refreshConnectionNow,
  listConnections,
  scanPlannerTimer,
  scanTenantQueue,
  listFindings,
  startScan,
  startRotation,
  getRotation,
  rotationQueue,
  rotationTimer,
  getOpenApi,
  getDashboard,
  snoozeFromDashboard,
  reconnectFromDashboard,
  getHealth,
  createConnection,
  createSignInLink,
  signInLink,
  signInCallback,
].map(instrumented);
