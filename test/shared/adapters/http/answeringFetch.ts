/** A `fetch` that answers every request with `status` and `body`, and records what was sent. */
export function answeringFetch(status: number, body: string, headers: Record<string, string> = {}) {
  const sent: Array<{ url: string; body: string }> = [];
  const fetchFn: typeof fetch = async (url, init) => {
    sent.push({ url: String(url), body: String(init?.body) });
    return new Response(body, { status, headers });
  };
  return { sent, fetchFn };
}
