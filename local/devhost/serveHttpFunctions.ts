import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpRequest, HttpResponse } from '../../functions/azureFunctions.js';
import type { FunctionDefinition } from '../../functions/FunctionDefinition.js';
import type { Runtime } from '../../shared/wiring/createRuntime.js';
import { createInvocationContext, type LogSink } from './invocationContext.js';
import { applyPlatformSignIn, type PageSignIn } from './platformSignIn.js';

type HttpDefinition = Extract<FunctionDefinition, { kind: 'http' }>;

/** Compiles a Functions route template (`connections/{name}/refresh`) to a matcher under `/api/`. */
function compileRoute(route: string): RegExp {
  const pattern = route
    .split('/')
    .map((part) =>
      /^\{(\w+)(?::[^}]*)?\??\}$/.test(part) ? `(?<${part.replace(/^\{(\w+).*$/, '$1')}>[^/]+)` : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return new RegExp(`^/api/${pattern}/?$`, 'i');
}

/**
 * Serves the HTTP functions on `http://localhost:PORT/api/…` the way `func start` does. Function keys are
 * not enforced locally (as with the Core Tools); every route still declares its `authLevel` for Azure.
 * `runtimeFor` is the runtime, or makes it from the origin served (`http://localhost:PORT`) for settings that name it
 * (VIGIL_PUBLIC_BASE_URL): with port 0 the port is then the one listened on, not one found free earlier,
 * which any process on the machine may take before the listen (EADDRINUSE on a busy machine). If making it throws,
 * the server is closed and the error rethrown.
 */
export async function serveHttpFunctions(
  definitions: FunctionDefinition[],
  runtimeFor: Runtime | ((origin: string) => Runtime),
  sink: LogSink,
  port: number,
  pageSignIn?: PageSignIn,
) {
  let runtime: Runtime | undefined;
  const routes = definitions
    .filter((d): d is HttpDefinition => d.kind === 'http')
    .map((d) => ({ definition: d, pattern: compileRoute(d.route) }));
  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      sink('devhost', 'error', `unhandled: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', `http://localhost:${(server.address() as AddressInfo).port}`);
    const matches = routes.map((r) => ({ ...r, match: r.pattern.exec(url.pathname) })).filter((r) => r.match);
    const found = matches.find((r) => r.definition.methods.includes((req.method ?? 'GET') as HttpDefinition['methods'][number]));
    if (!found) {
      res.writeHead(matches.length > 0 ? 405 : 404).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const received = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
    const headers = applyPlatformSignIn(received, req.method ?? 'GET', pageSignIn);
    const request = new HttpRequest({
      method: req.method ?? 'GET',
      url: url.toString(),
      headers,
      query: Object.fromEntries(url.searchParams),
      params: { ...found.match!.groups },
      ...(chunks.length > 0 ? { body: { bytes: Buffer.concat(chunks) } } : {}),
    });
    const context = createInvocationContext(found.definition.name, sink, { headers });
    // Made as soon as the server listens, before any request's event can run.
    if (!runtime) throw new Error('a request came before the runtime was made');
    const response = new HttpResponse(await found.definition.handler(request, context, runtime));
    const body = Buffer.from(await response.arrayBuffer());
    res.writeHead(response.status, Object.fromEntries(response.headers.entries())).end(body);
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  const origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  try {
    runtime = typeof runtimeFor === 'function' ? runtimeFor(origin) : runtimeFor;
  } catch (error) {
    // No runtime, no server: one left listening would keep the process alive and its port taken.
    await close();
    throw error;
  }
  return { url: `${origin}/api`, runtime, close };
}
