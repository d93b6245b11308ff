import type { HttpRequest, HttpResponseInit, InvocationContext, Timer } from '@azure/functions';
import type { Runtime } from '../shared/wiring/createRuntime.js';

/**
 * One list of function definitions serves both hosts: `index.ts` hands it to `app.*` in Azure, and the
 * local dev host reads it, because `@azure/functions` registers nothing outside the Functions host.
 * Handlers receive the runtime as an argument so a test can call them with any collaborators.
 */
export type FunctionDefinition =
  | {
      kind: 'timer';
      name: string;
      /** NCRONTAB or `%SETTING%`, resolved by the host. */
      schedule: string;
      handler: (timer: Timer, context: InvocationContext, runtime: Runtime) => Promise<void>;
    }
  | {
      kind: 'http';
      name: string;
      methods: Array<'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'>;
      /** Set on every route: the library's default is anonymous. */
      authLevel: 'anonymous' | 'function' | 'admin';
      route: string;
      handler: (request: HttpRequest, context: InvocationContext, runtime: Runtime) => Promise<HttpResponseInit>;
    }
  | {
      kind: 'storageQueue';
      name: string;
      queueName: string;
      handler: (message: unknown, context: InvocationContext, runtime: Runtime) => Promise<void>;
    };
