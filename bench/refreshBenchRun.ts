import { runRefreshBench } from './refreshBench.js';

/** One refresh measurement in its own process, so its peak memory is its own; the result goes to the parent. */
const [connections, vaults = 1] = process.argv.slice(2, 4).map(Number) as [number, number?];
const [steady, planOnly, timeline] = [process.argv[4] !== 'first', process.argv[5] === 'plan', process.argv[6] === 'timeline'];
const result = await runRefreshBench(connections, vaults, steady, planOnly, timeline);
process.send!(result);
process.exit(0);
