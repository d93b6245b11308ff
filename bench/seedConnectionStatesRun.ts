import { DateTime } from 'luxon';
import { createTableClient } from '../shared/adapters/storage/createTableClient.js';
import { seedConnectionStates, type SeedRequest } from './seedConnectionStates.js';

/** The seeding child (seedInChild): seeds the steady-state rows it is sent, then exits. */
process.once('message', (message) => {
  const request = message as SeedRequest;
  const table = createTableClient({ kind: 'connectionString', connectionString: request.connectionString }, request.tableName);
  void seedConnectionStates(table, request.vaultUrls, request.connections, DateTime.fromISO(request.now, { zone: 'utc' })).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
