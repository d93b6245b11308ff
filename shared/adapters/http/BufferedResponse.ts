/** What fetch's text() drops from the front of a body (its UTF-8 decode: encoding.spec.whatwg.org/#utf-8-decode). */
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** The Response members that read its body, each answered by a real Response over the same bytes. */
const DELEGATED = ['arrayBuffer', 'blob', 'bytes', 'formData'] as const;

/**
 * A fetch `Response` for an answer whose body is already whole in memory (a node:https answer read whole):
 * `text()` and `json()` decode the bytes at once, as fetch's own would (a UTF-8 BOM dropped, a second read
 * refused), without the web stream a `Response` builds around its body. That stream, its reader and its
 * promises cost about a quarter of a millisecond of CPU per answer in a many-tenant scan, where ~80 answers
 * of a queue batch are due at the same instant and their CPU delays every one of them.
 * Everything else is the real Response's (status, headers, ok, redirected): anything else that reads the
 * body (`body`, `arrayBuffer()`, `blob()`, `bytes()`, `formData()`, `clone()` once read) gets a real Response over
 * the same bytes, built when first asked (disturbed at once if text or json already read it), so it
 * behaves as fetch's would.
 */
export class BufferedResponse extends Response {
  override readonly url: string;
  readonly #bytes: Buffer | null;
  #read = false;
  #real: Response | undefined;

  /** `bytes` null for an answer that has no body (a 204), as fetch's is. */
  constructor(bytes: Buffer | null, init: ResponseInit, url: string) {
    super(null, init);
    this.url = url;
    this.#bytes = bytes;
  }

  // The members that read the body, on this class's prototype over the real Response's (whose types declare them as
  // properties), described as fetch's are: methods writable, getters without a setter, all enumerable and configurable.
  static {
    const method = (value: (this: BufferedResponse) => unknown): PropertyDescriptor => ({
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
    const getter = (get: (this: BufferedResponse) => unknown): PropertyDescriptor => ({ get, enumerable: true, configurable: true });
    const members: PropertyDescriptorMap = {
      body: getter(function () {
        return this.#whole().body;
      }),
      bodyUsed: getter(function () {
        return this.#read || (this.#real?.bodyUsed ?? false);
      }),
      text: method(function () {
        return this.#text();
      }),
      json: method(async function () {
        return JSON.parse(await this.#text()) as unknown;
      }),
      clone: method(function () {
        return this.#clone();
      }),
    };
    for (const name of DELEGATED)
      members[name] = method(function () {
        return this.#delegate(name);
      });
    Object.defineProperties(this.prototype, members);
  }

  /** The body as text: decoded here the first time, by the real Response once it exists (or to refuse a second read). */
  async #text(): Promise<string> {
    const bytes = this.#bytes;
    if (bytes === null || this.#read || this.#real) return this.#whole().text();
    this.#read = true;
    return bytes.toString('utf8', bytes.subarray(0, 3).equals(BOM) ? 3 : 0);
  }

  /** `bytes()` is the runtime's (Node 20.16 and 22), not yet in the types: called by name on the real Response. */
  #delegate(name: (typeof DELEGATED)[number]): unknown {
    const real = this.#whole();
    return Reflect.apply(Reflect.get(real, name) as () => unknown, real, []);
  }

  /**
   * A copy that reads the same body; fetch's keeps the url too, and copies the header list as it is now (a header
   * set or deleted since construction included). A body already read refuses, as fetch's does.
   */
  #clone(): Response {
    if (!this.#read && !this.#real) return new BufferedResponse(this.#bytes, this.#current(), this.url);
    const copy = new Response(this.#whole().clone().body, this.#current());
    return Object.defineProperty(copy, 'url', { value: this.url });
  }

  #whole(): Response {
    if (!this.#real) {
      this.#real = new Response(this.#bytes, this.#current());
      // Read here already: the real one is disturbed, so it refuses to be read again, as fetch's would.
      if (this.#read) void this.#real.arrayBuffer().catch(() => undefined);
    }
    return this.#real;
  }

  /** This answer's status and its headers as they are now, for a Response built over the same bytes. */
  #current(): ResponseInit {
    return { status: this.status, statusText: this.statusText, headers: this.headers };
  }
}
