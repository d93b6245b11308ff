import type { TableClient } from '@azure/data-tables';
import type { Rotation } from '../../rotation/Rotation.js';
import { statusOf } from '../azure/isTransientStatus.js';
import { readRotationRow, rotationPartition } from './tableRotationStore.js';

/** Rotations that ended `failed` and were last updated after `since` (rows as tableRotationStore writes them). */
export async function listFailedRotations(table: TableClient, since: string): Promise<Rotation[]> {
  const rotations: Rotation[] = [];
  try {
    const filter = `PartitionKey eq '${rotationPartition}' and kind eq 'rotation' and step eq 'failed'`;
    for await (const row of table.listEntities({ queryOptions: { filter } })) {
      const rotation = readRotationRow(row);
      if (rotation.updatedAt >= since) rotations.push(rotation);
    }
  } catch (error) {
    if (statusOf(error) === 404) return [];
    throw error;
  }
  return rotations;
}
