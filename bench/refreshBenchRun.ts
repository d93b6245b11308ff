import { runRefreshBench } from './refreshBench.js';

/** One refresh measurement in its own process, so its peak memory is its own; the result goes to the parent. */
const connections = Number(process.argv[2]);
const result = await runRefreshBench(connections);
process.send!(result);
process.exit(0);
