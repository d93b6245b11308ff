import { afterEach, describe, expect, it, vi } from 'vitest';
import { BufferedResponse } from '../../../../shared/adapters/http/BufferedResponse.js';

const init = { status: 200, statusText: 'OK', headers: [['Content-Type', 'application/json'] as [string, string]] };
const page = Buffer.from('{"value":[{"id":"a1","displayName":"Payroll ✓"}]}');
const buffered = (bytes: Buffer | null = page, status = init) => new BufferedResponse(bytes, status, 'https://graph.example/v1.0/x');
/** What a read settles to, so a refused read and its error class can be compared. */
const settled = (read: () => Promise<unknown>) =>
  read().then(
    (value) => ({ value }),
    (error: unknown) => ({ refused: error instanceof Error ? error.constructor.name : typeof error }),
  );

describe('BufferedResponse, a fetch Response over a body already whole', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('is a Response with its status, headers and url, and reads its JSON as fetch does', async () => {
    const response = buffered();
    expect(response).toBeInstanceOf(Response);
    expect([response.status, response.ok, response.statusText, response.url]).toEqual([200, true, 'OK', 'https://graph.example/v1.0/x']);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.bodyUsed).toBe(false);
    expect(await response.json()).toEqual(await new Response(page, init).json());
    expect(response.bodyUsed).toBe(true);
  });

  it.each([
    ['a second json()', (r: Response) => r.json()],
    ['text() after json()', (r: Response) => r.text()],
    ['arrayBuffer() after json()', (r: Response) => r.arrayBuffer()],
  ])('refuses %s, as fetch does', async (_name, again) => {
    const [ours, real] = [buffered(), new Response(page, init)];
    await Promise.all([ours.json(), real.json()]);
    expect(await settled(() => again(ours))).toEqual(await settled(() => again(real)));
    expect(await settled(() => again(ours))).toHaveProperty('refused', 'TypeError');
    expect(() => ours.clone()).toThrow(TypeError);
  });

  it('drops a UTF-8 byte order mark and rejects malformed JSON with a SyntaxError, as fetch does', async () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), page]);
    expect(await buffered(withBom).text()).toBe(await new Response(withBom, init).text());
    const malformed = Buffer.from('{"value":');
    expect(await settled(() => buffered(malformed).json())).toEqual(await settled(() => new Response(malformed, init).json()));
  });

  it('hands its body as a stream, and its bytes, to a caller that asks for them', async () => {
    const streamed = await new Response(buffered().body).text();
    expect(streamed).toBe(page.toString('utf8'));
    expect(Buffer.from(await buffered().arrayBuffer()).equals(page)).toBe(true);
    const read = buffered();
    await new Response(read.body).text();
    expect(read.bodyUsed).toBe(true);
    expect(await settled(() => read.json())).toHaveProperty('refused', 'TypeError');
  });

  it('clones with its url, each copy read once', async () => {
    const response = buffered();
    const copy = response.clone();
    expect(copy.url).toBe(response.url);
    expect(await copy.json()).toEqual(await response.json());
  });

  it('has no body for a 204, as fetch has none', async () => {
    const response = buffered(null, { ...init, status: 204, statusText: 'No Content' });
    expect(response.body).toBeNull();
    expect(await response.text()).toBe('');
    expect(response.bodyUsed).toBe(false);
  });

  it('reads json() and text() from the bytes in hand, building no Response to do it', async () => {
    const [forJson, forText] = [buffered(), buffered()];
    let built = 0;
    const counted = new Proxy(Response, {
      construct(target, args: unknown[], newTarget: (...args: unknown[]) => unknown) {
        built += 1;
        return Reflect.construct(target, args, newTarget) as object;
      },
    });
    vi.stubGlobal('Response', counted);
    expect(await forJson.json()).toEqual(JSON.parse(page.toString('utf8')));
    expect(await forText.text()).toBe(page.toString('utf8'));
    expect(built).toBe(0);
    await forJson.arrayBuffer().catch(() => undefined);
    expect(built).toBe(1); // the spy sees a Response the slow path builds
  });

  it('hands its bytes() as fetch does, and refuses them once json() read the body', async () => {
    const bytesOf = (r: Response) => Reflect.apply(Reflect.get(r, 'bytes') as () => Promise<Uint8Array>, r, []);
    const [ours, real] = [buffered(), new Response(page, init)];
    expect(Buffer.from(await bytesOf(ours)).equals(page)).toBe(true);
    expect(await settled(() => bytesOf(ours))).toEqual(await settled(() => bytesOf(real).then(() => bytesOf(real))));
    const read = buffered();
    await read.json();
    expect(await settled(() => bytesOf(read))).toHaveProperty('refused', 'TypeError');
  });

  it.each([
    ['unread', (_r: Response) => undefined],
    ['its body stream taken', (r: Response) => r.body],
  ])('clones its header list as it is now (%s), as fetch does', async (_name, touch) => {
    const [ours, real] = [buffered(), new Response(page, init)];
    for (const response of [ours, real]) {
      touch(response);
      response.headers.set('x-ms-ags-diagnostic', 'edited');
      response.headers.delete('content-type');
    }
    const [ourCopy, realCopy] = [ours.clone(), real.clone()];
    expect([...ourCopy.headers]).toEqual([...realCopy.headers]);
    expect([...ourCopy.headers]).toEqual([['x-ms-ags-diagnostic', 'edited']]);
    expect([ourCopy.status, ourCopy.statusText, ourCopy.url]).toEqual([realCopy.status, realCopy.statusText, ours.url]);
    expect(await ourCopy.text()).toBe(await realCopy.text());
  });

  it("describes its body readers as fetch's Response does (methods writable, all enumerable and configurable)", () => {
    const fetchs = Object.getOwnPropertyDescriptors(Response.prototype);
    const ours = Object.getOwnPropertyDescriptors(BufferedResponse.prototype);
    const shape = (d: PropertyDescriptor | undefined) => ({
      kind: d && ('value' in d ? typeof d.value : 'getter'),
      writable: d?.writable,
      enumerable: d?.enumerable,
      configurable: d?.configurable,
      setter: d?.set,
    });
    const names = ['body', 'bodyUsed', 'text', 'json', 'clone', 'arrayBuffer', 'blob', 'bytes', 'formData'];
    expect(names.map((name) => [name, shape(ours[name])])).toEqual(names.map((name) => [name, shape(fetchs[name])]));
  });
});
