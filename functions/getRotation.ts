import { z } from 'zod';
import { toRotationView } from '../shared/rotation/toRotationView.js';
import { authorize } from './authorize.js';
import type { FunctionDefinition } from './FunctionDefinition.js';
import { invalidField, problem } from './problem.js';

const rotationId = z.string().regex(/^rot-[0-9a-f-]{36}$/);

/** `GET /api/rotations/{id}`: a rotation's plan and progress (no secret values exist in it). Needs Vigil.Read. */
export const getRotation: FunctionDefinition = {
  kind: 'http',
  name: 'getRotation',
  methods: ['GET'],
  authLevel: 'function',
  route: 'rotations/{id}',
  async handler(request, _context, runtime) {
    const auth = await authorize(request, runtime, 'Vigil.Read');
    if (auth.kind !== 'authorized') return auth.response;
    const id = rotationId.safeParse(request.params['id']);
    if (!id.success) return invalidField('invalidPathParameter', 'id', 'a rotation id looks like rot- followed by a UUID');
    const stored = await runtime.rotation.store.get(id.data);
    if (!stored) return problem('unknownRotation', `There is no rotation ${id.data}.`);
    return { status: 200, jsonBody: toRotationView(stored.rotation) };
  },
};
