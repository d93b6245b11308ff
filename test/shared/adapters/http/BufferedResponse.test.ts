import { describe, expect, it } from 'vitest';
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
});
