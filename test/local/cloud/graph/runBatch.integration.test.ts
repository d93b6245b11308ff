import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchRequestContent, BatchResponseContent } from '@microsoft/microsoft-graph-client';
import { startTestCloud, type TestCloud } from '../../../support/startTestCloud.js';
import { applicationOf, errorOf, graphFetch } from './graphTestSupport.js';

let t: TestCloud;
beforeAll(async () => {
  t = await startTestCloud();
});
afterAll(async () => t.stop());

interface BatchAnswer {
  responses: Array<{ id: string; status: number; headers: Record<string, string>; body?: Record<string, unknown> }>;
}

const postBatch = (body: unknown) => graphFetch(t, '/v1.0/$batch', { method: 'POST', body: JSON.stringify(body) });

describe('POST /$batch', () => {
  it("runs the Graph client's BatchRequestContent through the same routes", async () => {
    const graph = t.cloud.endpoints.clouds.global!.graph;
    const cerb = applicationOf(t, 'Cerb Helpdesk');
    const content = new BatchRequestContent([
      { id: 'list', request: new Request(`${graph}/v1.0/applications?$select=id,displayName`) },
      { id: 'one', request: new Request(`${graph}/v1.0/applications/${cerb.id}?$select=id,passwordCredentials`) },
    ]);
    const raw = (await t
      .graphClient()
      .api('/$batch')
      .post(await content.getContent())) as BatchAnswer;
    const answer = new BatchResponseContent(raw);
    const list = answer.getResponseById('list');
    expect(list.status).toBe(200);
    expect(((await list.json()) as { value: unknown[] }).value).toHaveLength(5);
    const one = answer.getResponseById('one');
    expect(((await one.json()) as { id: string }).id).toBe(cerb.id);
  });

  it('honours dependsOn and answers 424 for a request whose dependency failed', async () => {
    const creatio = applicationOf(t, 'Creatio CRM');
    const response = await postBatch({
      requests: [
        { id: '1', method: 'GET', url: '/applications/99999999-9999-4999-8999-999999999999' },
        { id: '2', method: 'GET', url: `/applications/${creatio.id}`, dependsOn: ['1'] },
        {
          id: '3',
          method: 'POST',
          url: `/applications/${creatio.id}/addPassword`,
          headers: { 'Content-Type': 'application/json' },
          body: { passwordCredential: { displayName: 'batched' } },
        },
        { id: '4', method: 'GET', url: `/applications/${creatio.id}?$select=passwordCredentials`, dependsOn: ['3'] },
      ],
    });
    expect(response.status).toBe(200);
    const byId = Object.fromEntries((response.body as unknown as BatchAnswer).responses.map((r) => [r.id, r]));
    expect(byId['1']!.status).toBe(404);
    expect((byId['1']!.body as { error: { code: string } }).error.code).toBe('Request_ResourceNotFound');
    expect(byId['2']!.status).toBe(424);
    expect(byId['3']!.status).toBe(200);
    expect(byId['3']!.body).toMatchObject({ displayName: 'batched', secretText: expect.any(String) });
    expect(byId['4']!.status).toBe(200);
    expect((byId['4']!.body!['passwordCredentials'] as Array<{ displayName: string }>).map((c) => c.displayName)).toContain('batched');
  });

  it('refuses more than 20 requests, duplicate ids and a malformed batch with 400', async () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/applications' }));
    const tooMany = await postBatch({ requests: many });
    expect(tooMany.status).toBe(400);
    expect(errorOf(tooMany)).toMatchObject({ code: 'BadRequest', message: 'Number of requests inside batch exceed the limit.' });
    const duplicate = await postBatch({ requests: [many[0], many[0]] });
    expect(duplicate.status).toBe(400);
    expect(errorOf(duplicate).message).toBe('Request Id 0 has to be unique in a batch.');
    const malformed = await postBatch({ nope: true });
    expect(errorOf(malformed).message).toBe('Invalid batch payload format.');
    const noContentType = await postBatch({
      requests: [{ id: '1', method: 'POST', url: '/users/helpdesk@contoso.onmicrosoft.com/sendMail', body: {} }],
    });
    expect(noContentType.status).toBe(400);
  });
});
